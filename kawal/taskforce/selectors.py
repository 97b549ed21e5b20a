"""Satgas reads, all starting from the user's region scope."""

import datetime
import statistics
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from kawal.accounts.models import Agency
from kawal.core.scope import Cap, followup_visible_q, get_scoped_or_404, region_q, scoped
from kawal.followups.models import OPEN_STATUSES, FollowUp, overdue_q
from kawal.regions.models import Region
from kawal.taskforce.models import (
    Decision,
    Decree,
    DecreeAgency,
    DecreeMember,
    Invitee,
    Letterhead,
    Meeting,
)

# --- letterhead -----------------------------------------------------------------------------


def letterhead_for(region_code: str) -> Letterhead:
    """The saved letterhead of the regency, or the default one (not saved)."""
    regency = region_code[:5]
    return Letterhead.objects.filter(region_id=regency).first() or Letterhead(region_id=regency)


# --- agencies -------------------------------------------------------------------------------


def agency_list(*, user, q: str = "", include_inactive: bool = True):
    rows = scoped(Agency.objects.all(), user, Cap.VIEW, path="region").select_related("region")
    if not include_inactive:
        rows = rows.filter(is_active=True)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code=q))
    return rows.order_by("kind", "short_name")


def agency_get(*, user, code: str) -> Agency:
    return get_scoped_or_404(Agency.objects.all(), user, cap=Cap.VIEW, path="region", code=code)


# --- decrees --------------------------------------------------------------------------------


def decree_list(*, user):
    return (
        scoped(Decree.objects.all(), user, Cap.VIEW, path="region")
        .select_related("amends")
        .annotate(amendment_count=Count("amendments"))
    )


def decree_current(*, user, on: datetime.date | None = None) -> Decree | None:
    """The newest decree in force that no later decree amends."""
    on = on or timezone.localdate()
    return (
        decree_list(user=user)
        .filter(amendments__isnull=True, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-signed_on", "-id")
        .first()
    )


def decree_get(*, user, pk: int) -> Decree:
    return get_scoped_or_404(
        Decree.objects.select_related("amends"), user, cap=Cap.VIEW, path="region", pk=pk
    )


def decree_history(*, decree: Decree) -> list[Decree]:
    """The chain of amendments this decree belongs to, oldest first (one query: amendments
    never leave the decree's region)."""
    rows = {
        d.pk: d
        for d in Decree.objects.filter(region_id=decree.region_id).only(
            "id", "number", "signed_on", "amends_id", "region_id"
        )
    }
    rows[decree.pk] = decree
    # When a decree was amended twice, the newest amendment continues the chain.
    ordered = sorted(rows.values(), key=lambda d: (d.signed_on, d.pk))
    later = {d.amends_id: d for d in ordered if d.amends_id}
    chain = []
    current, seen = decree, {decree.pk}
    while current.amends_id in rows and current.amends_id not in seen:
        current = rows[current.amends_id]
        seen.add(current.pk)
        chain.append(current)
    chain.reverse()
    chain.append(decree)
    current = decree
    while current.pk in later and later[current.pk].pk not in seen:
        current = later[current.pk]
        seen.add(current.pk)
        chain.append(current)
    return chain


def decree_structure(*, decree: Decree) -> dict:
    members = list(decree.members.select_related("agency", "user"))
    by_position = defaultdict(list)
    for m in members:
        by_position[m.position].append(m)
    return {
        "positions": [
            (DecreeMember.Position(p).label, by_position[p])
            for p in DecreeMember.ORDER
            if by_position[p]
        ],
        "agencies": list(decree.agencies.select_related("agency")),
        "member_count": len(members),
    }


def decree_agency_get(*, decree: Decree, pk: int) -> DecreeAgency:
    try:
        return decree.agencies.select_related("agency", "decree").get(pk=pk)
    except (DecreeAgency.DoesNotExist, ValueError):
        raise Http404 from None


def decree_member_get(*, decree: Decree, pk: int) -> DecreeMember:
    try:
        return decree.members.select_related("decree").get(pk=pk)
    except (DecreeMember.DoesNotExist, ValueError):
        raise Http404 from None


# --- meetings -------------------------------------------------------------------------------


def meeting_list(*, user, when: str = "", q: str = ""):
    rows = scoped(Meeting.objects.all(), user, Cap.VIEW, path="region")
    now = timezone.now()
    if when == "akan":
        rows = rows.filter(starts_at__gte=now - datetime.timedelta(hours=12)).exclude(
            status=Meeting.Status.DIBATALKAN
        )
        rows = rows.order_by("starts_at", "id")
    elif when == "lalu":
        rows = rows.filter(starts_at__lt=now).order_by("-starts_at", "-id")
    else:
        rows = rows.order_by("-starts_at", "-id")
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(minutes__icontains=q))
    return rows.annotate(
        invited=Count("invitees", distinct=True),
        decision_count=Count("decisions", distinct=True),
    )


