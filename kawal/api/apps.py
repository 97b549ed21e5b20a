from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kawal.api"
    label = "api"
    verbose_name = _("API for other systems")

    def ready(self):
        from kawal.core.nav import register_nav
        from kawal.core.scope import Cap

        register_nav(_("API tokens"), "api_tokens:list", Cap.MANAGE_USERS, order=810)
