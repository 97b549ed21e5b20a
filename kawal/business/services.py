"""Business writes: submit (or correct) a monthly report, verify or reject it, record a RAT,
recompute the monthly status, turn a signboard KMP into a follow-up. Each write checks the
actor's rights for the cooperative's village first and leaves an audit row in its transaction.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kawal.business import rules
from kawal.business.models import (
    BusinessReport,
    MonthlyStatus,
    OutletLine,
    Rat,
    ReportReminder,
    ReportSource,
    ReportStatus,
)
from kawal.cooperatives import selectors as registry
from kawal.core.audit import audit, changes_between, snapshot
from kawal.core.scope import Cap, may_verify_business_report, require, require_rule
from kawal.core.services import bump_version
from kawal.events import services as events
from kawal.events.models import Event

FIGURES = (
    "members_joined",
    "members_left",
    "members_total",
    "households",
    "savings_pokok",
    "savings_wajib",
    "savings_sukarela",
    "total_assets",
    "liabilities",
    "loan_balance",
    "loan_arrears",
)
LINE_FIELDS = ("revenue", "cogs", "operating_cost", "profit", "transactions", "stock_value")


def _clean_int(value, field: str, errors: dict, *, signed: bool = False, required=False):
    if value in (None, ""):
        if required:
            errors[field] = _("Enter a number.")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = _("Enter a whole number (no decimals).")
        return None
    if value < 0 and not signed:
        errors[field] = _("This may not be negative.")
        return None
    return value


def _clean(cooperative, month, figures, lines, today) -> tuple[dict, list[dict]]:
    """Validated figures and lines, or ValidationError with every message at once."""
    errors: dict = {}
    if month is None:
        errors["month"] = _("Choose the month.")
    elif month.day != 1:
        month = month.replace(day=1)
    if month is not None and month > rules.first_of_month(today):
        errors["month"] = _("A report cannot be made for a month that has not begun yet.")
    clean = {f: _clean_int(figures.get(f), f, errors) for f in FIGURES}
    opened = {
        o.pk: o for o in registry.open_outlets(cooperative_ids=[cooperative.pk])[cooperative.pk]
    }
    clean_lines, seen = [], set()
    for i, line in enumerate(lines):
        outlet_id = line.get("outlet_id")
        prefix = f"line-{i}"
        if outlet_id not in opened:
            errors[prefix] = _(
                "Outlet %(outlet)s is not an open outlet of this cooperative; only open outlets "
                "report figures."
            ) % {"outlet": line.get("label") or outlet_id}
            continue
        if outlet_id in seen:
            errors[prefix] = _("The outlet %(outlet)s appears twice.") % {
                "outlet": opened[outlet_id]
            }
            continue
        seen.add(outlet_id)
        values = {"outlet_id": outlet_id, "label": str(opened[outlet_id])}
        for f in LINE_FIELDS:
            values[f] = _clean_int(
                line.get(f), f"{prefix}-{f}", errors, signed=f == "profit", required=False
            )
        for f in ("revenue", "cogs", "operating_cost", "transactions"):
            if values[f] is None:
                values[f] = 0
        if values["profit"] is None:
            values["profit"] = values["revenue"] - values["cogs"] - values["operating_cost"]
        clean_lines.append(values)
    if (
        clean.get("members_total") is not None
        and clean.get("households")
        and clean["members_total"] > 10 * clean["households"]
    ):
        errors["members_total"] = _("Total members is far above the village's households.")
    if errors:
        raise ValidationError(errors)
    return clean, clean_lines


def _previous(cooperative, month) -> dict | None:
    """Last month's report (any status) as the figures the checks compare with."""
    row = (
        BusinessReport.objects.filter(cooperative=cooperative, month=rules.add_months(month, -1))
        .exclude(status=ReportStatus.REJECTED)
        .annotate(total_revenue=Sum("lines__revenue"))
        .values("members_total", "total_revenue")
        .first()
    )
    if row is None:
        return None
    return {"members_total": row["members_total"], "revenue": row["total_revenue"]}