def meeting_get(*, user, pk: int) -> Meeting:
    return get_scoped_or_404(
        Meeting.objects.select_related("series", "created_by"),
        user,
        cap=Cap.VIEW,
        path="region",
        pk=pk,
    )


def meeting_next(*, user) -> Meeting | None:
    return meeting_list(user=user, when="akan").first()


def meeting_previous(*, meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(region_id=meeting.region_id, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.DIBATALKAN)
        .order_by("-starts_at")
        .first()
    )


def invitee_list(*, meeting: Meeting):
    return meeting.invitees.select_related("agency", "user", "user__agency").order_by(
        "agency__kind", "agency__short_name", "id"
    )


def _decision_ct():
    return ContentType.objects.get_for_model(Decision)


def decision_list(*, meeting: Meeting, user=None) -> list[Decision]:
    """The meeting's decisions, each with `.actions` (its follow-ups; two queries)."""
    decisions = list(meeting.decisions.all())
    actions = defaultdict(list)
    rows = FollowUp.objects.filter(
        source_type=_decision_ct(), source_id__in=[d.pk for d in decisions]
    ).select_related("owner_agency", "owner_user")
    for f in rows:
        actions[f.source_id].append(f)
    for d in decisions:
        d.actions = actions[d.pk]
    return decisions


def carryover(*, meeting: Meeting, user=None):
    """The follow-ups the meeting's agenda carries: every one still open when it starts
    (created before, not closed before), overdue first. Computed, never stored."""
    start = meeting.starts_at
    day = timezone.localtime(start).date()
    region = Region.objects.only("code", "level").get(code=meeting.region_id)
    field = {1: "province_code", 2: "regency_code", 3: "district_code"}.get(region.level, "code")
    rows = FollowUp.objects.filter(
        Q(closed_at__isnull=True, status__in=OPEN_STATUSES) | Q(closed_at__gte=start),
        created_at__lt=start,
        **{f"region__{field}": meeting.region_id},
    )
    if user is not None:
        rows = rows.filter(followup_visible_q(user))
    return (
        rows.select_related("owner_agency", "owner_user", "region")
        .annotate(late=Q(due_date__lt=day))
        .order_by("-late", "owner_agency__short_name", "due_date", "id")
    )


CARRY_LIMIT = 100


def carryover_summary(rows, limit: int = CARRY_LIMIT) -> dict:
    """Counts per agency (one aggregate query) and the first `limit` carried follow-ups."""
    per_agency = list(
        rows.order_by()
        .values("owner_agency__code", "owner_agency__short_name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(late=True)))
        .order_by("-overdue", "-open", "owner_agency__short_name")
    )
    agencies = [
        ({"code": r["owner_agency__code"], "short_name": r["owner_agency__short_name"]}, r)
        for r in per_agency
    ]
    total = sum(r["open"] for r in per_agency)
    shown = list(rows[:limit]) if total else []
    return {
        "rows": shown,
        "total": total,
        "overdue": sum(r["overdue"] for r in per_agency),
        "more": max(total - len(shown), 0),
        "agencies": agencies,
    }


# --- scorecard ------------------------------------------------------------------------------


def default_period() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=150)).replace(day=1)
    return start, today


# The ranking score pulls small samples towards 50%: one item done on time scores 60%, ninety
# of a hundred 88%, so an agency with a single task does not outrank one that carries hundreds.
SCORE_PRIOR = 2


def ranking_score(on_time: int, assigned: int) -> float | None:
    """(done on time + 2) ÷ (assigned + 4), in percent; None when nothing was assigned."""
    if not assigned:
        return None
    return 100 * (on_time + SCORE_PRIOR) / (assigned + 2 * SCORE_PRIOR)


class ScorecardKind:
    ALL = "all"
    DECISIONS = "decisions"  # follow-ups of rakor decisions
    OTHER = "other"  # visits, consultations, assessments, entered directly


