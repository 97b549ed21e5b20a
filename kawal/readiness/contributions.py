from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute
from kawal.core.nav import HomePanel, NavItem
from kawal.core.scope import Cap, has_capability
from kawal.readiness import selectors


def home_panel(request):
    if not has_capability(request.user, Cap.VIEW):
        return None
    return {"totals": selectors.readiness_totals(user=request.user)}


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav",
        NavItem(gettext_lazy("Readiness"), "readiness:index", Cap.VIEW, order=40, group="koperasi"),
    )
    contribute(
        "home_panel",
        HomePanel(
            "readiness/panel_home.html",
            home_panel,
            order=40,
            placement={"pimpinan": 12, "pengurus": None, "satgas": 80},
        ),
    )
