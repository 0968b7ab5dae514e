from django.apps import AppConfig


class BacklogConfig(AppConfig):
    name = "sightline.backlog"
    label = "backlog"
