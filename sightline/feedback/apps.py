from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "sightline.feedback"
    label = "feedback"
