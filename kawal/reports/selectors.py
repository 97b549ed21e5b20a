"""Reads of the leaders' view: the phase funnel, the table per child region, overdue follow-ups
per agency, contact gaps, training and budget, the trends from snapshots, and issued reports.

Every figure is an aggregate: one grouped query over the cooperatives of a region counts every
phase for every child region at once, so a village, a kecamatan, a regency, a province or the
country all cost the same number of queries (docs/reports.md §Performance). The functions below
take a root region code (None: the country) and an optional user; with a user, the user's scope
is applied as well (the root is checked by the view to lie inside it). Without a user they are
the system's figures (the weekly snapshot, the issued reports).

Selector functions per page (timed by the national benchmark):
  dashboard_figures(user=, root=)   the dashboard (/dasbor/)
  map_figures(user=, root=, measure=)  the map's colours (/dasbor/peta/)
  report_figures(region_code=, period_start=, period_end=)  an issued report's numbers
"""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kawal.accounts.models import Agency
from kawal.budget import selectors as budget
from kawal.business import rules as business_rules
from kawal.business.models import MonthlyStatus
from kawal.cooperatives.models import Cooperative, Outlet
from kawal.core.codes import ANCESTOR_FIELD, is_valid_code, level_of
from kawal.core.scope import Cap, dashboard_roots, may_view_dashboard, region_q
from kawal.followups.models import FollowUp, overdue_q
from kawal.formation.models import StepRecord
from kawal.formation.selectors import legal_entity_done
from kawal.mentoring.models import Consultation, Visit
from kawal.operations.models import Loan, Partnership
from kawal.potential.models import BumdesUnit
from kawal.readiness.models import Assessment, Category
from kawal.readiness.selectors import COUNTED, latest_counted
from kawal.regions.models import Region
from kawal.reports.models import NATIONAL, IssuedReport, Snapshot
from kawal.training.models import Participant
from kawal.training.selectors import TRAINED_TARGET

CAP = Cap.VIEW_DASHBOARD
NO_CONTACT_DAYS = (30, 60)
TREND_WEEKS = (4, 12)
OVERDUE_ITEMS = 50  # overdue follow-ups listed by name in a report (the count is always whole)


def today() -> datetime.date:
    return timezone.localdate()


# --- The phases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    key: str  # also the value of the cooperative list's `fase` filter and the snapshot key
    label: object
    sub: bool = False  # a part of the phase above it (the legal-entity documents)
    source: str = ""  # which table must hold rows before a zero means zero


PHASES = [
    Phase("terbentuk", _("Formed (registered KMP)")),
    Phase("badan_hukum", _("Legal entity (SK AHU)"), source="steps"),
    Phase("npwp", _("NPWP"), sub=True, source="steps"),
    Phase("nib", _("NIB"), sub=True, source="steps"),
    Phase("rekening", _("Bank account"), sub=True, source="steps"),
    Phase("siap", _("Institution ready (readiness)"), source="assessments"),
    Phase("gerai_buka", _("Outlet open"), source="outlets"),
    Phase("kemitraan_aktif", _("Partnership active"), source="partnerships"),
    Phase("dibiayai", _("Financed (loan disbursed)"), source="loans"),
    Phase("beroperasi", _("Operating (monthly status)"), source="statuses"),
    Phase("berkembang", _("Growing (monthly status)"), source="statuses"),
]
PHASE_BY_KEY = {p.key: p for p in PHASES}
# Figures about every KMP that are not phases: shown beside the funnel and in the table.
EXTRA = {
    "tanpa_kontak_30": _("No visit or consultation in 30 days"),
    "tanpa_kontak_60": _("No visit or consultation in 60 days"),
    "terlatih": _("Two or more officers trained"),
}
MAP_ONLY = {"tumpang_tindih": _("Outlet overlapping a BUMDes unit")}
FILTER_LABELS = {**{p.key: p.label for p in PHASES[1:]}, **EXTRA, **MAP_ONLY}
HEADLINE = [
    ("terbentuk", _("KMP formed")),
    ("badan_hukum", _("with legal entity")),
    ("siap", _("institution ready")),
    ("gerai_buka", _("outlet open")),
    ("beroperasi", _("operating")),
    ("tanpa_kontak_60", _("no contact in 60 days")),
    ("tindak_lanjut_terlambat", _("overdue follow-ups")),
]
FINANCED = (Loan.Status.DISBURSED, Loan.Status.REPAYING, Loan.Status.PAID)


