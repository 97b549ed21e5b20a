from django.apps import AppConfig


class FormationConfig(AppConfig):
    name = "kawal.formation"
    label = "formation"
