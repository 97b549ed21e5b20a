"""Writes of the leaders' view: the weekly snapshot and the issued reports (never other apps'
data). A report is requested in the web request (one row, unique per kind, region and period)
and made by the task worker (`reports.tasks.make_report`), which stores its numbers, its PDF and
its XLSX once; nothing recomputes them afterwards."""

import calendar
import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kawal.core.audit import audit
from kawal.core.codes import is_valid_code, level_of
from kawal.core.scope import may_issue_report, require_rule
from kawal.regions.models import Region
from kawal.reports import selectors
from kawal.reports.models import NATIONAL, CachedFigures, IssuedReport, Snapshot

log = logging.getLogger(__name__)


# --- Snapshots --------------------------------------------------------------------------------


def snapshot_take(*, on: datetime.date, synthetic: bool = False) -> dict:
    """The week's snapshot of every region holding a KMP (and the country), written once: the
    first run of a week writes it, later runs of the same week leave it alone. Run by the daily
    job as the system (no actor, no personal data)."""
    week = selectors.week_start(on)
    if Snapshot.objects.filter(taken_on=week).exists():
        return {"week": str(week), "written": 0}
    rows = [
        Snapshot(region_code=code, taken_on=week, figures=numbers, is_synthetic=synthetic)
        for code, numbers in selectors.headlines_by_region(on=on).items()
    ]
    Snapshot.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return {"week": str(week), "written": len(rows)}


def daily_snapshot(*, on: datetime.date) -> dict:
    """The daily job: the week's snapshot, and the day's kept counts of the country and of
    each province holding a KMP, so that no leader waits for the first count of the day."""
    result = snapshot_take(on=on)
    provinces = selectors.cooperatives_in(root=None).values_list("village__province_code")
    codes = [NATIONAL, *sorted(set(code for (code,) in provinces.distinct()))]
    for code in codes:
        figures_recount(region_code=code, on=on)
    result["recounted"] = len(codes)
    return result


# --- The counts of large regions, kept a few minutes ------------------------------------------

# The country and a province (level 1): summing their KMP takes seconds at national size, so
# their counts are kept. A copy younger than FRESH is served as it is; an older one is served
# while the worker recounts; one older than LIMIT (the worker is down, or the day changed) is
# recounted in the request. Smaller regions are counted live, in tens of milliseconds.
KEPT_LEVELS = (0, 1)
FRESH = datetime.timedelta(minutes=10)
LIMIT = datetime.timedelta(hours=1)


def counted_figures(
    *, root: str | None, on: datetime.date
) -> tuple[dict, datetime.datetime | None]:
    """(`selectors.counted` of `root`, when they were counted if they are a kept copy). The
    caller has checked that the user may read `root`."""
    if (level_of(root) if root else 0) not in KEPT_LEVELS:
        return selectors.counted(root=root, on=on), None
    now = timezone.now()
    code = root or NATIONAL
    kept = CachedFigures.objects.filter(region_code=code, counted_on=on).first()
    if kept is None or now - kept.computed_at > LIMIT:
        return figures_recount(region_code=code, on=on), now
    if now - kept.computed_at > FRESH:
        _ask_recount(kept, now)
    return kept.figures, kept.computed_at


def _ask_recount(kept: CachedFigures, now) -> None:
    """Queue one recount in the worker: the first request to find the copy stale asks; others
    within FRESH see that it was asked (one UPDATE decides, so two requests never both ask)."""
    asked = CachedFigures.objects.filter(pk=kept.pk).filter(
        Q(refresh_asked_at__isnull=True) | Q(refresh_asked_at__lt=now - FRESH)
    )
    if asked.update(refresh_asked_at=now):
        from kawal.reports.tasks import recount_figures

        transaction.on_commit(
            lambda: recount_figures.enqueue(kept.region_code, kept.counted_on.isoformat())
        )


def figures_recount(*, region_code: str, on: datetime.date) -> dict:
    """Count a large region now and keep the result (one row per region, replaced)."""
    tallies = selectors.counted(root=region_code or None, on=on)
    CachedFigures.objects.bulk_create(
        [
            CachedFigures(
                region_code=region_code,
                counted_on=on,
                computed_at=timezone.now(),
                figures=tallies,
            )
        ],
        update_conflicts=True,
        unique_fields=["region_code"],
        update_fields=["counted_on", "computed_at", "figures", "refresh_asked_at"],
    )
    return tallies


# --- Periods ----------------------------------------------------------------------------------


