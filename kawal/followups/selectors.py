"""Follow-up reads, always from `scope.followup_visible_q`: agency members (role Satgas only) see
their own agency's follow-ups; the Dinas, leadership and auditors see every follow-up in their
region; anyone whose agency owns a follow-up sees it, wherever it is."""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import Http404

from kawal.accounts.models import Agency
from kawal.core.scope import Cap, followup_visible_q, region_q
from kawal.followups.models import OPEN_STATUSES, Evidence, FollowUp, overdue_q, today

OPEN = "terbuka"
OVERDUE = "terlambat"


def _base(user):
    return FollowUp.objects.filter(followup_visible_q(user))


def followup_visible(*, user, followup: FollowUp) -> bool:
    return _base(user).filter(pk=followup.pk).exists()


def followup_list(
    *,
    user,
    agency: str = "",
    status: str = "",
    region: str = "",
    source: str = "",
    q: str = "",
    due_from=None,
    due_to=None,
):
    """Filtered follow-ups; `status` is a status, "terbuka" (open) or "terlambat" (overdue)."""
    rows = _base(user)
    if agency:
        rows = rows.filter(owner_agency__code=agency)
    if status == OPEN:
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status == OVERDUE:
        rows = rows.filter(overdue_q())
    elif status in FollowUp.Status.values:
        rows = rows.filter(status=status)
    if region:
        field = {2: "region__province_code", 5: "region__regency_code", 8: "region__district_code"}
        lookup = field.get(len(region), "region_id")
        rows = rows.filter(**{lookup: region})
    if source in FollowUp.SourceKind.values:
        rows = rows.filter(source_kind=source)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if due_from:
        rows = rows.filter(due_date__gte=due_from)
    if due_to:
        rows = rows.filter(due_date__lte=due_to)
    # Overdue first, then open by due date, then the closed ones.
    rank = Case(
        When(overdue_q(), then=Value(0)),
        When(status__in=OPEN_STATUSES, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        rows.select_related("owner_agency", "owner_user", "region", "cooperative")
        .annotate(rank=rank)
        .order_by("rank", "due_date", "id")
    )


def followup_counts(*, user, agency: str = "") -> dict:
    """Open, overdue, done and total follow-ups in view (one query)."""
    rows = _base(user)
    if agency:
        rows = rows.filter(owner_agency__code=agency)
    return rows.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=overdue_q()),
        done=Count("id", filter=Q(status=FollowUp.Status.SELESAI)),
    )


def followup_get(*, user, pk: int) -> FollowUp:
    """One follow-up in view; missing and out-of-scope both answer 404."""
    try:
        return (
            _base(user)
            .select_related(
                "owner_agency", "owner_user", "region", "cooperative", "created_by", "source_type"
            )
            .get(pk=pk)
        )
    except (FollowUp.DoesNotExist, ValueError):
        raise Http404 from None


def evidence_list(*, followup: FollowUp):
    return followup.evidence.select_related("created_by")


def evidence_get(*, user, followup_pk: int, pk: int) -> Evidence:
    followup = followup_get(user=user, pk=followup_pk)
    try:
        return followup.evidence.get(pk=pk)
    except (Evidence.DoesNotExist, ValueError):
        raise Http404 from None


def agency_choices(*, user):
    """Agencies the user may filter by or assign to (active, in scope)."""
    return Agency.objects.filter(region_q(user, Cap.VIEW, path="region"), is_active=True).order_by(
        "kind", "short_name"
    )


def overdue_on(day=None) -> Q:
    return overdue_q(day or today())