def status_month(on: datetime.date) -> datetime.date:
    """The business status month the dashboard counts: the last month whose report is due."""
    return business_rules.last_due_month(on)


def _ids(rows):
    """The cooperatives some rows belong to, as a condition on Cooperative.

    On PostgreSQL an uncorrelated set for `pk__in=`: built once per query (a hashed subplan),
    where an `EXISTS` per cooperative costs a lookup per KMP and grows with the country.
    `DISTINCT` keeps the planner's estimate at one row per KMP: PostgreSQL hashes a set only
    while it fits in `work_mem`, and rescans it per row otherwise (visits and outlets are several
    per KMP). SQLite re-reads such a set per row once the scope joins the regions (1.0–1.2 s for
    one regency of the national data set, 0.3 s as a correlated `EXISTS` on the indexes), so
    there each set is an `EXISTS` (docs/performance.md)."""
    rows = rows.order_by()
    if connection.vendor == "postgresql":
        return Q(pk__in=rows.values("cooperative_id").distinct())
    return Q(Exists(rows.filter(cooperative=OuterRef("pk"))))


def _no_contact(days: int, on: datetime.date, within: Q):
    """Neither a visit nor a consultation since `days` ago (both always name their KMP, so the
    `NOT IN` sets hold no NULL)."""
    since = on - datetime.timedelta(days=days)
    visited = Visit.objects.filter(within, visit_date__gte=since)
    consulted = Consultation.objects.filter(within, date__gte=since)
    return ~_ids(visited) & ~_ids(consulted)


def _trained(within: Q):
    officers = (
        Participant.objects.filter(within, completed=True, officer__is_active=True)
        .values("cooperative_id")
        .annotate(n=Count("officer", distinct=True))
        .filter(n__gte=TRAINED_TARGET)
    )
    return _ids(officers)


def _bumdes_overlap(within: Q):
    """A live outlet of the KMP in a business line an active unit of its village's BUMDes
    already runs (the overlap of kawal.potential.analysis, by business line, in SQL)."""
    units = BumdesUnit.objects.filter(
        bumdes__village_id=OuterRef("cooperative__village_id"),
        bumdes__is_active=True,
        is_active=True,
        category=OuterRef("outlet_type"),
    )
    outlets = (
        Outlet.objects.filter(within)
        .exclude(status=Outlet.Status.TUTUP)
        .exclude(outlet_type__in=(Outlet.Type.KANTOR, Outlet.Type.LAINNYA))
        .filter(Exists(units))
    )
    return _ids(outlets)


def condition(key: str, on: datetime.date | None = None, root: str | None = None):
    """The condition on Cooperative (a Q of uncorrelated sets) of a phase or extra figure; the
    same one counts on the dashboard and filters the cooperative list (`fase`), so they agree.

    With a `root` region each set is built for that region's KMP only, not for the country's:
    a regency's dashboard then reads thousands of rows, not millions."""
    on = on or today()
    month = status_month(on)
    within = _root_filter(root, "cooperative__village")
    if key == "badan_hukum":
        return _ids(legal_entity_done().filter(within))
    if key in ("npwp", "nib", "rekening"):
        return _ids(StepRecord.objects.filter(within, step=key, status=StepRecord.Status.SELESAI))
    if key == "siap":
        return _ids(latest_counted().filter(within, category=Category.SIAP))
    if key == "gerai_buka":
        return _ids(Outlet.objects.filter(within, status=Outlet.Status.BEROPERASI))
    if key == "kemitraan_aktif":
        return _ids(Partnership.objects.filter(within, stage=Partnership.Stage.ACTIVE))
    if key == "dibiayai":
        return _ids(Loan.objects.filter(within, status__in=FINANCED))
    if key in ("beroperasi", "berkembang"):
        statuses = (
            (business_rules.BEROPERASI, business_rules.BERKEMBANG)
            if key == "beroperasi"
            else (business_rules.BERKEMBANG,)
        )
        return _ids(MonthlyStatus.objects.filter(within, month=month, status__in=statuses))
    if key == "tanpa_kontak_30":
        return _no_contact(NO_CONTACT_DAYS[0], on, within)
    if key == "tanpa_kontak_60":
        return _no_contact(NO_CONTACT_DAYS[1], on, within)
    if key == "terlatih":
        return _trained(within)
    if key == "tumpang_tindih":
        return _bumdes_overlap(within)
    raise KeyError(key)


