from django.urls import reverse
from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute
from kawal.core.nav import HomePanel, NavItem
from kawal.core.scope import Cap, has_capability, is_agency_member, leads_with_agency
from kawal.followups import selectors


def home_panel(request):
    """An agency member counts its agency's follow-ups; the Dinas, a camat and leadership count
    their region's. Whoever sits in an agency also sees what it owes, overdue first."""
    user = request.user
    if not has_capability(user, Cap.VIEW):
        return None
    agency = user.agency if is_agency_member(user) else None
    leads = leads_with_agency(user)
    base = reverse("followups:list")
    suffix = f"&instansi={agency.code}" if leads else ""
    return {
        "agency": agency,
        "leads": leads,
        "owed": list(
            selectors.followup_list(user=user, agency=agency.code, status=selectors.OPEN)[:5]
        )
        if agency
        else [],
        "counts": selectors.followup_counts(user=user, agency=agency.code if leads else ""),
        "overdue_url": f"{base}?status=terlambat{suffix}",
        "open_url": f"{base}?status=terbuka{suffix}",
    }


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav",
        NavItem(gettext_lazy("Follow-ups"), "followups:list", Cap.VIEW, order=52, group="satgas"),
    )
    contribute(
        "home_panel",
        HomePanel(
            "followups/panel_home.html",
            home_panel,
            order=40,
            placement={"satgas": 1, "pimpinan": 20, "pendamping": 70, "pengurus": None},
        ),
    )
