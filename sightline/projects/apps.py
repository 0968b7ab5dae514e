from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "sightline.projects"
    label = "projects"
