"""Business reads, always from the user's scope.

A user whose only role is pendamping (a business assistant) reads its caseload; a pengurus its
own cooperative (its grant is on its village); the Dinas, camat and leadership their region.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from kawal.business import rules
from kawal.business.models import BusinessReport, MonthlyStatus, OutletLine, Rat, ReportStatus
from kawal.cooperatives import selectors as registry
from kawal.cooperatives.models import Cooperative, Outlet
from kawal.core.formats import tanggal
from kawal.core.scope import Cap, assigned_villages, caseload_read_q, region_q
from kawal.events.models import Attendance, Event
from kawal.formation.selectors import legal_entity_done, legal_entity_on
from kawal.mentoring.selectors import active_mentors
from kawal.regions.models import Region

STATUS_ORDER = (rules.BERKEMBANG, rules.BEROPERASI, rules.VAKUM, rules.BELUM)


def cooperatives(*, user):
    return Cooperative.objects.filter(caseload_read_q(user, "village")).select_related("village")


def cooperative_get(*, user, pk) -> Cooperative:
    try:
        return cooperatives(user=user).select_related("village__parent").get(pk=pk)
    except (Cooperative.DoesNotExist, ValueError):
        raise Http404 from None


def report_get(*, user, pk) -> BusinessReport:
    try:
        return (
            BusinessReport.objects.filter(caseload_read_q(user))
            .select_related("cooperative", "cooperative__village", "submitted_by", "verified_by")
            .get(pk=pk)
        )
    except (BusinessReport.DoesNotExist, ValueError):
        raise Http404 from None


def report_lines(report) -> list[OutletLine]:
    return list(report.lines.select_related("outlet").order_by("outlet__outlet_type", "outlet_id"))


def open_outlets(cooperative) -> list[Outlet]:
    return registry.open_outlets(cooperative_ids=[cooperative.pk])[cooperative.pk]


def rat_get(*, cooperative, fiscal_year) -> Rat | None:
    """The cooperative's RAT of a fiscal year (the caller has scoped the cooperative)."""
    return Rat.objects.filter(cooperative=cooperative, fiscal_year=fiscal_year).first()


def report_for_month(*, cooperative, month) -> BusinessReport | None:
    return BusinessReport.objects.filter(cooperative=cooperative, month=month).first()


# --- the KMP business page ---------------------------------------------------------------


def cooperative_history(*, cooperative, months: int = 18, today: datetime.date) -> dict:
    """Reports, outlet lines and statuses of the last `months` months (four queries)."""
    last = rules.first_of_month(today)
    first = rules.add_months(last, -(months - 1))
    month_list = [rules.add_months(first, i) for i in range(months)]
    reports = {
        r.month: r
        for r in BusinessReport.objects.filter(
            cooperative=cooperative, month__gte=first
        ).select_related("submitted_by", "verified_by")
    }
    # Verified revenue per outlet and month: plain values, one label per outlet.
    per_outlet: dict = defaultdict(dict)
    for outlet_id, month, revenue in OutletLine.objects.filter(
        report__cooperative=cooperative,
        report__month__gte=first,
        report__status=ReportStatus.VERIFIED,
    ).values_list("outlet_id", "report__month", "revenue"):
        per_outlet[outlet_id][month] = revenue
    labels = {o.pk: str(o) for o in Outlet.objects.filter(pk__in=list(per_outlet)).order_by("pk")}
    statuses = {
        s.month: s for s in MonthlyStatus.objects.filter(cooperative=cooperative, month__gte=first)
    }
    rats = list(Rat.objects.filter(cooperative=cooperative).order_by("-fiscal_year"))
    return {
        "months": month_list,
        "reports": reports,
        "per_outlet": dict(per_outlet),
        "outlet_labels": labels,
        "statuses": statuses,
        "rats": rats,
    }


# --- the regency status page ---------------------------------------------------------------


def status_month(today: datetime.date) -> datetime.date:
    """The month the status pages show by default: the last month whose report is due."""
    return rules.last_due_month(today)


