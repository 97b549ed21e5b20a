"""Mentoring reads. Everything starts from the user's scope.

A user whose only role is pendamping (a business assistant, a village facilitator) sees only its
caseload here: the cooperatives assigned to it, plus the visits it recorded itself.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from kawal.accounts.models import Agency, Grant, User
from kawal.cooperatives.models import Cooperative
from kawal.core.scope import (
    Cap,
    assigned_villages,
    caseload_read_q,
    followup_visible_q,
    granted_regions,
    is_caseload_only,
    region_q,
    scoped,
)
from kawal.followups.models import FollowUp
from kawal.mentoring import rules
from kawal.mentoring.models import (
    Assignment,
    ChecklistItem,
    Consultation,
    Mentor,
    MonthlyReport,
    Recommendation,
    Visit,
    VisitPhoto,
)
from kawal.regions.models import Region

OPEN_STATUSES = (FollowUp.Status.BARU, FollowUp.Status.DIKERJAKAN)


def assigned_village_codes(user) -> list[str]:
    """Villages of the cooperatives currently assigned to the user (feeds core.scope)."""
    return list(
        Assignment.objects.filter(mentor=user, ended_on__isnull=True).values_list(
            "cooperative__village_id", flat=True
        )
    )


def in_scope(model, user):
    """Rows of Visit/Consultation in scope as `cooperative IN (scoped cooperatives)`: for
    aggregates, a semi-join the database runs faster than joining two tables per row."""
    coops = Cooperative.objects.filter(caseload_read_q(user, "village")).values("pk")
    return model.objects.filter(cooperative__in=coops)


def _get(queryset, user, path="cooperative__village", extra: Q | None = None, **lookup):
    q = caseload_read_q(user, path)
    if extra is not None:
        q |= extra
    try:
        return queryset.filter(q).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None


def _count(model, field: str, **filters):
    """A correlated COUNT subquery (no join fan-out, one query for the whole list)."""
    return Coalesce(
        Subquery(
            model.objects.filter(**{field: OuterRef("pk")}, **filters)
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _latest(model, field: str, date_field: str):
    return Subquery(
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by(f"-{date_field}")
        .values(date_field)[:1]
    )


def with_contact(cooperatives, today: datetime.date | None = None):
    """Annotate last visit, last consultation and open/overdue follow-ups (no extra queries)."""
    today = today or timezone.localdate()
    return cooperatives.annotate(
        last_visit=_latest(Visit, "cooperative", "visit_date"),
        last_consultation=_latest(Consultation, "cooperative", "date"),
        open_followups=_count(FollowUp, "cooperative", status__in=OPEN_STATUSES),
        overdue_followups=_count(
            FollowUp, "cooperative", status__in=OPEN_STATUSES, due_date__lt=today
        ),
    )


def last_contact(coop) -> datetime.date | None:
    dates = [d for d in (coop.last_visit, coop.last_consultation) if d]
    return max(dates) if dates else None


# --- Cooperatives ------------------------------------------------------------------------------


def cooperative_list(*, user):
    return Cooperative.objects.filter(caseload_read_q(user, "village")).select_related("village")


def editable_cooperatives(*, user):
    """Cooperatives the user may record a visit or consultation for."""
    return (
        Cooperative.objects.filter(region_q(user, Cap.EDIT, "village"))
        .select_related("village")
        .order_by("name")
    )


def checklist_for(village: Region):
    return ChecklistItem.objects.filter(
        region_id__in=[village.province_code, village.regency_code, village.district_code],
        is_active=True,
    )


def checklist_items(*, user):
    return (
        ChecklistItem.objects.filter(region_q(user, Cap.VIEW, "region"))
        .select_related("region")
        .order_by("region_id", "order", "id")
    )


def checklist_item_get(*, user, pk) -> ChecklistItem:
    try:
        return ChecklistItem.objects.filter(region_q(user, Cap.EDIT, "region")).get(pk=pk)
    except (ChecklistItem.DoesNotExist, ValueError):
        raise Http404 from None


# --- Mentors -----------------------------------------------------------------------------------


def mentor_list(*, user, q: str = "", kind: str = "", today: datetime.date | None = None):
    """Mentors in scope with their workload: caseload, visits and consultations in 30 days."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=30)
    mentors = Mentor.objects.filter(region_q(user, Cap.VIEW, "region"))
    if is_caseload_only(user):
        mentors = mentors.filter(user=user)
    if q:
        mentors = mentors.filter(
            Q(user__first_name__icontains=q)
            | Q(user__last_name__icontains=q)
            | Q(user__username__icontains=q)
            | Q(organisation__icontains=q)
        )
    if kind:
        mentors = mentors.filter(kind=kind)
    user_ref = "user_id"

    def per_user(model, field, **filters):
        return Coalesce(
            Subquery(
                model.objects.filter(**{field: OuterRef(user_ref)}, **filters)
                .order_by()
                .values(field)
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    return mentors.select_related("user", "region").annotate(
        caseload=per_user(Assignment, "mentor", ended_on__isnull=True),
        visits_30=per_user(Visit, "mentor", visit_date__gte=since),
        consultations_30=per_user(Consultation, "served_by", date__gte=since),
    )


def mentor_user_choices(*, user, mentor: Mentor | None = None):
    """Users a manager may make a mentor: the edited mentor's own user, or, for a new profile,
    the users holding a grant inside the regions the actor manages (Cap.MANAGE, not
    MANAGE_USERS: a camat manages mentors without managing accounts)."""
    if mentor is not None:
        return User.objects.filter(pk=mentor.user_id)
    grants = scoped(Grant.objects.all(), user, Cap.MANAGE, path="region")
    return (
        User.objects.filter(pk__in=grants.values("user_id"), is_active=True)
        .exclude(mentor_profile__isnull=False)
        .order_by("first_name", "username")
    )


def mentor_get(*, user, pk) -> Mentor:
    mentors = Mentor.objects.select_related("user", "region")
    q = region_q(user, Cap.VIEW, "region")
    if is_caseload_only(user):
        q = Q(user=user)
    try:
        return mentors.filter(q).get(pk=pk)
    except (Mentor.DoesNotExist, ValueError):
        raise Http404 from None


def mentor_of(user) -> Mentor | None:
    return Mentor.objects.select_related("user", "region").filter(user=user).first()


def caseload(*, user, mentor_user):
    """The mentor's current cooperatives, as the user may see them (e.g. for a form's choices)."""
    return Cooperative.objects.filter(caseload_read_q(user, "village")).filter(
        assignments__mentor=mentor_user, assignments__ended_on__isnull=True
    )


def mentor_cooperatives(*, user, mentor_user, today=None) -> list[Cooperative]:
    """The mentor's current caseload with last contact and open follow-ups (one query)."""
    cooperatives = caseload(user=user, mentor_user=mentor_user)
    cooperatives = cooperatives.select_related("village")
    rows = list(with_contact(cooperatives, today).order_by("name"))
    for coop in rows:
        coop.last_contact = last_contact(coop)
    rows.sort(key=lambda c: (c.last_contact or datetime.date.min, c.name))
    return rows


def attach_readiness(cooperatives: list[Cooperative]) -> list[Cooperative]:
    """Set `.readiness` on each cooperative: its latest submitted or verified assessment, or
    None when it was never assessed (shown as such, never as 0). One query for the list."""
    from kawal.readiness.selectors import latest_for_cooperatives

    latest = latest_for_cooperatives([c.pk for c in cooperatives]) if cooperatives else {}
    for coop in cooperatives:
        coop.readiness = latest.get(coop.pk)
    return cooperatives


def mentor_assignments(*, user, mentor_user):
    return (
        Assignment.objects.filter(mentor=mentor_user)
        .filter(caseload_read_q(user, "cooperative__village"))
        .select_related("cooperative")
        .order_by("ended_on", "-started_on")
    )


def mentor_choices(*, user):
    """Mentors the user may assign: active profiles in its scope."""
    return (
        Mentor.objects.filter(region_q(user, Cap.VIEW, "region"), is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )


def assignment_get(*, user, pk) -> Assignment:
    try:
        return (
            Assignment.objects.filter(region_q(user, Cap.EDIT, "cooperative__village"))
            .select_related("cooperative", "mentor")
            .get(pk=pk)
        )
    except (Assignment.DoesNotExist, ValueError):
        raise Http404 from None


def home_summary(*, user) -> dict | None:
    """For the home panel of a mentor: size of its caseload and open follow-ups (two queries)."""
    villages = sorted(assigned_villages(user))  # cached on the user for the request
    if not villages:
        return None
    open_q = FollowUp.objects.filter(
        cooperative__village_id__in=villages, status__in=OPEN_STATUSES
    ).aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=timezone.localdate())))
    return {"caseload": len(villages), **open_q}


