from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "kawal.mentoring"
    label = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        from kawal.core.nav import register_home_panel, register_nav
        from kawal.core.scope import Cap, register_assignment_source
        from kawal.mentoring.panels import home_panel
        from kawal.mentoring.selectors import assigned_village_codes

        register_assignment_source(assigned_village_codes)
        register_nav(_("Mentoring"), "mentoring:index", Cap.VIEW, order=60)
        register_home_panel("mentoring/panel_home.html", home_panel, order=30)