def status_by_district(*, user, month: datetime.date) -> dict:
    """Counts per status per kecamatan for `month` (three queries: KMP per kecamatan, computed
    statuses per kecamatan and status, kecamatan names)."""
    totals_by_district = dict(
        Cooperative.objects.filter(caseload_read_q(user, "village"))
        .values_list("village__district_code")
        .annotate(n=Count("pk"))
        .values_list("village__district_code", "n")
    )
    counts: dict = defaultdict(dict)
    for code, status, n in (
        MonthlyStatus.objects.filter(caseload_read_q(user), month=month)
        .values_list("cooperative__village__district_code", "status")
        .annotate(n=Count("pk"))
        .values_list("cooperative__village__district_code", "status", "n")
    ):
        counts[code][status] = n
    # A province or the nation: one row per regency (never a row per kecamatan of the
    # country: 7,000 rows, 5.7 MB); the drill-down takes a regency code as well.
    by_regency = len({code[:5] for code in totals_by_district}) > 1
    if by_regency:
        regency_totals: dict = defaultdict(int)
        regency_counts: dict = defaultdict(lambda: defaultdict(int))
        for code, total in totals_by_district.items():
            regency_totals[code[:5]] += total
            for status, n in counts.get(code, {}).items():
                regency_counts[code[:5]][status] += n
        totals_by_district, counts = dict(regency_totals), regency_counts
    names = dict(
        Region.objects.filter(code__in=list(totals_by_district)).values_list("code", "name")
    )
    districts = []
    totals = {s: 0 for s in STATUS_ORDER}
    for code, total in totals_by_district.items():
        mine = counts.get(code, {})
        row = [(s, mine.get(s, 0)) for s in STATUS_ORDER]
        districts.append(
            {
                "code": code,
                "name": names.get(code, code),
                "total": total,
                "counts": row,
                "unknown": total - sum(n for _s, n in row),
            }
        )
        for s, n in row:
            totals[s] += n
    grand = sum(totals_by_district.values())
    return {
        "districts": sorted(districts, key=lambda d: d["name"]),
        "totals": [(s, totals[s]) for s in STATUS_ORDER],
        "total": grand,
        "unknown": grand - sum(totals.values()),
        "by_regency": by_regency,
    }


def status_list(*, user, month, district: str = "", status: str = ""):
    """The KMP behind a count: their status of `month` and its reason."""
    queryset = MonthlyStatus.objects.filter(caseload_read_q(user), month=month).select_related(
        "cooperative", "cooperative__village"
    )
    if len(district) == 5:  # a regency row of the province or national table
        queryset = queryset.filter(cooperative__village__regency_code=district)
    elif district:
        queryset = queryset.filter(cooperative__village__district_code=district)
    if status in STATUS_ORDER:
        queryset = queryset.filter(status=status)
    return queryset.order_by("cooperative__village_id")


def best_and_weakest(*, user, month, n: int = 5) -> tuple[list, list]:
    """The n best and n weakest health scores of `month` (two small queries, plain values)."""
    scored = MonthlyStatus.objects.filter(
        caseload_read_q(user), month=month, score__isnull=False
    ).values("cooperative_id", "cooperative__name", "score")
    return (
        list(scored.order_by("-score", "cooperative_id")[:n]),
        list(scored.order_by("score", "cooperative_id")[:n]),
    )


def _last_verified_q():
    return Subquery(
        BusinessReport.objects.filter(cooperative=OuterRef("pk"), status=ReportStatus.VERIFIED)
        .order_by("-month")
        .values("month")[:1]
    )


