"""What cooperatives adds to other apps' pages (kawal.core.extensions)."""

from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute
from kawal.core.nav import NavItem
from kawal.core.scope import Cap


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav",
        NavItem(
            gettext_lazy("Cooperatives"), "cooperatives:list", Cap.VIEW, order=20, group="koperasi"
        ),
        NavItem(gettext_lazy("Import"), "cooperatives:import", Cap.MANAGE, order=90, group="data"),
    )