def _lines_snapshot(report) -> list:
    return [
        {f: getattr(line, f) for f in ("outlet_id", *LINE_FIELDS)}
        for line in report.lines.order_by("outlet_id")
    ]


@transaction.atomic
def report_submit(
    *,
    actor,
    cooperative,
    month: datetime.date,
    figures: dict,
    lines: list[dict],
    source: str = ReportSource.FORM,
    expected_version: int | None = None,
    today: datetime.date | None = None,
    refresh: bool = True,
) -> BusinessReport:
    """Submit the month's report; a second one for the same month corrects the first (audited,
    back to "submitted" for a new check). With `expected_version` (an edit of a loaded copy), a
    copy changed meanwhile is refused."""
    require(actor, Cap.EDIT, cooperative.village_id)
    today = today or timezone.localdate()
    clean, clean_lines = _clean(cooperative, month, figures, lines, today)
    month = month.replace(day=1)
    flags = rules.report_flags(clean, clean_lines, _previous(cooperative, month))
    now = timezone.now()
    report = (
        BusinessReport.objects.select_for_update()
        .filter(cooperative=cooperative, month=month)
        .first()
    )
    if report is not None:
        bump_version(report, expected_version)
        before = {**snapshot(report), "lines": _lines_snapshot(report)}
        report.corrections += 1
        action = "business_report_correct"
    else:
        if expected_version is not None:
            raise ValidationError(_("This report no longer exists. Reload the page."), code="stale")
        report = BusinessReport(cooperative=cooperative, month=month)
        before = {}
        action = "business_report_submit"
    for f, v in clean.items():
        setattr(report, f, v)
    report.flags = flags
    report.source = source
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = now
    report.verified_by = None
    report.verified_at = None
    report.rejection_reason = ""
    report.save()
    if before:
        report.lines.all().delete()
    OutletLine.objects.bulk_create(
        [
            OutletLine(report=report, **{k: v for k, v in line.items() if k != "label"})
            for line in clean_lines
        ]
    )
    after = {**snapshot(report), "lines": _lines_snapshot(report)}
    audit(
        actor=actor,
        action=action,
        obj=report,
        region_code=cooperative.village_id,
        changes=changes_between(before, after),
        note=_("correction no. %(n)s") % {"n": report.corrections} if before else "",
    )
    if refresh:
        status_refresh(cooperative_ids=[cooperative.pk], months=months_from(month, today))
    return report


def months_from(month: datetime.date, today: datetime.date) -> list[datetime.date]:
    months, current = [], rules.first_of_month(today)
    while month <= current:
        months.append(month)
        month = rules.add_months(month, 1)
    return months


def _require_verifier(actor, report) -> None:
    code = report.cooperative.village_id
    if not may_verify_business_report(actor, code):
        require(actor, Cap.VIEW, code)  # 404 outside the scope
        require_rule(False, _("Only the cooperative's BA or the Dinas may check its reports."))
    if report.submitted_by_id == actor.pk:
        raise ValidationError(
            _("You submitted this report; another person must check it (four eyes)."),
            code="four_eyes",
        )
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be checked."), code="state")


@transaction.atomic
def report_verify(
    *, actor, report, expected_version=None, today=None, refresh: bool = True
) -> BusinessReport:
    _require_verifier(actor, report)
    bump_version(report, expected_version)
    report.status = ReportStatus.VERIFIED
    report.verified_by = actor
    report.verified_at = timezone.now()
    report.save(update_fields=["status", "verified_by", "verified_at", "version", "updated_at"])
    audit(
        actor=actor,
        action="business_report_verify",
        obj=report,
        region_code=report.cooperative.village_id,
        changes={"status": [ReportStatus.SUBMITTED, ReportStatus.VERIFIED]},
    )
    today = today or timezone.localdate()
    status_refresh(cooperative_ids=[report.cooperative_id], months=months_from(report.month, today))
    return report


