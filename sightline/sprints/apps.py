from django.apps import AppConfig


class SprintsConfig(AppConfig):
    name = "sightline.sprints"
    label = "sprints"
