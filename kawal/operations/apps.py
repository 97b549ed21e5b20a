from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "kawal.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self):
        # Everything this app adds to other pages is registered here, in one place.
        from kawal.cooperatives import extensions
        from kawal.core.nav import register_home_panel, register_nav
        from kawal.core.scope import Cap
        from kawal.operations import hooks

        register_nav(_("Operations"), "operations:index", Cap.VIEW, order=62)
        register_home_panel("operations/panel_home.html", hooks.home_panel, order=35)
        extensions.register_section(hooks.SECTION)
