from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormationConfig(AppConfig):
    name = "kawal.formation"
    label = "formation"
    verbose_name = _("Formation and legal entity")

    def ready(self):
        from kawal.formation import contributions

        contributions.register()
