from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormationConfig(AppConfig):
    name = "kawal.formation"
    label = "formation"
    verbose_name = _("Formation and legal entity")

    def ready(self):
        from kawal.cooperatives import extensions
        from kawal.core.nav import register_home_panel, register_nav
        from kawal.core.scope import Cap
        from kawal.formation import hooks

        register_nav(_("Progress"), "formation:matrix", Cap.VIEW, order=21)
        register_nav(_("Notaries"), "formation:notaries", Cap.VIEW, order=24)
        register_home_panel("formation/panel_home.html", hooks.home_panel, order=20)
        for section in hooks.SECTIONS:
            extensions.register_section(section)
        for list_filter in hooks.FILTERS:
            extensions.register_list_filter(list_filter)
        for column in hooks.COLUMNS:
            extensions.register_list_column(column)
        for fact in hooks.FACTS:
            extensions.register_fact(fact)
