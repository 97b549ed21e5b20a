from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kawal.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self):
        from django.urls import register_converter
        from django.utils.translation import gettext_lazy as _

        from kawal.core.codes import RegionCodeConverter
        from kawal.core.nav import register_nav
        from kawal.core.scope import Cap

        # Before any URLconf is imported, so no app depends on the include order.
        register_converter(RegionCodeConverter, "region")
        register_nav(_("Audit log"), "core:audit_list", Cap.VIEW_AUDIT, order=900)
