"""What operations adds to other pages: the menu entry, the cooperative page's section, the
home panel, and "what holds it back" as an obstacle source (training turns it into needs).
Contributed once from OperationsConfig.ready() (register, at the end)."""

from django.utils.translation import gettext_lazy

from kawal.cooperatives.extension_points import (
    COOPERATIVE_OBSTACLE,
    COOPERATIVE_SECTION,
    ObstacleSource,
    Section,
)
from kawal.core.extensions import contribute
from kawal.core.nav import HomePanel, NavItem
from kawal.core.scope import Cap, has_capability, is_board_only
from kawal.operations import selectors


def cooperative_section(request, cooperative):
    # No query here: the cooperative page gathers many sections under one query budget, so
    # the line is fetched by htmx when the section appears (operations:cooperative_line).
    return {"cooperative": cooperative}


SECTION = Section("operations", "operations/section_cooperative.html", cooperative_section, 30)


def home_panel(request):
    user = request.user
    if not has_capability(user, Cap.VIEW):
        return None
    if is_board_only(user):
        # A board's own KMP once it has its legal entity: what still holds it back.
        own = selectors.holds_back_queryset(user=user).order_by("pk").first()
        if own is None:
            return None
        own = selectors.attach_details([own], districts=False)[0]
        return {"own": own, "line": selectors.describe(own)}
    # One query: the home page gathers every app's panel and has a budget of its own.
    counts = selectors.holds_back_counts(user=user)
    if not counts["total"]:
        return None
    return {"counts": counts}


def obstacles(user, cooperative_ids):
    return selectors.obstacles_for(user=user, cooperative_ids=cooperative_ids)


OBSTACLES = ObstacleSource("operations", gettext_lazy("what holds the KMP back"), obstacles)


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav",
        NavItem(gettext_lazy("Operations"), "operations:index", Cap.VIEW, order=62, group="usaha"),
    )
    contribute(
        "home_panel",
        HomePanel(
            "operations/panel_home.html",
            home_panel,
            order=35,
            placement={"pimpinan": 10, "pendamping": 30, "satgas": None, "pengurus": 2},
        ),
    )
    contribute(COOPERATIVE_SECTION, SECTION)
    contribute(COOPERATIVE_OBSTACLE, OBSTACLES)
