from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PotentialConfig(AppConfig):
    name = "kawal.potential"
    label = "potential"
    verbose_name = _("Village potential")

    def ready(self):
        from kawal.potential import contributions

        contributions.register()
