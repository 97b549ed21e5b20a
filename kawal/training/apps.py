from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "kawal.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self):
        # All of training's registrations on other apps' pages live here and in hooks.py.
        from kawal.cooperatives import extensions
        from kawal.core.nav import register_nav
        from kawal.core.scope import Cap
        from kawal.training import hooks

        register_nav(_("Training"), "training:index", Cap.VIEW, order=70)
        extensions.register_section(
            extensions.Section(
                "training", "training/section_cooperative.html", hooks.cooperative_section, 60
            )
        )
