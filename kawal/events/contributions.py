from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute
from kawal.core.nav import NavItem
from kawal.core.scope import Cap


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav", NavItem(gettext_lazy("Events"), "events:list", Cap.VIEW, order=80, group="program")
    )
