from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "kawal.cooperatives"
    label = "cooperatives"
    verbose_name = _("Cooperatives")

    def ready(self):
        from kawal.core.nav import register_nav
        from kawal.core.scope import Cap

        register_nav(_("Cooperatives"), "cooperatives:list", Cap.VIEW, order=20)
        register_nav(_("Import"), "cooperatives:import", Cap.MANAGE, order=90)
