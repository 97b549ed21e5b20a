from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute
from kawal.core.nav import HomePanel, NavItem
from kawal.core.scope import Cap, has_capability
from kawal.taskforce import selectors


def home_panel(request):
    if not has_capability(request.user, Cap.VIEW):
        return None
    upcoming = selectors.meeting_next(user=request.user)
    if upcoming is None and not selectors.meeting_list(user=request.user).exists():
        return None
    return {"upcoming": upcoming}


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav",
        NavItem(gettext_lazy("Satgas"), "taskforce:index", Cap.VIEW, order=50, group="satgas"),
        NavItem(
            gettext_lazy("Agency scorecard"),
            "taskforce:scorecard",
            Cap.VIEW,
            order=51,
            group="satgas",
        ),
    )
    contribute(
        "home_panel",
        HomePanel(
            "taskforce/panel_home.html",
            home_panel,
            order=50,
            placement={"satgas": 2, "pimpinan": 25, "pendamping": None, "pengurus": None},
        ),
    )
