from django.apps import AppConfig


class TaskforceConfig(AppConfig):
    name = "kawal.taskforce"
    label = "taskforce"