COUNTED_KEYS = [p.key for p in PHASES[1:]] + list(EXTRA)


# --- Regions and scope -----------------------------------------------------------------------


def root_for(*, user, code: str = "") -> str | None:
    """The region the dashboard sums: the asked one (inside the user's scope, else 404) or the
    user's first top region; None is the country (a national grant)."""
    if code:
        if code == "id":
            code = None
        elif not is_valid_code(code):
            raise Http404
        if not may_view_dashboard(user, code):
            raise Http404
        if code and not Region.objects.filter(code=code).exists():
            raise Http404
        return code
    roots = dashboard_roots(user)
    if not roots:
        raise Http404
    return roots[0]


def child_field(root: str | None) -> str:
    """The Region column naming the child of `root` each row belongs to."""
    level = 0 if root is None else level_of(root)
    return ANCESTOR_FIELD[min(level + 1, 4)]


def _root_filter(root: str | None, path: str = "village") -> Q:
    if root is None:
        return Q()
    return Q(**{f"{path}__{ANCESTOR_FIELD[level_of(root)]}": root})


def cooperatives_in(*, root: str | None):
    return Cooperative.objects.filter(_root_filter(root))


def region_name(code: str | None) -> str:
    if code is None:
        return str(_("Indonesia"))
    found = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return found or code


def breadcrumbs(*, user, root: str | None) -> list[dict]:
    """The way up from `root` to the user's top region (one query), for the drill-down."""
    if root is None:
        return []
    codes = []
    code = root
    while code:
        codes.append(code)
        code = code[: {1: 0, 2: 2, 3: 5, 4: 8}[level_of(code)]] or None
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    crumbs = []
    if may_view_dashboard(user, None):
        crumbs.append({"code": "id", "name": str(_("Indonesia"))})
    for code in reversed(codes):
        if code != root and may_view_dashboard(user, code):
            crumbs.append({"code": code, "name": names.get(code, code)})
    return crumbs


def children_of(root: str | None) -> list[tuple[str, str]]:
    regions = Region.objects.filter(is_active=True)
    regions = regions.filter(level=1) if root is None else regions.filter(parent_id=root)
    return list(regions.order_by("name").values_list("code", "name"))


# --- Links to the lists behind the numbers -----------------------------------------------------


def region_params(code: str | None) -> dict:
    """The cooperative list's parameters selecting one region: `kecamatan` for a kecamatan,
    the code as search text (a village code prefix) otherwise."""
    if not code or code == "id":
        return {}
    if level_of(code) == 3:
        return {"kecamatan": code}
    return {"q": code}


@functools.cache
def _list_url(name: str) -> str:
    return reverse(name)  # a page links several hundred numbers: reverse each list once


def cooperative_link(key: str, code: str | None) -> str:
    params = region_params(code)
    if key != "terbentuk":
        params = {"fase": key, **params}
    url = _list_url("cooperatives:list")
    return f"{url}?{urlencode(params)}" if params else url


def followup_link(code: str | None, agency: str = "") -> str:
    params = {"status": "terlambat"}
    if agency:
        params["instansi"] = agency
    if code and code != "id":
        params["wilayah"] = code
    return f"{_list_url('followups:list')}?{urlencode(params)}"


# --- Counting -------------------------------------------------------------------------------


def _aggregates(on: datetime.date, keys=None, root: str | None = None) -> dict:
    return dict(_built_aggregates(on, tuple(keys or COUNTED_KEYS), root))


