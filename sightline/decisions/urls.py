from django.urls import path

from sightline.decisions import views

app_name = "decisions"
urlpatterns = [
    path("decisions/", views.decision_list, name="list"),
    path("decisions/new/", views.decision_create_view, name="create"),
    path("decisions/<int:number>/", views.decision_detail, name="detail"),
    path("decisions/<int:number>/edit/", views.decision_edit, name="edit"),
    path("decisions/<int:number>/answer/", views.decision_answer_view, name="answer"),
    path("decisions/<int:number>/withdraw/", views.decision_withdraw_view, name="withdraw"),
]