# --- Visits ------------------------------------------------------------------------------------


def visit_list(
    *,
    user,
    q: str = "",
    district: str = "",
    flagged: bool = False,
    mentor_id=None,
    cooperative_id=None,
    date_from=None,
    date_to=None,
):
    visits = Visit.objects.filter(caseload_read_q(user) | Q(mentor=user))
    if q:
        visits = visits.filter(
            Q(cooperative__name__icontains=q) | Q(purpose__icontains=q) | Q(findings__icontains=q)
        )
    if district:
        visits = visits.filter(cooperative__village__district_code=district)
    if flagged:
        visits = visits.filter(Q(flag_far=True) | Q(flag_late=True))
    if mentor_id:
        visits = visits.filter(mentor_id=mentor_id)
    if cooperative_id:
        visits = visits.filter(cooperative_id=cooperative_id)
    if date_from:
        visits = visits.filter(visit_date__gte=date_from)
    if date_to:
        visits = visits.filter(visit_date__lte=date_to)
    return visits.select_related("cooperative__village", "mentor").annotate(
        photo_count=_count(VisitPhoto, "visit"),
        recommendation_count=_count(Recommendation, "visit"),
    )


def visit_get(*, user, pk) -> Visit:
    return _get(
        Visit.objects.select_related("cooperative__village", "mentor"),
        user,
        extra=Q(mentor=user),
        pk=pk,
    )