@functools.lru_cache(maxsize=64)
def _built_aggregates(on: datetime.date, keys: tuple, root: str | None) -> tuple:
    """The conditional counts, built once per day, set of keys and region: building fourteen
    subqueries in the ORM costs more than the database spends on a small region (expressions
    are copied when a query resolves them, so sharing them is safe)."""
    measures = {"terbentuk": Count("pk")}
    for key in keys:
        measures[key] = Count("pk", filter=condition(key, on, root))
    return tuple(measures.items())


def phase_counts(
    cooperatives, *, group: str | None, on: datetime.date, keys=None, root: str | None = None
) -> dict:
    """{child code: {key: n}} (or one dict when `group` is None): one query for any size.
    `root` (the region the cooperatives lie in) narrows the sets the counts read."""
    measures = _aggregates(on, keys, root)
    if group is None:
        return cooperatives.order_by().aggregate(**measures)
    path = "village_id" if group == "code" else f"village__{group}"
    rows = cooperatives.order_by().values(path).annotate(**measures)
    return {row.pop(path): row for row in rows}


def data_present(cooperatives, *, on: datetime.date) -> set[str]:
    """Which sources hold any row for these cooperatives (one query of uncorrelated EXISTS)."""
    ids = cooperatives.order_by().values("pk")
    probes = {
        "steps": Exists(StepRecord.objects.filter(cooperative__in=ids)),
        "assessments": Exists(Assessment.objects.filter(cooperative__in=ids, status__in=COUNTED)),
        "outlets": Exists(Outlet.objects.filter(cooperative__in=ids)),
        "partnerships": Exists(Partnership.objects.filter(cooperative__in=ids)),
        "loans": Exists(Loan.objects.filter(cooperative__in=ids)),
        "statuses": Exists(
            MonthlyStatus.objects.filter(cooperative__in=ids, month=status_month(on))
        ),
    }
    row = Region.objects.annotate(**probes).values(*probes)[:1]
    found = next(iter(row), None) or {}
    return {name for name, present in found.items() if present}


def overdue_followups(*, root: str | None, on: datetime.date):
    return FollowUp.objects.filter(overdue_q(on), _root_filter(root, "region"))


def overdue_by_agency(*, root: str | None, on: datetime.date) -> list[dict]:
    """[{code, name, n}] of the agencies owning overdue follow-ups, most first (no links: the
    counts may be kept, see `counted`)."""
    rows = (
        overdue_followups(root=root, on=on)
        .order_by()
        .values("owner_agency__code", "owner_agency__short_name")
        .annotate(n=Count("pk"))
    )
    found = [
        {"code": r["owner_agency__code"], "name": r["owner_agency__short_name"], "n": r["n"]}
        for r in rows
    ]
    found.sort(key=lambda r: (-r["n"], r["name"]))
    return found


def overdue_by_child(*, root: str | None, on: datetime.date) -> dict[str, int]:
    field = child_field(root)
    path = "region_id" if field == "code" else f"region__{field}"
    rows = overdue_followups(root=root, on=on).order_by().values_list(path).annotate(n=Count("pk"))
    return dict(rows)


def headline_of(counts: dict, overdue: int) -> dict:
    """The numbers a snapshot keeps (and the trends compare)."""
    figures = {key: counts.get(key, 0) for key in ["terbentuk", *COUNTED_KEYS]}
    figures["tindak_lanjut_terlambat"] = overdue
    return figures


# --- Trends ---------------------------------------------------------------------------------


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def trends(*, root: str | None, on: datetime.date) -> dict[int, Snapshot | None]:
    """{weeks: the snapshot of the week `weeks` before this one, or None} (one query)."""
    this_week = week_start(on)
    wanted = {w: this_week - datetime.timedelta(weeks=w) for w in TREND_WEEKS}
    found = {
        s.taken_on: s
        for s in Snapshot.objects.filter(
            region_code=root or NATIONAL, taken_on__in=list(wanted.values())
        )
    }
    return {w: found.get(day) for w, day in wanted.items()}


# --- Training and budget ----------------------------------------------------------------------


def budget_figures(*, user, on: datetime.date) -> dict | None:
    """The budget lines in the user's scope for this year (three queries), or None when the
    year has no line."""
    totals = budget.overview(user=user, year=on.year)
    return totals if totals["lines"] else None


