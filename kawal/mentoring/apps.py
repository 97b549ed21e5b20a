from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "kawal.mentoring"
    label = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        from kawal.core.scope import register_assignment_source
        from kawal.mentoring.selectors import assigned_village_codes

        register_assignment_source(assigned_village_codes)