def visit_photos(visit):
    return visit.photos.all()


def visit_recommendations(visit):
    return visit.recommendations.select_related("owner_agency", "followup", "responded_by")


def photo_get(*, user, visit_pk, pk) -> VisitPhoto:
    visit = visit_get(user=user, pk=visit_pk)
    try:
        return visit.photos.get(pk=pk)
    except (VisitPhoto.DoesNotExist, ValueError):
        raise Http404 from None


# --- Consultations -----------------------------------------------------------------------------


def consultation_list(
    *, user, q: str = "", topic: str = "", date_from=None, date_to=None, cooperative_id=None
):
    rows = Consultation.objects.filter(caseload_read_q(user))
    if q:
        rows = rows.filter(
            Q(cooperative__name__icontains=q)
            | Q(visitor_name__icontains=q)
            | Q(question__icontains=q)
        )
    if topic:
        rows = rows.filter(topic=topic)
    if date_from:
        rows = rows.filter(date__gte=date_from)
    if date_to:
        rows = rows.filter(date__lte=date_to)
    if cooperative_id:
        rows = rows.filter(cooperative_id=cooperative_id)
    return rows.select_related("cooperative__village", "referral_agency", "served_by")


def consultation_queue(*, user, day: datetime.date | None = None):
    """Today's walk-ins: the waiting ones first, in arrival order."""
    day = day or timezone.localdate()
    return (
        consultation_list(user=user)
        .filter(date=day)
        .order_by(F("served_at").asc(nulls_first=True), "created_at")
    )


def consultation_get(*, user, pk) -> Consultation:
    return _get(
        Consultation.objects.select_related(
            "cooperative__village", "referral_agency", "served_by", "created_by"
        ),
        user,
        pk=pk,
    )


def covering_codes(code: str) -> list[str]:
    """The region code and its ancestors (province, regency, kecamatan)."""
    return [code[:n] for n in (2, 5, 8, 13) if len(code) >= n]