# --- The dashboard ----------------------------------------------------------------------------


def _funnel(counts: dict, present: set, root: str | None) -> list[dict]:
    total = counts.get("terbentuk", 0)
    rows = []
    for phase in PHASES:
        n = counts.get(phase.key, 0)
        known = phase.key == "terbentuk" or n > 0 or phase.source in present
        rows.append(
            {
                "key": phase.key,
                "label": phase.label,
                "sub": phase.sub,
                "n": n if known else None,
                "pct": round(100 * n / total) if known and total else 0,
                "url": cooperative_link(phase.key, root),
            }
        )
    return rows


def _table(
    children: list, per_child: dict, overdue: dict, present: set, root: str | None
) -> list[dict]:
    keys = ["terbentuk", *COUNTED_KEYS]
    rows = []
    for code, name in children:
        counts = per_child.get(code, {})
        cells = []
        for key in keys:
            phase = PHASE_BY_KEY.get(key)
            n = counts.get(key, 0)
            known = phase is None or not phase.source or phase.source in present
            url = cooperative_link(key, code) if known and n else ""  # zeros are no links
            cells.append({"key": key, "n": n if known else None, "url": url})
        rows.append(
            {
                "code": code,
                "name": name,
                "level": level_of(code),
                "cells": cells,
                "shown": [c for c in cells if c["key"] in DASHBOARD_COLUMNS],
                "overdue": overdue.get(code, 0),
                "overdue_url": followup_link(code),
            }
        )
    return rows


# The dashboard's table keeps the columns a leader reads; the report's XLSX has every one.
DASHBOARD_COLUMNS = (
    "terbentuk",
    "badan_hukum",
    "siap",
    "gerai_buka",
    "kemitraan_aktif",
    "dibiayai",
    "beroperasi",
    "tanpa_kontak_60",
    "terlatih",
)


def table_headers(*, dashboard: bool = False) -> list[tuple[str, object]]:
    short = {
        "terbentuk": _("KMP"),
        "badan_hukum": _("Legal entity"),
        "npwp": _("NPWP"),
        "nib": _("NIB"),
        "rekening": _("Account"),
        "siap": _("Ready"),
        "gerai_buka": _("Outlet open"),
        "kemitraan_aktif": _("Partnership"),
        "dibiayai": _("Financed"),
        "beroperasi": _("Operating"),
        "berkembang": _("Growing"),
        "tanpa_kontak_30": _("No contact 30 d"),
        "tanpa_kontak_60": _("No contact 60 d"),
        "terlatih": _("Trained"),
    }
    keys = DASHBOARD_COLUMNS if dashboard else ["terbentuk", *COUNTED_KEYS]
    return [(key, short[key]) for key in keys]


# The figures every dashboard, map and report of a region is drawn from; with the map's overlap.
COUNTED_WITH_MAP = [*COUNTED_KEYS, "tumpang_tindih"]


def counted(*, root: str | None, on: datetime.date) -> dict:
    """The costly part of a region's dashboard and map, as JSON values: the counts per child
    region, which sources hold any row, the overdue follow-ups per agency and per child.

    Four queries, whatever the size of the region. It is the system's view of `root`: a
    dashboard grant covers whole regions, so whoever may read `root` reads these numbers (the
    callers check that first). For the country and a province they are kept a few minutes
    (`services.counted_figures`)."""
    cooperatives = cooperatives_in(root=root)
    per_child = phase_counts(
        cooperatives, group=child_field(root), on=on, keys=COUNTED_WITH_MAP, root=root
    )
    # A zero needs to know whether its source holds any row ("belum ada data" or a real 0).
    zero = any(not any(row.get(p.key) for row in per_child.values()) for p in PHASES if p.source)
    present = data_present(cooperatives, on=on) if zero else {p.source for p in PHASES}
    return {
        "on": on.isoformat(),
        "per_child": {code or "": row for code, row in per_child.items()},
        "present": sorted(present),
        "agencies": overdue_by_agency(root=root, on=on),
        "overdue_child": {code or "": n for code, n in overdue_by_child(root=root, on=on).items()},
    }


