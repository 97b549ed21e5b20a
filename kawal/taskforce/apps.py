from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforceConfig(AppConfig):
    name = "kawal.taskforce"
    label = "taskforce"
    verbose_name = _("Satgas KMP")

    def ready(self):
        from kawal.taskforce import contributions

        contributions.register()
