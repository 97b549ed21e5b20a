from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kawal.api"
    label = "api"
    verbose_name = _("API for other systems")

    def ready(self):
        from kawal.api import contributions

        contributions.register()