def figures(*, root: str | None, on: datetime.date | None = None, tallies=None) -> dict:
    """Every number of the dashboard and of a report for `root`, as plain values, from
    `tallies` (the result of `counted`, perhaps kept) or counted now.

    Queries: the four of `counted`, child names (1), trends (1): six, whatever the size."""
    on = on or today()
    tallies = tallies or counted(root=root, on=on)
    per_child = tallies["per_child"]
    present = set(tallies["present"])
    overdue_child = tallies["overdue_child"]
    agencies = [{**a, "url": followup_link(root, a["code"])} for a in tallies["agencies"]]
    keys = ["terbentuk", *COUNTED_KEYS]
    counts = {key: sum(row.get(key, 0) for row in per_child.values()) for key in keys}
    overdue_total = sum(a["n"] for a in agencies)
    children = children_of(root)
    headline = headline_of(counts, overdue_total)
    snaps = trends(root=root, on=on)
    headline_rows = []
    for key, label in HEADLINE:
        funnel_phase = PHASE_BY_KEY.get(key)
        known = funnel_phase is None or not funnel_phase.source or headline[key] > 0
        known = known or funnel_phase.source in present
        then = {}
        for weeks, snap in snaps.items():
            then[weeks] = snap.figures.get(key) if snap is not None else None
        url = (
            followup_link(root) if key == "tindak_lanjut_terlambat" else cooperative_link(key, root)
        )
        headline_rows.append(
            {
                "key": key,
                "label": label,
                "n": headline[key] if known else None,
                "w4": then[TREND_WEEKS[0]],
                "w12": then[TREND_WEEKS[1]],
                "url": url,
            }
        )
    return {
        "root": root,
        "on": on,
        "month": status_month(on),
        "total": counts["terbentuk"],
        "headline": headline,
        "headline_rows": headline_rows,
        "funnel": _funnel(counts, present, root),
        "extra": [
            {
                "key": key,
                "label": label,
                "n": counts.get(key, 0),
                "pct": round(100 * counts.get(key, 0) / counts["terbentuk"])
                if counts["terbentuk"]
                else 0,
                "url": cooperative_link(key, root),
            }
            for key, label in EXTRA.items()
        ],
        "agencies": agencies,
        "overdue_total": overdue_total,
        "overdue_url": followup_link(root),
        "rows": _table(children, per_child, overdue_child, present, root),
        "unplaced_overdue": sum(n for code, n in overdue_child.items() if not code),
        "present": sorted(present),
    }


def dashboard_figures(
    *, user, root: str | None, on: datetime.date | None = None, tallies=None
) -> dict:
    """The dashboard page's numbers for `root`, a region the user may read (else 404)."""
    if not may_view_dashboard(user, root):
        raise Http404
    data = figures(root=root, on=on, tallies=tallies)
    # Budget lines belong to a regency (or above) and are summed over the user's whole scope,
    # so they are shown at the user's own top region only, not on a drill-down.
    data["budget_here"] = root in dashboard_roots(user)
    data["budget"] = budget_figures(user=user, on=data["on"]) if data["budget_here"] else None
    return data


# --- Snapshots (the daily job, as the system) --------------------------------------------------


def headlines_by_region(*, on: datetime.date) -> dict[str, dict]:
    """{region code or "" (the country): headline numbers} for every province, regency and
    kecamatan holding a KMP: three grouped queries per table, whatever the country's size."""
    everyone = Cooperative.objects.all()
    result: dict[str, dict] = {}
    national = phase_counts(everyone, group=None, on=on)
    overdue = FollowUp.objects.filter(overdue_q(on))
    result[NATIONAL] = headline_of(national, overdue.count())
    for level in (1, 2, 3):
        field = ANCESTOR_FIELD[level]
        per = phase_counts(everyone, group=field, on=on)
        late = dict(overdue.order_by().values_list(f"region__{field}").annotate(n=Count("pk")))
        for code, counts in per.items():
            if code:
                result[code] = headline_of(counts, late.get(code, 0))
    return result


# --- Issued reports --------------------------------------------------------------------------


