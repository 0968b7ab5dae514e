from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "sightline.planning"
    verbose_name = "Planning"
