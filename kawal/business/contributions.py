"""What business adds to other apps' pages and tasks (called by BusinessConfig.ready())."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from kawal.business import selectors, services
from kawal.business.models import MonthlyStatus
from kawal.core.daily import DailyJob
from kawal.core.extensions import contribute
from kawal.core.nav import HomePanel, NavItem
from kawal.core.scope import Cap, can, has_capability, is_board_only


def home_panel(request):
    """The month's KMP status counts (one query: the home page gathers every app's panel)."""
    user = request.user
    if not has_capability(user, Cap.VIEW):
        return None
    month = selectors.status_month(timezone.localdate())
    if is_board_only(user):
        # A board's own KMP: its monthly report is its task, not the regency's counts.
        own = selectors.cooperatives(user=user).order_by("pk").first()
        if own is None:
            return None
        return {"own": own, "month": month, "may_report": can(user, Cap.EDIT, own.village_id)}
    counts = selectors.status_counts(user=user, month=month)
    if not any(n for _s, n in counts):
        return None
    return {"counts": counts, "month": month, "labels": dict(MonthlyStatus.Status.choices)}


def register() -> None:
    contribute(
        "nav",
        NavItem(gettext_lazy("Business"), "business:index", Cap.VIEW, order=65, group="usaha"),
    )
    contribute(
        "home_panel",
        HomePanel(
            "business/panel_home.html",
            home_panel,
            order=35,
            placement={"pengurus": 3, "pendamping": 2, "pimpinan": 15, "satgas": None},
        ),
    )
    contribute("daily_job", DailyJob("business", services.daily_run))
