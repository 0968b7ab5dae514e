from django.apps import AppConfig


class AcceptanceConfig(AppConfig):
    name = "sightline.acceptance"
    label = "acceptance"
