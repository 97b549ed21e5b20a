from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "kawal.budget"
    label = "budget"
    verbose_name = _("Budget")

    def ready(self):
        from kawal.core.nav import register_nav
        from kawal.core.scope import Cap

        register_nav(_("Budget"), "budget:index", Cap.VIEW, order=72)
