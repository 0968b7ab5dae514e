from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "sightline.roadmap"
    label = "roadmap"
    verbose_name = "Roadmap"