def agency_choices(*, village: Region | None = None, user=None):
    """Agencies a follow-up or referral may go to: those serving the cooperative's village (a
    regency agency of its regency, its own kecamatan office, a provincial office), never an
    agency of another kecamatan or regency, which would not track it.

    Without a village yet (the form before a cooperative is chosen), the agencies serving any
    cooperative the user may record for; the service checks the pair on save.
    """
    agencies = Agency.objects.filter(is_active=True).order_by("short_name")
    if village is not None:
        return agencies.filter(region_id__in=covering_codes(village.code))
    codes: set[str] = set()
    for code in granted_regions(user, Cap.EDIT):
        if code is None:
            return agencies
        codes.update(covering_codes(code))
    for code in assigned_villages(user):
        codes.update(covering_codes(code))
    return agencies.filter(Q(region_id__in=sorted(codes)) | region_q(user, Cap.EDIT, "region"))


def source_followups(*, user, source):
    """Follow-ups created from one visit or consultation."""
    from django.contrib.contenttypes.models import ContentType

    return (
        FollowUp.objects.filter(
            followup_visible_q(user),
            source_type=ContentType.objects.get_for_model(source),
            source_id=source.pk,
        )
        .select_related("owner_agency")
        .order_by("due_date", "id")
    )


# --- A cooperative's contact history -----------------------------------------------------------


def recommendation_list(*, user, cooperative):
    return (
        Recommendation.objects.filter(caseload_read_q(user), cooperative=cooperative)
        .select_related("owner_agency", "followup", "responded_by", "visit")
        .order_by("-created_at", "-id")
    )


def recommendation_get(*, user, pk) -> Recommendation:
    recommendations = Recommendation.objects.select_related("cooperative__village")
    return _get(recommendations, user, pk=pk)


def open_followups(*, user, cooperative):
    return (
        FollowUp.objects.filter(
            followup_visible_q(user),
            cooperative=cooperative,
            status__in=OPEN_STATUSES,
        )
        .select_related("owner_agency")
        .order_by("due_date", "id")
    )


def contact_history(*, user, cooperative, limit: int = 100) -> list[dict]:
    """Visits and consultations of one cooperative, newest first, in one list (two queries)."""
    visits = visit_list(user=user, cooperative_id=cooperative.pk)[:limit]
    consultations = consultation_list(user=user, cooperative_id=cooperative.pk)[:limit]
    rows = [{"kind": "visit", "date": v.visit_date, "obj": v} for v in visits]
    rows += [{"kind": "consultation", "date": c.date, "obj": c} for c in consultations]
    rows.sort(key=lambda r: (r["date"], r["obj"].created_at), reverse=True)
    return rows[:limit]


def cooperative_assignments(*, user, cooperative):
    return (
        Assignment.objects.filter(caseload_read_q(user), cooperative=cooperative)
        .select_related("mentor")
        .order_by("ended_on", "-started_on")
    )


# --- Monthly reports ---------------------------------------------------------------------------


def report_list(*, user, status: str = "", month=None, mentor_id=None):
    reports = MonthlyReport.objects.filter(region_q(user, Cap.VIEW, "region"))
    if is_caseload_only(user):
        reports = reports.filter(mentor=user)
    if status:
        reports = reports.filter(status=status)
    if month:
        reports = reports.filter(month=month)
    if mentor_id:
        reports = reports.filter(mentor_id=mentor_id)
    return (
        reports.select_related("mentor", "reviewed_by")
        .annotate(reached=Count("cooperatives_reached"))
        .order_by("-month", "mentor_id")
    )


def report_get(*, user, pk) -> MonthlyReport:
    reports = MonthlyReport.objects.select_related("mentor", "region", "reviewed_by")
    q = region_q(user, Cap.VIEW, "region")
    if is_caseload_only(user):
        q = Q(mentor=user)
    try:
        return reports.filter(q).get(pk=pk)
    except (MonthlyReport.DoesNotExist, ValueError):
        raise Http404 from None


