from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "kawal.followups"
    label = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        from kawal.followups import contributions

        contributions.register()
