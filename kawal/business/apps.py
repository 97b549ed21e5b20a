from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessConfig(AppConfig):
    name = "kawal.business"
    label = "business"
    verbose_name = _("Business")

    def ready(self):
        from kawal.business.panels import home_panel
        from kawal.business.services import daily_run
        from kawal.core.daily import register_daily_job
        from kawal.core.nav import register_home_panel, register_nav
        from kawal.core.scope import Cap

        register_nav(_("Business"), "business:index", Cap.VIEW, order=65)
        register_home_panel("business/panel_home.html", home_panel, order=35)
        register_daily_job("business", daily_run)