@transaction.atomic
def report_reject(*, actor, report, reason: str, expected_version=None) -> BusinessReport:
    _require_verifier(actor, report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is rejected.")})
    bump_version(report, expected_version)
    report.status = ReportStatus.REJECTED
    report.verified_by = actor
    report.verified_at = timezone.now()
    report.rejection_reason = reason
    report.save(
        update_fields=[
            "status",
            "verified_by",
            "verified_at",
            "rejection_reason",
            "version",
            "updated_at",
        ]
    )
    audit(
        actor=actor,
        action="business_report_reject",
        obj=report,
        region_code=report.cooperative.village_id,
        changes={"status": [ReportStatus.SUBMITTED, ReportStatus.REJECTED]},
        note=reason,
    )
    return report


# --- RAT -----------------------------------------------------------------------------------

RAT_FIELDS = (
    "due_on",
    "scheduled_on",
    "held_on",
    "members_total",
    "members_present",
    "minutes",
    "statement_approved",
    "shu",
    "shu_members",
    "shu_reserve",
    "shu_other",
    "notes",
)


@transaction.atomic
def rat_save(
    *, actor, cooperative, fiscal_year: int, expected_version=None, today=None, **fields
) -> Rat:
    """Record or update the RAT of a fiscal year. The due date defaults to the legal one."""
    require(actor, Cap.EDIT, cooperative.village_id)
    today = today or timezone.localdate()
    rat = (
        Rat.objects.select_for_update()
        .filter(cooperative=cooperative, fiscal_year=fiscal_year)
        .first()
    )
    if rat is None:
        rat = Rat(
            cooperative=cooperative, fiscal_year=fiscal_year, due_on=rules.rat_due(fiscal_year)
        )
        before = {}
    else:
        bump_version(rat, expected_version)
        before = snapshot(rat)
    for f in RAT_FIELDS:
        if f in fields and not (f == "minutes" and not fields[f]):
            setattr(rat, f, fields[f])
    if not rat.due_on:
        rat.due_on = rules.rat_due(fiscal_year)
    errors = {}
    if fiscal_year >= today.year + 1 or fiscal_year < 2000:
        errors["fiscal_year"] = _("Choose a fiscal year that has begun.")
    if rat.held_on and rat.held_on > today:
        errors["held_on"] = _("The meeting date is in the future; plan it instead.")
    if rat.held_on and rat.held_on.year <= fiscal_year:
        errors["held_on"] = _("The RAT is held after the fiscal year has ended.")
    present, total = rat.members_present, rat.members_total
    if present is not None and total is not None and present > total:
        errors["members_present"] = _("More members present than members.")
    parts = (rat.shu_members, rat.shu_reserve, rat.shu_other)
    if rat.shu is not None and rat.shu > 0 and None not in parts and sum(parts) != rat.shu:
        errors["shu_other"] = _("The divided parts do not add up to the SHU.")
    if errors:
        raise ValidationError(errors)
    rat.full_clean(exclude=["cooperative"])
    rat.save()
    audit(
        actor=actor,
        action="business_rat_save",
        obj=rat,
        region_code=cooperative.village_id,
        changes=changes_between(before, snapshot(rat)),
    )
    return rat


RAT_HOURS = (datetime.time(9), datetime.time(13))


@transaction.atomic
def rat_event_open(*, actor, rat: Rat):
    """The RAT's attendance list as an event of the events app (one registration and attendance
    mechanism for events, training sessions and RAT): members register through the event's
    public link and code or are added by the committee, and are checked in at the door. Those
    checked in are the RAT's members present (`selectors.rat_attendance`). Idempotent."""
    cooperative = rat.cooperative
    require(actor, Cap.MANAGE, cooperative.village_id)
    found = Event.objects.filter(subject_type=rules.RAT_SUBJECT, subject_id=str(rat.pk)).first()
    if found is not None:
        return found
    if rat.scheduled_on is None:
        raise ValidationError({"scheduled_on": _("Plan the meeting date first.")})
    zone = timezone.get_current_timezone()
    starts, ends = (datetime.datetime.combine(rat.scheduled_on, t, zone) for t in RAT_HOURS)
    title = _("RAT %(year)s of %(name)s") % {"year": rat.fiscal_year, "name": cooperative.name}
    return events.event_create(
        actor=actor,
        title=str(title)[:200],
        kind=Event.Kind.RAT,
        format=Event.Format.OFFLINE,
        region_id=cooperative.village_id,
        starts_at=starts,
        ends_at=ends,
        organiser=cooperative.name[:200],
        self_registration=True,
        subject_type=rules.RAT_SUBJECT,
        subject_id=str(rat.pk),
    )


def rat_quorum_met(rat) -> bool | None:
    if rat.members_present is None or not rat.members_total:
        return None
    return rat.members_present >= rules.rat_quorum(rat.members_total)


# --- monthly status and health score -------------------------------------------------------


def _rat_fact(rats: dict, fiscal_year: int, on: datetime.date) -> str | None:
    rat = rats.get(fiscal_year)
    due = rat.due_on if rat else rules.rat_due(fiscal_year)
    if rat and rat.held_on:
        return "on_time" if rat.held_on <= due else "late"
    return "missing" if on > due else None


def status_refresh(*, cooperative_ids=None, months: list[datetime.date]) -> int:
    """Recompute status and health score of the cooperatives (all when None) for `months`.

    A constant number of queries per chunk of cooperatives; returns the rows written.
    """
    from kawal.cooperatives.models import Cooperative

    if not months:
        return 0
    if cooperative_ids is None:
        ids = list(Cooperative.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = list(cooperative_ids)
    written = 0
    for start in range(0, len(ids), 2000):
        written += _refresh_chunk(ids[start : start + 2000], sorted(set(months)))
    return written


def _refresh_chunk(ids: list[int], months: list[datetime.date]) -> int:
    from kawal.cooperatives.models import Cooperative
    from kawal.formation.selectors import legal_entity_on

    window_start = rules.add_months(months[0], -6)
    reports = defaultdict(dict)  # coop -> month -> dict
    rows = (
        BusinessReport.objects.filter(
            cooperative_id__in=ids, month__gte=window_start, month__lte=months[-1]
        )
        .exclude(status=ReportStatus.REJECTED)
        .annotate(revenue=Sum("lines__revenue"), profit=Sum("lines__profit"))
        .values(
            "cooperative_id",
            "month",
            "status",
            "submitted_at",
            "revenue",
            "profit",
            "members_total",
            "households",
            "savings_pokok",
            "savings_wajib",
            "savings_sukarela",
            "loan_balance",
            "loan_arrears",
        )
    )
    for row in rows:
        reports[row["cooperative_id"]][row["month"]] = row
    opened = {pk: len(v) for pk, v in registry.open_outlets(cooperative_ids=ids).items()}
    legal = dict(
        Cooperative.objects.filter(pk__in=ids)
        .annotate(legal_on=legal_entity_on())
        .values_list("pk", "legal_on")
    )
    boards = registry.board_complete(cooperative_ids=ids)
    rats = defaultdict(dict)
    for rat in Rat.objects.filter(cooperative_id__in=ids).only(
        "cooperative_id", "fiscal_year", "due_on", "held_on"
    ):
        rats[rat.cooperative_id][rat.fiscal_year] = rat
    new = []
    for pk in ids:
        mine = reports.get(pk, {})
        for month in months:
            new.append(
                _month_status(
                    pk, month, mine, opened.get(pk, 0), boards.get(pk), rats[pk], legal.get(pk)
                )
            )
    MonthlyStatus.objects.filter(cooperative_id__in=ids, month__in=months).delete()
    MonthlyStatus.objects.bulk_create(new, batch_size=2000)
    return len(new)


def _verified(row, key):
    if row is None or row["status"] != ReportStatus.VERIFIED:
        return None
    value = row[key]
    return 0 if value is None and key in ("revenue", "profit") else value


def _savings(row):
    if row is None:
        return None
    parts = [row["savings_pokok"], row["savings_wajib"], row["savings_sukarela"]]
    return None if all(p is None for p in parts) else sum(p or 0 for p in parts)


def _month_status(pk, month, mine, open_outlets, board, rats, legal_on) -> MonthlyStatus:
    span = max(rules.config("vacant_months"), rules.config("growth_months"))
    past = [rules.add_months(month, -i) for i in range(span - 1, -1, -1)]
    revenue = [_verified(mine.get(m), "revenue") for m in past]
    members = [_verified(mine.get(m), "members_total") for m in past]
    status, reason = rules.activity_status(rules.MonthFacts(open_outlets, revenue, members))
    row = mine.get(month)
    verified_row = row if row and row["status"] == ReportStatus.VERIFIED else None
    # Due months count from the first report on (an outlet that opened last month owes no
    # report for the months before).
    first_report = min(mine) if mine else None
    due_months = [
        m
        for m in (rules.add_months(month, -i) for i in range(1, 4))
        if first_report and m >= first_report
    ]
    on_time = sum(
        1
        for m in due_months
        if m in mine and timezone.localdate(mine[m]["submitted_at"]) <= rules.report_due(m)
    )
    before = mine.get(rules.add_months(month, -3))
    before = before if before and before["status"] == ReportStatus.VERIFIED else None
    three = [_verified(mine.get(rules.add_months(month, -i)), "revenue") for i in (2, 1, 0)]
    facts = {
        # The RAT of last fiscal year counts only for a legal entity before that year ended.
        "rat": _rat_fact(rats, month.year - 1, rules.add_months(month, 1) - datetime.timedelta(1))
        if legal_on and legal_on <= datetime.date(month.year - 1, 12, 31)
        else None,
        "board_complete": board,
        "on_time": (on_time, len(due_months)) if due_months else None,
        "loans": verified_row["loan_balance"] if verified_row else None,
        "arrears": verified_row["loan_arrears"] if verified_row else None,
        "revenue": three,
        "profit": _verified(verified_row, "profit") if verified_row else None,
        "revenue_month": _verified(verified_row, "revenue") if verified_row else None,
        "savings_now": _savings(verified_row),
        "savings_before": _savings(before),
        "members": verified_row["members_total"] if verified_row else None,
        "households": verified_row["households"] if verified_row else None,
    }
    items = rules.score_items(facts)
    return MonthlyStatus(
        cooperative_id=pk,
        month=month,
        status=status,
        reason=reason,
        revenue=revenue[-1],
        score=rules.total_score(items),
        score_version=rules.INSTRUMENT_VERSION,
        score_items=items,
    )


# --- the daily task --------------------------------------------------------------------------


def daily_run(*, on: datetime.date) -> dict:
    """Recompute this month's and last month's status for every KMP and write the list of
    reports missing after their due day. Run by the daily task as the system (no actor); it
    writes no personal data. Idempotent for a day."""
    from kawal.cooperatives.models import Cooperative

    current = rules.first_of_month(on)
    written = status_refresh(months=[rules.add_months(current, -1), current])
    due = rules.last_due_month(on)
    operating = Cooperative.objects.filter(registry.open_outlet_count_q("outlets")).distinct()
    missing = operating.exclude(business_reports__month=due).values_list("pk", flat=True)
    ReportReminder.objects.filter(run_on=on).delete()
    ReportReminder.objects.bulk_create(
        [ReportReminder(run_on=on, cooperative_id=pk, month=due) for pk in missing.iterator()],
        batch_size=2000,
    )
    return {
        "statuses": written,
        "missing_reports": ReportReminder.objects.filter(run_on=on).count(),
        "month": str(due),
    }


# --- signboard → follow-up ----------------------------------------------------------------


@transaction.atomic
def signboard_followup(*, actor, cooperative, owner_agency, due_date, reason: str, owner_user=None):
    """A follow-up for a signboard KMP, with its reason, created on behalf of its BA or the
    Dinas (Cap.EDIT on the village)."""
    from kawal.followups.services import followup_create

    require(actor, Cap.EDIT, cooperative.village_id)
    source = MonthlyStatus.objects.filter(cooperative=cooperative).order_by("-month").first()
    if source is None:
        raise ValidationError(_("The status of this cooperative has not been computed yet."))
    return followup_create(
        actor=actor,
        title=_("Revive a signboard cooperative: %(name)s") % {"name": cooperative.name},
        description=reason,
        owner_agency=owner_agency,
        owner_user=owner_user,
        due_date=due_date,
        region_code=cooperative.village_id,
        cooperative=cooperative,
        source=source,
    )
