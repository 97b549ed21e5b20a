"""Core's own menu entry, contributed like any app's (kawal.core.extensions)."""

from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute
from kawal.core.nav import NavItem
from kawal.core.scope import Cap


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav",
        NavItem(
            gettext_lazy("Audit log"), "core:audit_list", Cap.VIEW_AUDIT, order=900, group="data"
        ),
    )
