from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute
from kawal.core.nav import HomePanel, NavItem
from kawal.core.scope import Cap, has_capability, is_board_only
from kawal.mentoring import selectors


def home_panel(request):
    """A mentor's caseload at a glance; for the Dinas and others, who is left alone."""
    user = request.user
    caseload = selectors.home_summary(user=user)
    if caseload is not None:
        # The KMP going quiet first (longest without contact), each with its visit button.
        rows = selectors.mentor_cooperatives(user=user, mentor_user=user)[:5]
        return {"caseload": caseload, "quiet": rows}
    if not has_capability(user, Cap.VIEW) or is_board_only(user):
        return None
    totals = selectors.coverage_totals(user=user)
    return {"coverage": totals} if totals["total"] else None


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute("assignment_source", selectors.assigned_village_codes)
    contribute(
        "nav",
        NavItem(
            gettext_lazy("Mentoring"), "mentoring:index", Cap.VIEW, order=60, group="pendampingan"
        ),
    )
    contribute(
        "home_panel",
        HomePanel(
            "mentoring/panel_home.html",
            home_panel,
            order=30,
            placement={"pendamping": 1, "pimpinan": 60, "satgas": None, "pengurus": None},
        ),
    )
