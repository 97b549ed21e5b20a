from django.urls import reverse

from kawal.core.scope import Cap, has_capability, leads_with_agency
from kawal.followups import selectors


def home_panel(request):
    """Agency members see their agency's follow-ups; the Dinas and leadership see all."""
    user = request.user
    if not has_capability(user, Cap.VIEW):
        return None
    agency = None
    if leads_with_agency(user):
        agency = user.agency
    base = reverse("followups:list")
    suffix = f"&instansi={agency.code}" if agency else ""
    return {
        "agency": agency,
        "counts": selectors.followup_counts(user=user, agency=agency.code if agency else ""),
        "overdue_url": f"{base}?status=terlambat{suffix}",
        "open_url": f"{base}?status=terbuka{suffix}",
    }
