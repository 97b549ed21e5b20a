from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessConfig(AppConfig):
    name = "kawal.business"
    label = "business"
    verbose_name = _("Business")

    def ready(self):
        from kawal.business import contributions

        contributions.register()
