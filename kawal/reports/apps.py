from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kawal.reports"
    label = "reports"