def report_regions(*, user, within: str | None) -> list[tuple[str, str]]:
    """What the report form offers under the region picked on the page (one query): a regency
    and its kecamatan, the regencies of a province, a kecamatan alone; nothing for the whole
    country, where a province is picked first (`report_areas`). Never thousands of choices."""
    if within is None:
        return []
    level = level_of(within)
    regions = Region.objects.filter(is_active=True).filter(region_q(user, CAP, path=""))
    if level == 1:
        regions = regions.filter(level=2, parent_id=within)
    elif level == 2:
        regions = regions.filter(Q(code=within) | Q(level=3, parent_id=within))
    else:
        regions = regions.filter(code=within[:8])
    regions = regions.order_by("level", "name")
    return [
        (code, name if level == 2 else f"— {name}")
        for code, name, level in regions.values_list("code", "name", "level")
    ]


def report_areas(*, user, within: str | None) -> list[tuple[str, str]]:
    """The regions a user above one regency picks from to narrow the report form (one query):
    the provinces for a national user, then the regencies of the picked province; [] for a user
    with one regency or kecamatan, whose form already lists everything it may issue."""
    roots = dashboard_roots(user)
    if roots and all(code and level_of(code) >= 2 for code in roots) and len(roots) == 1:
        return []
    province = within[:2] if within else None
    wanted = Q(level=1) if None in roots else Q(code__in=[c for c in roots if c])
    if province:
        wanted |= Q(level=2, parent_id=province)
    regions = Region.objects.filter(wanted, is_active=True).filter(region_q(user, CAP, path=""))
    return [
        (code, name if level == 1 else f"— {name}")
        for code, name, level in regions.order_by("province_code", "level", "name").values_list(
            "code", "name", "level"
        )
    ]


def issued_reports(*, user):
    return (
        IssuedReport.objects.filter(region_q(user, CAP, path="region"))
        .select_related("region", "requested_by")
        .defer("figures")
    )


def issued_report_get(*, user, pk) -> IssuedReport:
    try:
        return IssuedReport.objects.select_related("region").get(
            region_q(user, CAP, path="region"), pk=pk
        )
    except (IssuedReport.DoesNotExist, ValueError):
        raise Http404 from None


def report_figures(*, region_code: str, period_start, period_end) -> dict:
    """An issued report's numbers (the system's view of the region), plain JSON values.

    The numbers are those of the day it is issued (the data keeps no history to count an
    earlier day from); the scheduled run issues a week's report the Monday after it."""
    on = today()
    data = figures(root=region_code, on=on)
    overdue = list(
        overdue_followups(root=region_code, on=on)
        .select_related("owner_agency", "owner_user", "region", "cooperative")
        .order_by("due_date", "pk")[:OVERDUE_ITEMS]
    )
    items = [
        {
            "title": f.title,
            "agency": f.owner_agency.short_name,
            "owner": (f.owner_user.get_full_name() or f.owner_user.username)
            if f.owner_user
            else "",
            "due": f.due_date.isoformat(),
            "days": (on - f.due_date).days,
            "region": f.cooperative.name if f.cooperative_id else f.region.name,
        }
        for f in overdue
    ]
    return {
        "region_code": region_code,
        "region_name": region_name(region_code),
        "level": level_of(region_code),
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "as_of": on.isoformat(),
        "status_month": data["month"].isoformat(),
        "total": data["total"],
        "headline": [
            {"key": r["key"], "label": str(r["label"]), "n": r["n"], "w4": r["w4"], "w12": r["w12"]}
            for r in data["headline_rows"]
        ],
        "funnel": [
            {
                "key": r["key"],
                "label": str(r["label"]),
                "sub": r["sub"],
                "n": r["n"],
                "pct": r["pct"],
            }
            for r in data["funnel"]
        ],
        "extra": [{"key": r["key"], "label": str(r["label"]), "n": r["n"]} for r in data["extra"]],
        "headers": [str(label) for _key, label in table_headers()],
        "rows": [
            {"name": r["name"], "cells": [c["n"] for c in r["cells"]], "overdue": r["overdue"]}
            for r in data["rows"]
        ],
        "agencies": [{"name": a["name"], "n": a["n"]} for a in data["agencies"]],
        "overdue_total": data["overdue_total"],
        "overdue_items": items,
    }


