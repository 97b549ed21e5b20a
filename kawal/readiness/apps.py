from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "kawal.readiness"
    label = "readiness"
    verbose_name = _("Readiness")

    def ready(self):
        from kawal.core.nav import register_home_panel, register_nav
        from kawal.core.scope import Cap
        from kawal.readiness.panels import home_panel

        register_nav(_("Readiness"), "readiness:index", Cap.VIEW, order=40)
        register_home_panel("readiness/panel_home.html", home_panel, order=40)
