from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kawal.api"
    label = "api"
