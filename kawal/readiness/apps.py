from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "kawal.readiness"
    label = "readiness"
    verbose_name = _("Readiness")

    def ready(self):
        from kawal.readiness import contributions

        contributions.register()
