from django.urls import path

from sightline.inbox import views

app_name = "inbox"
urlpatterns = [
    path("inbox/", views.mine, name="mine"),
    path("p/<str:key>/inbox/", views.project_inbox, name="project"),
    path("p/<str:key>/inbox/handover/", views.handover, name="handover"),
    path("p/<str:key>/waiting/", views.waiting, name="waiting"),
    path("p/<str:key>/your-role/", views.your_role, name="your_role"),
    path("p/<str:key>/people/availability/", views.availability, name="availability"),
]
