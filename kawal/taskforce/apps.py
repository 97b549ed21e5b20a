from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforceConfig(AppConfig):
    name = "kawal.taskforce"
    label = "taskforce"
    verbose_name = _("Satgas KMP")

    def ready(self):
        from kawal.core.nav import register_home_panel, register_nav
        from kawal.core.scope import Cap
        from kawal.taskforce.panels import home_panel

        register_nav(_("Satgas"), "taskforce:index", Cap.VIEW, order=50)
        register_nav(_("Agency scorecard"), "taskforce:scorecard", Cap.VIEW, order=51)
        register_home_panel("taskforce/panel_home.html", home_panel, order=50)
