from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "kawal.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from kawal.events import contributions

        contributions.register()
