from django.apps import AppConfig


class PotentialConfig(AppConfig):
    name = "kawal.potential"
    label = "potential"
