from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "kawal.budget"
    label = "budget"
    verbose_name = _("Budget")

    def ready(self):
        from kawal.budget import contributions

        contributions.register()
