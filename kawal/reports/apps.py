from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kawal.reports"
    label = "reports"
    verbose_name = _("Leaders' view")

    def ready(self):
        from kawal.reports import contributions

        contributions.register()
