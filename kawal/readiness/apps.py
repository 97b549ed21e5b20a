from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "kawal.readiness"
    label = "readiness"
