from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kawal.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kawal.core.nav import register_nav
        from kawal.core.scope import Cap

        register_nav(_("Audit log"), "core:audit_list", Cap.VIEW_AUDIT, order=900)
