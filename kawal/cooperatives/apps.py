from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "kawal.cooperatives"
    label = "cooperatives"
    verbose_name = _("Cooperatives")

    def ready(self):
        from kawal.cooperatives import contributions

        contributions.register()
