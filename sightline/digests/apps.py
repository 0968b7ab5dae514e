from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "sightline.digests"
    label = "digests"
    verbose_name = "Digests"
