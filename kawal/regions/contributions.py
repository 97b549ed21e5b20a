from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute
from kawal.core.nav import HomePanel, NavItem
from kawal.core.scope import Cap, has_capability
from kawal.regions import selectors


def home_panel(request):
    if not has_capability(request.user, Cap.VIEW):
        return None
    return {
        "roots": selectors.region_roots(user=request.user),
        "counts": selectors.region_counts(user=request.user),
    }


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav",
        NavItem(gettext_lazy("Regions"), "regions:index", Cap.VIEW, order=10, group="data"),
        NavItem(gettext_lazy("Map"), "regions:map", Cap.VIEW, order=11, group="data"),
        NavItem(
            gettext_lazy("Import review"),
            "regions:review_queue",
            Cap.MANAGE,
            order=12,
            group="data",
        ),
    )
    contribute(
        "home_panel",
        HomePanel(
            "regions/panel_home.html",
            home_panel,
            order=10,
            # The camat's villages first; others see their area last.
            placement={"pengurus": 95, "pendamping": 90, "satgas": 90, "pimpinan": 90},
        ),
    )
    contribute("region_names", selectors.region_names)