def signboards(*, user, today: datetime.date, district: str = ""):
    """Legal entity for more than N months, and no open outlet or no verified report for the
    last M months (N, M configurable). Each row carries legal_on, open_outlets, last_verified."""
    legal_before = rules.add_months(today, -rules.config("signboard_legal_months"))
    report_since = rules.add_months(
        rules.first_of_month(today), -rules.config("signboard_report_months")
    )
    has_open = Exists(
        Outlet.objects.filter(registry.open_outlet_count_q(), cooperative=OuterRef("pk"))
    )
    # Filtered on uncorrelated IN sets (built once per query); the per-cooperative subqueries
    # only annotate the rows shown, so the count costs 0.1 s, not 1.1 s, with 80,000 KMP.
    open_set = Outlet.objects.filter(registry.open_outlet_count_q()).values("cooperative_id")
    reported = BusinessReport.objects.filter(
        status=ReportStatus.VERIFIED, month__gte=report_since
    ).values("cooperative_id")
    queryset = (
        Cooperative.objects.filter(caseload_read_q(user, "village"))
        .filter(pk__in=legal_entity_done(on_or_before=legal_before))
        .filter(~Q(pk__in=open_set) | ~Q(pk__in=reported))
        .annotate(legal_on=legal_entity_on(), is_open=has_open, last_verified=_last_verified_q())
        .select_related("village", "village__parent")
    )
    if district:
        queryset = queryset.filter(village__district_code=district)
    return queryset.order_by("legal_on", "village_id")


def signboard_rows(rows, today: datetime.date) -> list:
    rows = list(rows)
    current = rules.first_of_month(today)
    for c in rows:
        months = (
            (current.year - c.last_verified.year) * 12 + current.month - c.last_verified.month
            if c.last_verified
            else None
        )
        c.reason = rules.signboard_reason(
            open_outlets=1 if c.is_open else 0, last_verified=c.last_verified, months=months
        )
        c.legal_months = (today.year - c.legal_on.year) * 12 + today.month - c.legal_on.month
    return rows


def rat_attendance(rat: Rat | None) -> dict | None:
    """The RAT's attendance list kept by the events app: {"event", "registered", "present"},
    or None when the RAT has no list yet (two queries)."""
    if rat is None:
        return None
    event = (
        Event.objects.filter(subject_type=rules.RAT_SUBJECT, subject_id=str(rat.pk))
        .annotate(registered=Count("registrants"))
        .first()
    )
    if event is None:
        return None
    present = Attendance.objects.filter(event=event).count()
    return {"event": event, "registered": event.registered, "present": present}


def rat_overdue(*, user, today: datetime.date):
    """KMP whose last fiscal year's RAT is past its due date and not held (a legal entity
    before that year ended)."""
    year = today.year - 1
    due = rules.rat_due(year)
    of_year = Rat.objects.filter(fiscal_year=year)
    own_due = Rat.objects.filter(cooperative=OuterRef("pk"), fiscal_year=year).values("due_on")[:1]
    # Due before today: its own RAT's due date, else the legal one. As IN sets (built once per
    # query), not a subquery per cooperative in the WHERE clause.
    if due < today:
        due_q = ~Q(pk__in=of_year.filter(due_on__gte=today).values("cooperative_id"))
    else:
        due_q = Q(pk__in=of_year.filter(due_on__lt=today).values("cooperative_id"))
    return (
        Cooperative.objects.filter(caseload_read_q(user, "village"))
        .filter(due_q, pk__in=legal_entity_done(on_or_before=datetime.date(year, 12, 31)))
        .exclude(pk__in=of_year.filter(held_on__isnull=False).values("cooperative_id"))
        .annotate(legal_on=legal_entity_on(), rat_due=Coalesce(Subquery(own_due), due))
        .select_related("village", "village__parent")
        .order_by("rat_due", "village_id")
    )


# --- missing and late reports --------------------------------------------------------------


def missing_reports(*, user, month: datetime.date, district: str = ""):
    """Operating KMP (an open outlet) in scope without a report for `month`."""
    has_open = Exists(
        Outlet.objects.filter(registry.open_outlet_count_q(), cooperative=OuterRef("pk"))
    )
    queryset = (
        Cooperative.objects.filter(caseload_read_q(user, "village"))
        .filter(has_open)
        .exclude(business_reports__month=month)
        .select_related("village", "village__parent")
    )
    if district:
        queryset = queryset.filter(village__district_code=district)
    return queryset.order_by("village_id")


def late_reports(*, user, month: datetime.date):
    """Reports of `month` that came after the due day."""
    due = rules.report_due(month)
    return (
        BusinessReport.objects.filter(
            caseload_read_q(user), month=month, submitted_at__date__gt=due
        )
        .select_related("cooperative", "cooperative__village")
        .order_by("cooperative__village_id")
    )


