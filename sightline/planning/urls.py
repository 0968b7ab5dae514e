from django.urls import path

from sightline.planning import views

app_name = "planning"
urlpatterns = [
    path("velocity/", views.velocity_page, name="velocity"),
    path("releases/", views.releases_page, name="releases"),
    path("releases/<int:release_id>/", views.release_page, name="release"),
]
