from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "kawal.followups"
    label = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        from kawal.core.nav import register_home_panel, register_nav
        from kawal.core.scope import Cap
        from kawal.followups.panels import home_panel

        register_nav(_("Follow-ups"), "followups:list", Cap.VIEW, order=40)
        register_home_panel("followups/panel_home.html", home_panel, order=40)
