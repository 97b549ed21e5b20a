"""What accounts adds to other apps' pages (kawal.core.extensions)."""

from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute
from kawal.core.nav import NavItem
from kawal.core.scope import Cap


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav",
        NavItem(
            gettext_lazy("Users"), "accounts:user_list", Cap.MANAGE_USERS, order=800, group="data"
        ),
    )
