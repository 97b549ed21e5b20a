"""What the reports app adds to other apps: the menu entry, the weekly snapshot in the daily
task, and the cooperative list's `fase` filter (the list behind every dashboard number).
Registered once by ReportsConfig.ready()."""

from django.utils.translation import gettext_lazy

from kawal.cooperatives.extension_points import COOPERATIVE_LIST_FILTER, ListFilter
from kawal.core.daily import DailyJob
from kawal.core.extensions import contribute
from kawal.core.nav import NavItem
from kawal.core.scope import Cap
from kawal.reports import selectors, services


def _phase_choices(user):
    return [(key, str(label)) for key, label in selectors.FILTER_LABELS.items()]


def _apply_phase(queryset, value, user, params):
    """`fase`: the KMP a dashboard number counts (the same condition as the count)."""
    if value not in selectors.FILTER_LABELS:
        return queryset
    return queryset.filter(selectors.condition(value))


PHASE_FILTER = ListFilter(
    "fase", gettext_lazy("Programme phase"), _phase_choices, _apply_phase, order=90
)


def register() -> None:
    contribute(
        "nav",
        NavItem(gettext_lazy("Dashboard"), "reports:dashboard", Cap.VIEW_DASHBOARD, order=5),
    )
    contribute("daily_job", DailyJob("reports", services.daily_snapshot))
    contribute(COOPERATIVE_LIST_FILTER, PHASE_FILTER)
