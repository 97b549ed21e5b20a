"""What formation adds to other pages: the cooperative page's timeline, list filters and
columns, and the home panels. Registered in FormationConfig.ready()."""

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from kawal.cooperatives import selectors as coop_selectors
from kawal.cooperatives.extension_points import (
    COOPERATIVE_FACT,
    COOPERATIVE_LIST_COLUMN,
    COOPERATIVE_LIST_FILTER,
    COOPERATIVE_SECTION,
    Fact,
    ListColumn,
    ListFilter,
    Section,
)
from kawal.core.extensions import contribute
from kawal.core.nav import HomePanel, NavItem
from kawal.core.scope import Cap, can, has_capability, is_board_only
from kawal.formation import selectors
from kawal.formation import steps as pipeline
from kawal.formation.models import StepRecord

# --- Cooperative page ----------------------------------------------------------------------


def timeline_section(request, cooperative):
    items = selectors.timeline(cooperative=cooperative)
    current = selectors.current_step(items)
    done = sum(1 for i in items if i.is_done)
    return {
        "items": items,
        "current": current.step.code if current else "",
        "done": done,
        "total": len(items),
        "may_edit": can(request.user, Cap.EDIT, cooperative.village_id),
        "may_verify": can(request.user, Cap.VERIFY, cooperative.village_id),
        "cooperative": cooperative,
    }


SECTIONS = [Section("timeline", "formation/section_timeline.html", timeline_section, order=10)]

# --- List filters --------------------------------------------------------------------------


def _step_choices(user):
    return [(s.code, str(s.label)) for s in pipeline.steps_for("pendirian_baru")] + [
        (code, str(pipeline.SHORT_LABELS[code]))
        for code in pipeline.ALL_STEP_CODES
        if code not in {s.code for s in pipeline.steps_for("pendirian_baru")}
    ]


def _status_choices(user):
    return list(StepRecord.Status.choices)


def _apply_step(queryset, value, user, params):
    """`tahap` + `status_tahap`: cooperatives whose step has that status (default: done)."""
    if value not in pipeline.ALL_STEP_CODES:
        return queryset
    status = params.get("status_tahap") or StepRecord.Status.SELESAI
    if status not in StepRecord.Status.values:
        status = StepRecord.Status.SELESAI
    return queryset.filter(selectors.step_status_q(value, status))


def _apply_nothing(queryset, value, user, params):
    return queryset  # read by `tahap`


def _apply_overdue(queryset, value, user, params):
    q = selectors.overdue_q()
    return queryset.filter(q) if value == "ya" else queryset.exclude(q)


def _apply_stuck(queryset, value, user, params):
    q = selectors.stuck_q()
    return queryset.filter(q) if value == "ya" else queryset.exclude(q)


def _yes_no(user):
    return [("ya", gettext("yes")), ("tidak", gettext("no"))]


FILTERS = [
    ListFilter("tahap", _("Step"), _step_choices, _apply_step, order=10),
    ListFilter("status_tahap", _("Step status"), _status_choices, _apply_nothing, order=20),
    ListFilter("terlambat", _("Overdue (target passed)"), _yes_no, _apply_overdue, order=30),
    ListFilter("macet", _("Stuck"), _yes_no, _apply_stuck, order=40),
]


# --- List columns --------------------------------------------------------------------------


def _annotate(user, rows):
    selectors.stage_for_rows(rows=rows)


EXPORT_STEPS = [
    ("musdesus", "musdesus_date", None),
    ("rapat_pendirian", "meeting_date", None),
    ("akta", "akta_date", "akta_number"),
    ("sk_ahu", "sk_date", "sk_number"),
    ("berita_negara", "bn_date", "bn_number"),
    ("npwp", "npwp_date", "npwp_number"),
    ("nib", "nib_date", "nib_number"),
]


def _export(row):
    values = [str(row.stage["label"]), row.stage["status"], row.has_legal_entity]
    for code, _date, number in EXPORT_STEPS:
        record = row.steps_by_code.get(code)
        done = record is not None and record.status == StepRecord.Status.SELESAI
        values.append(record.completed_on if done else None)
        if number:
            values.append(record.document_number if done else "")
    return values


