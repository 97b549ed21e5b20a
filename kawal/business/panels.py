from django.utils import timezone

from kawal.business import selectors
from kawal.business.models import MonthlyStatus
from kawal.core.scope import Cap, has_capability


def home_panel(request):
    """The month's KMP status counts (one query: the home page gathers every app's panel)."""
    user = request.user
    if not has_capability(user, Cap.VIEW):
        return None
    month = selectors.status_month(timezone.localdate())
    counts = selectors.status_counts(user=user, month=month)
    if not any(n for _s, n in counts):
        return None
    return {"counts": counts, "month": month, "labels": dict(MonthlyStatus.Status.choices)}
