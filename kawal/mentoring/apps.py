from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "kawal.mentoring"
    label = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        from kawal.mentoring import contributions

        contributions.register()
