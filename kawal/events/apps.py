from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "kawal.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from kawal.core.nav import register_nav
        from kawal.core.scope import Cap

        register_nav(_("Events"), "events:list", Cap.VIEW, order=80)
