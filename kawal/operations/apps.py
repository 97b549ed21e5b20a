from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "kawal.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self):
        from kawal.operations import contributions

        contributions.register()
