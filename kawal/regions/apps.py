from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "kawal.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self):
        from kawal.core.nav import register_home_panel, register_nav
        from kawal.core.scope import Cap
        from kawal.regions.panels import home_panel

        register_nav(_("Regions"), "regions:index", Cap.VIEW, order=10)
        register_nav(_("Map"), "regions:map", Cap.VIEW, order=11)
        register_nav(_("Import review"), "regions:review_queue", Cap.MANAGE, order=12)
        register_home_panel("regions/panel_home.html", home_panel, order=10)