def agencies_named(codes) -> dict[str, str]:
    return dict(Agency.objects.filter(code__in=list(codes)).values_list("code", "short_name"))


def home_region() -> str:
    return settings.KAWAL_HOME_REGION


# --- The map ----------------------------------------------------------------------------------

MEASURES = {
    "fase": _("Phase reached by half of the KMP"),
    "siap": _("Share of KMP ready (readiness)"),
    "tumpang_tindih": _("Share of KMP overlapping a BUMDes unit"),
    "beroperasi": _("Share of KMP operating (activity status)"),
    "tanpa_kontak_60": _("Share of KMP without contact in 60 days"),
}
MAP_PHASES = [p for p in PHASES if not p.sub]
# Colours: a sequential scale (light to dark) for shares and phases; grey for no KMP.
SCALE = ["#fde0dd", "#fa9fb5", "#f768a1", "#c51b8a", "#7a0177"]
PHASE_SCALE = [
    "#f1eef6",
    "#d4b9da",
    "#c994c7",
    "#df65b0",
    "#e7298a",
    "#ce1256",
    "#980043",
    "#67001f",
]
REVERSED = {"tanpa_kontak_60"}  # more is worse: the dark end means "act here"
NONE_COLOUR = "#a8a8a8"
BINS = [(0, 0), (1, 24), (25, 49), (50, 74), (75, 100)]


def map_root(root: str | None) -> str:
    """The region whose children the map draws: the dashboard's, or for the country the home
    province (polygons are loaded per region; a national map is drawn per province)."""
    return root or settings.KAWAL_HOME_REGION[:2]


def _phase_index(counts: dict) -> int:
    """The last phase (in funnel order) that at least half of the KMP have reached."""
    total = counts.get("terbentuk", 0)
    reached = 0
    for i, phase in enumerate(MAP_PHASES):
        if counts.get(phase.key, 0) * 2 >= total:
            reached = i
    return reached


def map_figures(*, user, root: str | None, measure: str, on=None, tallies=None) -> dict:
    """The colour and text of every child region of the map's root for one measure, and the
    legend: one grouped query, whatever the size of the region, or none from `tallies` (the
    counts of the map's root, `counted`, perhaps kept)."""
    on = on or today()
    measure = measure if measure in MEASURES else "fase"
    root = map_root(root)
    if not may_view_dashboard(user, root):
        raise Http404
    if tallies is not None:
        per_child = tallies["per_child"]
    else:
        keys = [p.key for p in MAP_PHASES[1:]] + ["tanpa_kontak_60", "tumpang_tindih"]
        per_child = phase_counts(
            cooperatives_in(root=root), group=child_field(root), on=on, keys=keys, root=root
        )
    values = {}
    for code, counts in per_child.items():
        total = counts["terbentuk"]
        if not total:
            continue
        if measure == "fase":
            index = _phase_index(counts)
            colour = PHASE_SCALE[index]
            text = str(MAP_PHASES[index].label)
        else:
            share = round(100 * counts[measure] / total)
            step = next(i for i, (low, high) in enumerate(BINS) if low <= share <= high)
            colour = SCALE[len(SCALE) - 1 - step] if measure in REVERSED else SCALE[step]
            text = f"{share}% ({counts[measure]}/{total} KMP)"
        values[code] = {"colour": colour, "text": text}
    return {"root": root, "measure": measure, "values": values, "legend": map_legend(measure)}


def map_legend(measure: str) -> list[dict]:
    """The colours of a measure and what each means (no query)."""
    if measure == "fase":
        legend = [
            {
                "colour": PHASE_SCALE[i],
                "label": str(phase.label),
            }
            for i, phase in enumerate(MAP_PHASES)
        ]
    else:
        legend = [
            {
                "colour": SCALE[len(SCALE) - 1 - i] if measure in REVERSED else SCALE[i],
                "label": f"{low}%" if low == high else f"{low}–{high}%",
            }
            for i, (low, high) in enumerate(BINS)
        ]
    legend.append({"colour": NONE_COLOUR, "label": str(_("no KMP"))})
    return legend