def report_due_months(mentor: Mentor, today: datetime.date) -> list[datetime.date]:
    """Months whose report deadline has passed while the mentor was under contract."""
    last_due = rules.first_of_month(today)
    while rules.report_deadline(last_due) >= today:
        last_due = last_due.replace(day=1) - datetime.timedelta(days=1)
        last_due = rules.first_of_month(last_due)
    start = mentor.contract_start or (last_due - datetime.timedelta(days=150))
    start = max(start, last_due - datetime.timedelta(days=366))
    end = min(last_due, mentor.contract_end) if mentor.contract_end else last_due
    return rules.months_between(start, end) if start <= end else []


def reports_missing_and_late(*, user, today: datetime.date | None = None) -> dict:
    """Missing reports (deadline passed, nothing submitted) and late ones, for BAs in scope."""
    today = today or timezone.localdate()
    mentors = Mentor.objects.filter(
        region_q(user, Cap.VIEW, "region"), kind=Mentor.Kind.BA, is_active=True
    ).select_related("user")
    if is_caseload_only(user):
        mentors = mentors.filter(user=user)
    mentors = list(mentors)
    reports = defaultdict(dict)
    for report in MonthlyReport.objects.filter(mentor__in=[m.user_id for m in mentors]):
        reports[report.mentor_id][report.month] = report
    missing, late = [], []
    for mentor in mentors:
        for month in report_due_months(mentor, today):
            report = reports[mentor.user_id].get(month)
            if report is None or report.first_submitted_at is None:
                missing.append(
                    {
                        "mentor": mentor,
                        "month": month,
                        "deadline": rules.report_deadline(month),
                        "report": report,
                    }
                )
            elif report.is_late:
                late.append(
                    {
                        "mentor": mentor,
                        "month": month,
                        "report": report,
                        "deadline": report.deadline,
                    }
                )
    missing.sort(key=lambda r: (r["month"], str(r["mentor"])))
    late.sort(key=lambda r: (r["month"], str(r["mentor"])))
    return {"missing": missing, "late": late}


# --- Coverage and insight ----------------------------------------------------------------------


def _contacted_q(since: datetime.date | None = None) -> Q:
    """Cooperatives with a visit or a consultation (since `since`): two uncorrelated IN sets,
    built once per query, not a "latest contact" subquery per cooperative (docs/performance.md:
    1.4 s → 0.2 s for the national totals with 80,000 KMP on PostgreSQL)."""
    visits, consultations = Visit.objects.all(), Consultation.objects.all()
    if since:
        visits = visits.filter(visit_date__gte=since)
        consultations = consultations.filter(date__gte=since)
    # DISTINCT keeps each set small enough for PostgreSQL to hash (a set larger than
    # work_mem is scanned once per cooperative instead: minutes, not milliseconds).
    return Q(pk__in=visits.values("cooperative_id").distinct()) | Q(
        pk__in=consultations.values("cooperative_id").distinct()
    )


def _coverage_counts(today: datetime.date) -> dict:
    d30, d60 = (today - datetime.timedelta(days=n) for n in rules.NO_CONTACT_DAYS)
    return {
        "total": Count("pk"),
        "never": Count("pk", filter=~_contacted_q()),
        "no30": Count("pk", filter=~_contacted_q(d30)),
        "no60": Count("pk", filter=~_contacted_q(d60)),
    }


def coverage_by_district(*, user, today: datetime.date | None = None) -> dict:
    """Per kecamatan (or per kabupaten/kota when the scope spans several): cooperatives, never
    contacted, no contact in 30 and 60 days. Two queries, counted in SQL; a province or the
    nation gets one row per regency, never a row per kecamatan of the country."""
    today = today or timezone.localdate()
    rows = list(
        Cooperative.objects.filter(caseload_read_q(user, "village"))
        .values_list("village__district_code")
        .annotate(**_coverage_counts(today))
        .order_by()
    )
    keys = ("total", "never", "no30", "no60")
    by_regency = len({district[:5] for district, *_ in rows}) > 1
    stats = defaultdict(lambda: dict.fromkeys(keys, 0))
    for district, *counts in rows:
        s = stats[district[:5] if by_regency else district]
        for key, n in zip(keys, counts, strict=True):
            s[key] += n
    names = dict(Region.objects.filter(code__in=list(stats)).values_list("code", "name"))
    districts = [
        {"code": code, "name": names.get(code, code), **s} for code, s in sorted(stats.items())
    ]
    total = {k: sum(d[k] for d in districts) for k in keys}
    return {"districts": districts, "total": total, "by_regency": by_regency}


