from django.utils import timezone

from kawal.business import selectors
from kawal.business.models import MonthlyStatus
from kawal.core.scope import Cap, has_capability


def home_panel(request):
    """The month's KMP status counts, signboards and reports waiting for a check."""
    user = request.user
    if not has_capability(user, Cap.VIEW):
        return None
    today = timezone.localdate()
    month = selectors.status_month(today)
    data = selectors.summary(user=user, month=month, today=today)
    if not any(n for _s, n in data["counts"]) and not data["to_verify"]:
        return None
    return {"business": data, "month": month, "labels": dict(MonthlyStatus.Status.choices)}