def scorecard(
    *,
    user,
    date_from: datetime.date,
    date_to: datetime.date,
    agency_code: str = "",
    kind: str = ScorecardKind.ALL,
):
    """Per agency, over follow-ups assigned (created) in the period and meetings held in it:
    assigned, done, done on time, overdue (now), median days to close, attendance rate.

    `kind` keeps rakor decisions and other follow-ups apart: they are ranked separately.
    Four queries whatever the size: agencies, one aggregate, one pass over closed rows, and one
    attendance aggregate. Ranked by `ranking_score`, then fewest overdue, then attendance;
    agencies with nothing assigned last.
    """
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(date_to, datetime.time.max))
    agencies = agency_list(user=user, include_inactive=False)
    if agency_code:
        agencies = agencies.filter(code=agency_code)
    agencies = {a.pk: a for a in agencies}
    # Aggregates are shared with every Satgas member (the ranking is the Satgas's own);
    # the follow-ups themselves stay behind the agency rule of followups.selectors.
    followups = FollowUp.objects.filter(
        region_q(user, Cap.VIEW, path="region"),
        created_at__range=(start, end),
        owner_agency_id__in=list(agencies),
    )
    if kind == ScorecardKind.DECISIONS:
        followups = followups.filter(source_kind=FollowUp.SourceKind.MEETING)
    elif kind == ScorecardKind.OTHER:
        followups = followups.exclude(source_kind=FollowUp.SourceKind.MEETING)
    totals = {
        row["owner_agency_id"]: row
        for row in followups.values("owner_agency_id").annotate(
            assigned=Count("id", filter=~Q(status=FollowUp.Status.DIBATALKAN)),
            done=Count("id", filter=Q(status=FollowUp.Status.SELESAI)),
            overdue=Count("id", filter=overdue_q()),
        )
    }
    days = defaultdict(list)
    on_time = defaultdict(int)
    zone = timezone.get_current_timezone()
    for agency_id, created, closed, due in followups.filter(
        status=FollowUp.Status.SELESAI, closed_at__isnull=False
    ).values_list("owner_agency_id", "created_at", "closed_at", "due_date"):
        closed_day = closed.astimezone(zone).date()
        days[agency_id].append((closed_day - created.astimezone(zone).date()).days)
        on_time[agency_id] += int(closed_day <= due)
    attendance = {
        row["agency_id"]: row
        for row in Invitee.objects.filter(
            meeting__status=Meeting.Status.SELESAI,
            meeting__starts_at__range=(start, end),
            agency_id__in=list(agencies),
            meeting__in=scoped(Meeting.objects.all(), user, Cap.VIEW, path="region"),
        )
        .values("agency_id")
        .annotate(
            invited=Count("id"),
            attended=Count("id", filter=Q(attendance__in=["hadir", "diwakili"])),
        )
    }
    cards = []
    for agency_id, agency in agencies.items():
        t = totals.get(agency_id, {})
        a = attendance.get(agency_id, {})
        assigned, done = t.get("assigned", 0), t.get("done", 0)
        invited, attended = a.get("invited", 0), a.get("attended", 0)
        if not assigned and not invited:
            continue
        card = {
            "agency": agency,
            "assigned": assigned,
            "done": done,
            "on_time": on_time[agency_id],
            "overdue": t.get("overdue", 0),
            "median_days": statistics.median(days[agency_id]) if days[agency_id] else None,
            "invited": invited,
            "attended": attended,
            "done_rate": 100 * done / assigned if assigned else None,
            "on_time_rate": 100 * on_time[agency_id] / assigned if assigned else None,
            "score": ranking_score(on_time[agency_id], assigned),
            "attendance_rate": 100 * attended / invited if invited else None,
        }
        cards.append(card)
    # Agencies with nothing assigned have no delivery record: they come last.
    cards.sort(
        key=lambda c: (
            c["assigned"] == 0,
            -(c["score"] or 0),
            c["overdue"],
            -(c["done_rate"] or 0),
            -(c["attendance_rate"] or 0),
            c["agency"].short_name,
        )
    )
    for rank, card in enumerate(cards, start=1):
        card["rank"] = rank
    return cards


def scorecard_totals(cards: list[dict]) -> dict:
    """Sums over the cards; meeting attendance counted once per agency, since the rankings of
    decisions and of other follow-ups carry the same attendance."""
    attendance = {c["agency"].pk: (c["invited"], c["attended"]) for c in cards}
    invited = sum(i for i, _a in attendance.values())
    attended = sum(a for _i, a in attendance.values())
    return {
        "assigned": sum(c["assigned"] for c in cards),
        "done": sum(c["done"] for c in cards),
        "on_time": sum(c["on_time"] for c in cards),
        "overdue": sum(c["overdue"] for c in cards),
        "attendance_rate": 100 * attended / invited if invited else None,
    }


def agency_attendance(*, user, agency: Agency, date_from, date_to):
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(date_to, datetime.time.max))
    return (
        Invitee.objects.filter(
            agency=agency,
            meeting__in=scoped(Meeting.objects.all(), user, Cap.VIEW, path="region"),
            meeting__starts_at__range=(start, end),
        )
        .exclude(meeting__status=Meeting.Status.DIBATALKAN)
        .select_related("meeting", "user")
        .order_by("-meeting__starts_at")
    )


def overdue_followups(*, user, limit: int = 20):
    return (
        FollowUp.objects.filter(followup_visible_q(user))
        .filter(overdue_q())
        .select_related("owner_agency", "region", "cooperative")
        .order_by("due_date", "id")[:limit]
    )
