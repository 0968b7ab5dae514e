from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "sightline.inbox"
    label = "inbox"
