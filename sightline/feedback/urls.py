from django.urls import path

from sightline.feedback import views

app_name = "feedback"
urlpatterns = [
    path("feedback/", views.feedback_list_view, name="list"),
    path("feedback/new/", views.feedback_give_view, name="give"),
    path("feedback/<int:feedback_id>/", views.feedback_detail, name="detail"),
    path("feedback/<int:feedback_id>/screenshot/", views.feedback_screenshot, name="screenshot"),
    path("feedback/<int:feedback_id>/convert/", views.feedback_convert_view, name="convert"),
]
