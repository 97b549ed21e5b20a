from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "kawal.budget"
    label = "budget"