def left_alone(*, user, days: int = 60, district: str = "", regency: str = "", today=None):
    """Cooperatives with no visit or consultation in `days` days (or never), oldest first;
    `days=0`: those never contacted at all."""
    today = today or timezone.localdate()
    coops = cooperative_list(user=user)
    if district:
        coops = coops.filter(village__district_code=district)
    if regency:
        coops = coops.filter(village__regency_code=regency)
    if days == 0:
        coops = coops.exclude(visits__isnull=False).exclude(consultations__isnull=False)
    else:
        since = today - datetime.timedelta(days=days)
        coops = coops.exclude(visits__visit_date__gte=since).exclude(consultations__date__gte=since)
    return with_contact(coops, today).order_by("village_id")


def coverage_totals(*, user, today: datetime.date | None = None) -> dict:
    """Cooperatives in scope, never contacted, and without contact in 60 days (one query)."""
    counts = _coverage_counts(today or timezone.localdate())
    return Cooperative.objects.filter(caseload_read_q(user, "village")).aggregate(
        total=counts["total"], never=counts["never"], no60=counts["no60"]
    )


def _week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_counts(*, user, weeks: int = 26, today=None) -> list[dict]:
    """Visits and consultations per week (Monday first), the last `weeks` weeks (two queries)."""
    today = today or timezone.localdate()
    first = _week_start(today) - datetime.timedelta(weeks=weeks - 1)

    starts = [first + datetime.timedelta(weeks=i) for i in range(weeks)]

    def per_week(queryset, field):
        # Group by day in SQL (at most 7 × weeks rows), then into weeks here: truncating to
        # the week in SQL runs a Python function per row on SQLite.
        counts = defaultdict(int)
        for day, n in (
            queryset.filter(**{f"{field}__gte": first})
            .values_list(field)
            .annotate(n=Count("pk"))
            .order_by()
        ):
            counts[_week_start(day)] += n
        return counts

    visits = per_week(in_scope(Visit, user), "visit_date")
    consultations = per_week(in_scope(Consultation, user), "date")
    return [
        {
            "week": starts[i],
            "visits": visits[starts[i]],
            "consultations": consultations[starts[i]],
        }
        for i in range(weeks)
    ]


def topics_by_month(*, user, months: int = 6, today=None) -> dict:
    """Consultation topics per month (which feed training needs), one query."""
    today = today or timezone.localdate()
    month_list = rules.months_between(
        rules.first_of_month(today) - datetime.timedelta(days=31 * (months - 1)), today
    )[-months:]
    bounds = [*month_list, rules.next_month(month_list[-1])]
    rows = {
        row["topic"]: row
        for row in in_scope(Consultation, user)
        .filter(date__gte=month_list[0], date__lt=bounds[-1])
        .values("topic")
        .annotate(
            **{
                f"m{i}": Count("pk", filter=Q(date__gte=bounds[i], date__lt=bounds[i + 1]))
                for i in range(len(month_list))
            }
        )
        .order_by()
    }
    counts = {
        (month, topic): row[f"m{i}"]
        for topic, row in rows.items()
        for i, month in enumerate(month_list)
    }
    topics = [
        {
            "code": code,
            "label": label,
            "cells": [counts.get((m, code), 0) for m in month_list],
            "total": sum(counts.get((m, code), 0) for m in month_list),
        }
        for code, label in Consultation.Topic.choices
    ]
    return {"months": month_list, "topics": topics, "max": max(counts.values(), default=0)}


def active_mentors(*, cooperative_ids) -> dict[int, list[User]]:
    """The mentors currently assigned to each cooperative (one query); the caller has scoped
    the cooperatives."""
    found: dict[int, list[User]] = {}
    for a in (
        Assignment.objects.filter(cooperative_id__in=list(cooperative_ids), ended_on__isnull=True)
        .select_related("mentor")
        .order_by("mentor__first_name", "mentor__username")
    ):
        found.setdefault(a.cooperative_id, []).append(a.mentor)
    return found
