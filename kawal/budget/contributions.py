"""What budget adds to other apps' pages: its menu entry. Called by BudgetConfig.ready()."""

from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute
from kawal.core.nav import NavItem
from kawal.core.scope import Cap


def register() -> None:
    contribute(
        "nav", NavItem(gettext_lazy("Budget"), "budget:index", Cap.VIEW, order=72, group="program")
    )
