from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "kawal.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self):
        from kawal.regions import contributions

        contributions.register()