def period_of(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The week (Monday–Sunday) or the month holding `day`."""
    if kind == IssuedReport.Kind.WEEKLY:
        start = selectors.week_start(day)
        return start, start + datetime.timedelta(days=6)
    start = day.replace(day=1)
    return start, start.replace(day=calendar.monthrange(day.year, day.month)[1])


def last_period(kind: str, on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last period that has ended before `on` (Monday's report covers last week)."""
    if kind == IssuedReport.Kind.WEEKLY:
        return period_of(kind, selectors.week_start(on) - datetime.timedelta(days=1))
    return period_of(kind, on.replace(day=1) - datetime.timedelta(days=1))


# --- Requesting and making a report ---------------------------------------------------------


def report_request(*, actor, kind: str, region_code: str, day: datetime.date) -> IssuedReport:
    """Ask for the report of the period holding `day`; the worker makes it.

    Refused (ValidationError, for the form) when the period has not ended yet or the same
    report is already issued or being made; a region outside the actor's scope answers 404."""
    if kind not in IssuedReport.Kind.values:
        raise ValidationError({"kind": _("Choose weekly or monthly.")})
    if not region_code or not is_valid_code(region_code) or level_of(region_code) not in (2, 3):
        from django.http import Http404

        raise Http404
    selectors.root_for(user=actor, code=region_code)  # 404 outside the actor's scope
    require_rule(may_issue_report(actor, region_code))
    start, end = period_of(kind, day)
    if end >= selectors.today():
        raise ValidationError(
            {"day": _("This period has not ended yet; a report is issued for a past period.")}
        )
    existing = IssuedReport.objects.filter(kind=kind, region_id=region_code, period_start=start)
    existing.filter(status=IssuedReport.Status.FAILED).delete()
    report = IssuedReport(
        kind=kind,
        region=Region.objects.get(code=region_code),
        period_start=start,
        period_end=end,
        requested_by=actor if getattr(actor, "pk", None) else None,
        step=_("Waiting for the worker"),
    )
    try:
        with transaction.atomic():
            report.save()
            audit(actor=actor, action="report.request", obj=report, region_code=region_code)
    except IntegrityError:
        raise ValidationError(
            {
                "__all__": _(
                    "This report is already issued or being made by someone else; "
                    "open it in the list below."
                )
            }
        ) from None
    from kawal.reports.tasks import make_report

    transaction.on_commit(lambda: make_report.enqueue(report.pk))
    return report


def _progress(report: IssuedReport, percent: int, step: str) -> None:
    report.progress = percent
    report.step = step
    IssuedReport.objects.filter(pk=report.pk).update(progress=percent, step=step)


def report_make(report_id: int) -> str:
    """Make a requested report: freeze its numbers, draw the PDF and the XLSX, store them.

    Runs in the worker (or inline from the weekly command). A report already made or taken by
    another worker is left alone: only the run that moves it from "waiting" starts it."""
    from kawal.reports import documents

    taken = IssuedReport.objects.filter(pk=report_id, status=IssuedReport.Status.QUEUED).update(
        status=IssuedReport.Status.RUNNING
    )
    if not taken:
        return "skipped"
    report = IssuedReport.objects.select_related("region").get(pk=report_id)
    try:
        _progress(report, 10, _("Counting the figures"))
        numbers = selectors.report_figures(
            region_code=report.region_id,
            period_start=report.period_start,
            period_end=report.period_end,
        )
        numbers["kind"] = report.kind
        numbers["issued_at"] = timezone.now().isoformat()
        IssuedReport.objects.filter(pk=report.pk).update(figures=numbers)
        report.figures = numbers
        _progress(report, 50, _("Drawing the PDF"))
        letterhead = documents.letterhead_for(report.region_id)
        pdf = documents.report_pdf(numbers, letterhead)
        _progress(report, 80, _("Writing the spreadsheet"))
        xlsx = documents.report_xlsx(numbers)
        name = documents.file_stem(report)
        with transaction.atomic():
            report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
            report.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
            report.status = IssuedReport.Status.DONE
            report.progress = 100
            report.step = ""
            report.issued_at = timezone.now()
            report.save(update_fields=["pdf", "xlsx", "status", "progress", "step", "issued_at"])
            audit(actor=None, action="report.issue", obj=report, region_code=report.region_id)
    except Exception as error:  # noqa: BLE001 (the row says it failed; the log keeps why)
        log.exception("report %s failed", report_id)
        IssuedReport.objects.filter(pk=report_id).update(
            status=IssuedReport.Status.FAILED, error=str(error)[:500], step=""
        )
        return "failed"
    return "done"


def weekly_issue(*, kind: str, on: datetime.date, actor=None) -> list[IssuedReport]:
    """The scheduled run (manage.py reports_issue): the last period's report of every regency
    holding a KMP and of each of its kecamatan (the camat's version), made inline."""
    from kawal.cooperatives.models import Cooperative

    start, end = last_period(kind, on)
    codes = set()
    for regency, district in Cooperative.objects.values_list(
        "village__regency_code", "village__district_code"
    ).distinct():
        codes.update((regency, district))
    made = []
    for code in sorted(codes):
        report, created = IssuedReport.objects.get_or_create(
            kind=kind,
            region_id=code,
            period_start=start,
            defaults={"period_end": end, "step": _("Waiting for the worker")},
        )
        if created:
            audit(actor=actor, action="report.request", obj=report, region_code=code)
        if report.status == IssuedReport.Status.QUEUED:
            report_make(report.pk)
            report.refresh_from_db()
        made.append(report)
    return made
