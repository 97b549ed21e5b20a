from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PotentialConfig(AppConfig):
    name = "kawal.potential"
    label = "potential"
    verbose_name = _("Village potential")

    def ready(self):
        from kawal.core.nav import register_nav
        from kawal.core.scope import Cap
        from kawal.potential.resolvers import bumdes_overlap
        from kawal.readiness.resolvers import register_resolver

        register_nav(_("Potential & BUMDes"), "potential:index", Cap.VIEW, order=41)
        register_resolver("bumdes_overlap", _("No overlap with the BUMDes"), bumdes_overlap)
