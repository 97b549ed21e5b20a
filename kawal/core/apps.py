from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kawal.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self):
        from django.urls import register_converter

        from kawal.core import contributions
        from kawal.core.codes import RegionCodeConverter

        # Before any URLconf is imported, so no app depends on the include order.
        register_converter(RegionCodeConverter, "region")
        contributions.register()
