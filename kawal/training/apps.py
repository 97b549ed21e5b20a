from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "kawal.training"
    label = "training"
