from django.apps import AppConfig


class ForecastingConfig(AppConfig):
    name = "sightline.forecasting"
    verbose_name = "Forecasting"
