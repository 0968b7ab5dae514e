from django.urls import path

from sightline.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("people/", views.members, name="members"),
    path("settings/", views.planning_settings, name="settings"),
]