def group_missing(rows) -> dict:
    """Missing reports per kecamatan and per BA (two more queries)."""
    rows = list(rows)
    mentors = active_mentors(cooperative_ids=[c.pk for c in rows])
    per_district: dict = defaultdict(list)
    per_mentor: dict = defaultdict(list)
    for c in rows:
        c.mentors = mentors.get(c.pk, [])
        per_district[c.village.parent.name if c.village.parent_id else ""].append(c)
        for m in c.mentors or [None]:
            per_mentor[m].append(c)
    return {
        "rows": rows,
        "districts": sorted(per_district.items()),
        "mentors": sorted(per_mentor.items(), key=lambda kv: (kv[0] is None, str(kv[0] or ""))),
    }


def whatsapp_links(*, user, cooperatives, month) -> None:
    """Set `.whatsapp` on each row: a wa.me link to the ketua with a prepared message, only for
    those who act on it (Cap.EDIT on the village); the number is not read for others."""
    from urllib.parse import quote

    from django.utils.translation import gettext

    from kawal.core.scope import can

    rows = list(cooperatives)
    allowed = [c for c in rows if can(user, Cap.EDIT, c.village_id)]
    phones = registry.ketua_phones(cooperative_ids=[c.pk for c in allowed])
    for c in rows:
        phone = phones.get(c.pk)
        if not phone:
            c.whatsapp = ""
            continue
        text = gettext(
            "Dear Ketua of %(cooperative)s, the business report for %(month)s has not been "
            "received yet (due %(due)s). Please enter it in Kawal Kopdes or send your Excel "
            "book to your business assistant. Thank you."
        ) % {
            "cooperative": c.name,
            "month": rules.month_label(month),
            "due": tanggal(rules.report_due(month)),
        }
        c.whatsapp = f"https://wa.me/{phone.lstrip('+')}?text={quote(text)}"


# --- the BA page ---------------------------------------------------------------------------


def to_verify(*, user):
    """Submitted reports the user may check and did not submit: its caseload, or its region
    for the Dinas."""
    q = region_q(user, Cap.VERIFY, "cooperative__village")
    assigned = assigned_villages(user)
    if assigned:
        q |= Q(cooperative__village_id__in=sorted(assigned))
    return (
        BusinessReport.objects.filter(q, status=ReportStatus.SUBMITTED)
        .exclude(submitted_by=user)
        .select_related("cooperative", "cooperative__village", "submitted_by")
        .order_by("month", "cooperative__village_id")
    )


def turning_vacant(*, user, month):
    """KMP that became vakum in `month` (not vakum the month before)."""
    before = MonthlyStatus.objects.filter(
        cooperative=OuterRef("cooperative"),
        month=rules.add_months(month, -1),
        status=rules.VAKUM,
    )
    return (
        MonthlyStatus.objects.filter(caseload_read_q(user), month=month, status=rules.VAKUM)
        .exclude(Exists(before))
        .select_related("cooperative", "cooperative__village")
        .order_by("cooperative__village_id")
    )


def status_counts(*, user, month) -> list[tuple[str, int]]:
    """KMP per status in `month` (one query)."""
    counts = dict(
        MonthlyStatus.objects.filter(caseload_read_q(user), month=month)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(s, counts.get(s, 0)) for s in STATUS_ORDER]


# --- export --------------------------------------------------------------------------------


def export_rows(*, user, month):
    """One row per KMP in scope: its status, score and the month's verified totals."""
    revenue = (
        OutletLine.objects.filter(report__cooperative=OuterRef("cooperative"), report__month=month)
        .values("report__cooperative")
        .annotate(total=Sum("revenue"))
        .values("total")
    )
    return (
        MonthlyStatus.objects.filter(caseload_read_q(user), month=month)
        .annotate(month_revenue=Subquery(revenue))
        .select_related("cooperative", "cooperative__village")
        .order_by("cooperative__village_id")
    )


def last_report_months(*, cooperative_ids) -> dict:
    return dict(
        BusinessReport.objects.filter(cooperative_id__in=cooperative_ids)
        .values("cooperative_id")
        .annotate(m=Max("month"))
        .values_list("cooperative_id", "m")
    )