EXPORT_HEADERS = ("tahap_saat_ini", "status_tahap", "badan_hukum") + tuple(
    h for _c, date, number in EXPORT_STEPS for h in ((date, number) if number else (date,))
)

COLUMNS = [
    ListColumn(
        "stage",
        _("Current step"),
        "formation/cell_stage.html",
        _annotate,
        EXPORT_HEADERS,
        _export,
        order=10,
    )
]

# --- Home panel ----------------------------------------------------------------------------


def board_next_step(user) -> dict | None:
    """A cooperative board's own KMP: its next step as one button, and the steps it still lacks."""
    cooperative = (
        coop_selectors.cooperative_list(user=user).select_related("village").order_by("pk").first()
    )
    if cooperative is None:
        return None
    items = selectors.timeline(cooperative=cooperative, user=user)
    step = selectors.current_step(items)
    return {
        "cooperative": cooperative,
        "next": step,
        "lacking": [item for item in items if not item.is_done and item is not step],
        "done": sum(1 for item in items if item.is_done),
        "total": len(items),
        "may_edit": can(user, Cap.EDIT, cooperative.village_id),
    }


def home_panel(request):
    user = request.user
    if not has_capability(user, Cap.VIEW):
        return None
    if is_board_only(user):
        board = board_next_step(user)
        return {"board": board} if board else None
    run_on = selectors.reminder_latest_run(user=user)
    reminders = []
    if run_on:
        reminders = selectors.reminder_rows(
            reminders=selectors.reminder_list(user=user, run_on=run_on)[:8], on=run_on, user=user
        )
    return {
        "summary": selectors.legal_entity_summary(user=user),
        "run_on": run_on,
        "reminders": reminders,
        "per_kecamatan": selectors.reminder_per_kecamatan(user=user, run_on=run_on)[:10]
        if run_on
        else [],
        "to_verify": selectors.documents_to_verify(user=user).count()
        if has_capability(user, Cap.VERIFY)
        else None,
    }


# --- Facts other apps read (operations: "what holds it back") -------------------------------


def _step_done_q(codes_by_scheme: dict) -> Q:
    # An uncorrelated IN: the database builds the set of cooperatives once (PostgreSQL hashes
    # it, SQLite keeps it as a temporary index) instead of probing per cooperative, which cost
    # about a second per fact with 80,000 KMP (docs/performance.md).
    if connection.vendor == "postgresql":
        return Q(pk__in=selectors.steps_done(codes_by_scheme).values("cooperative_id"))
    # SQLite re-reads such a set per row once a scope joins the regions (seconds for one
    # regency of the national data set); its correlated EXISTS walk the unique index instead.
    which = Q(pk__in=[])
    for scheme, code in codes_by_scheme.items():
        which |= Q(step=code, cooperative__scheme=scheme)
    return Q(
        Exists(
            StepRecord.objects.filter(
                which, cooperative=OuterRef("pk"), status=StepRecord.Status.SELESAI
            )
        )
    )


def legal_entity_q() -> Q:
    return _step_done_q(pipeline.LEGAL_ENTITY_STEP)


def business_plan_q() -> Q:
    # The SIMKOPDES account is where the business plan is filed.
    return _step_done_q({scheme: "simkopdes" for scheme in pipeline.LEGAL_ENTITY_STEP})


FACTS = [
    Fact("legal_entity", _("has its legal entity"), legal_entity_q),
    Fact("business_plan", _("business plan filed in SIMKOPDES"), business_plan_q),
]


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav",
        NavItem(gettext_lazy("Progress"), "formation:matrix", Cap.VIEW, order=21, group="koperasi"),
        NavItem(
            gettext_lazy("Notaries"), "formation:notaries", Cap.VIEW, order=24, group="koperasi"
        ),
    )
    contribute(
        "home_panel",
        HomePanel(
            "formation/panel_home.html",
            home_panel,
            order=20,
            placement={"pengurus": 1, "pimpinan": 5, "satgas": 60},
        ),
    )
    contribute(COOPERATIVE_SECTION, *SECTIONS)
    contribute(COOPERATIVE_LIST_FILTER, *FILTERS)
    contribute(COOPERATIVE_LIST_COLUMN, *COLUMNS)
    contribute(COOPERATIVE_FACT, *FACTS)
