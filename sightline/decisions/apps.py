from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "sightline.decisions"
    label = "decisions"
    verbose_name = "Decisions"
