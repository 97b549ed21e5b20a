"""Reads of the operations app, always from the user's scope.

The "what holds it back" table and the loan portfolio are computed in SQL (one query for the
page of rows, one for the counts), so their query count does not grow with the number of KMP.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.cooperatives.extension_points import Obstacle, fact
from kawal.cooperatives.models import MIN_LAND_M2, Cooperative, Outlet
from kawal.core.scope import Cap, get_scoped_or_404, scoped
from kawal.operations.models import (
    PENDING_LOAN,
    PENDING_PARTNERSHIP,
    Disbursement,
    Installment,
    Loan,
    OutletEvent,
    OutletLife,
    Partner,
    Partnership,
    Repayment,
    Stage,
)
from kawal.regions.models import Region

# --- Shared with other apps ------------------------------------------------------------------


def outlet_opened_on(outlet_ids) -> dict[int, datetime.date]:
    """{outlet id: the day it opened} for the outlets that have opened (read by business)."""
    return dict(
        OutletLife.objects.filter(
            outlet_id__in=list(outlet_ids), opened_on__isnull=False
        ).values_list("outlet_id", "opened_on")
    )


# --- What holds it back ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cause:
    code: str
    label: object
    rank: int


CAUSES = [
    Cause("no_plan", _("no business plan yet"), 1),
    Cause("no_land", _("no land of 1,000 m²"), 2),
    Cause("building", _("outlet under construction"), 3),
    Cause("partnership", _("partnership pending"), 4),
    Cause("loan", _("loan pending"), 5),
    Cause("untrained", _("officers not trained"), 6),
    Cause("not_built", _("construction not started"), 7),
    Cause("not_open", _("built and equipped, not opened yet"), 8),
    Cause("running", _("running"), 9),
]
CAUSE_BY_CODE = {c.code: c for c in CAUSES}
SORTS = {
    "sebab": ("cause_rank", "village__district_code", "village_id"),
    "kecamatan": ("village__district_code", "cause_rank", "village_id"),
}


def _fact_q(key: str):
    registered = fact(key)
    return registered.q() if registered else None


RANK_TO_CODE = {c.rank: c.code for c in CAUSES}
RUNNING_RANK = CAUSE_BY_CODE["running"].rank


def _cause_rank():
    """One CASE over membership tests, checked in the order of CAUSES (the first one wins).

    The details (which outlet, which partner) are read afterwards for the page's rows only.
    """
    # Uncorrelated IN sets: each is built once per query (PostgreSQL hashes it, SQLite keeps a
    # temporary index), where correlated EXISTS probed every cooperative: 5 s → 0.5 s for the
    # national counts with 80,000 KMP (docs/performance.md).
    live = Outlet.objects.exclude(status=Outlet.Status.TUTUP)

    def having(queryset):
        if connection.vendor == "postgresql":
            return Q(pk__in=queryset.values("cooperative_id"))
        # SQLite re-reads such sets per row once the scope joins the regions (11 s for one
        # regency of the national data set); its correlated EXISTS walk an index instead.
        return Q(Exists(queryset.filter(cooperative=OuterRef("pk"))))

    plan = having(live)
    plan_fact = _fact_q("business_plan")
    if plan_fact is not None:
        plan = plan & plan_fact
    whens = [
        (having(live.filter(status=Outlet.Status.BEROPERASI)), "running"),
        (~Q(plan), "no_plan"),
        (~having(live.filter(land_area_m2__gte=MIN_LAND_M2)), "no_land"),
        (
            having(
                live.filter(status=Outlet.Status.PEMBANGUNAN).exclude(life__stage=Stage.EQUIPPED)
            ),
            "building",
        ),
        (having(Partnership.objects.filter(stage__in=PENDING_PARTNERSHIP)), "partnership"),
        (having(Loan.objects.filter(status__in=PENDING_LOAN)), "loan"),
    ]
    trained = _fact_q("officers_trained")
    if trained is not None:
        whens.append((~Q(trained), "untrained"))
    whens.append((~having(live.filter(status=Outlet.Status.PEMBANGUNAN)), "not_built"))
    return Case(
        *[When(q, then=Value(CAUSE_BY_CODE[code].rank)) for q, code in whens],
        default=Value(CAUSE_BY_CODE["not_open"].rank),
        output_field=IntegerField(),
    )


_compiled: dict = {}


def _compiled_sql(key: str, build) -> tuple[str, tuple]:
    """SQL of a constant expression on Cooperative, compiled once per process and database.

    The cause CASE and the legal-entity test do not depend on the user, but building and
    compiling their dozen EXISTS costs Django far more than the database spends running them;
    they are compiled once and reused as RawSQL (the outer table keeps its own name).
    """
    cache_key = (key, connection.vendor)
    if cache_key not in _compiled:
        query = Cooperative.objects.annotate(expression=build()).query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.compile(query.annotations["expression"])
        _compiled[cache_key] = (sql, tuple(params))
    return _compiled[cache_key]


def holds_back_queryset(*, user, cap: str = Cap.VIEW):
    """Every in-scope KMP with a legal entity, annotated with the rank of what holds it back."""
    queryset = Cooperative.objects.all()
    if fact("legal_entity") is not None:
        sql, params = _compiled_sql(
            "legal", lambda: ExpressionWrapper(_fact_q("legal_entity"), BooleanField())
        )
        queryset = queryset.filter(RawSQL(sql, params, output_field=BooleanField()))
    sql, params = _compiled_sql("rank", _cause_rank)
    return scoped(queryset, user, cap).annotate(
        cause_rank=RawSQL(sql, params, output_field=IntegerField())
    )


def holds_back(*, user, cause: str = "", kecamatan: str = "", sort: str = "sebab"):
    """The regency-wide table: KMP that do not run yet, one cause each (details: attach_details)."""
    # "Not running" as its own EXISTS, so the WHERE clause does not repeat the whole CASE.
    running = Outlet.objects.filter(status=Outlet.Status.BEROPERASI).values("cooperative_id")
    queryset = holds_back_queryset(user=user).exclude(pk__in=running)
    if cause in CAUSE_BY_CODE:
        queryset = queryset.filter(cause_rank=CAUSE_BY_CODE[cause].rank)
    if kecamatan:
        queryset = queryset.filter(village__district_code=kecamatan)
    return (
        queryset.select_related("village")
        .only("pk", "name", "village_id", "village__name", "village__district_code")
        .order_by(*SORTS.get(sort, SORTS["sebab"]))
    )


def attach_details(rows, *, districts: bool = True) -> list:
    """Set the cause and the record behind it on a page of rows, in at most four queries."""
    rows = list(rows)
    ids = [row.pk for row in rows]
    for row in rows:
        row.cause = RANK_TO_CODE[row.cause_rank]
        row.building_outlet = row.building_pct = None
        row.partnership_id = row.partnership_partner = None
        row.partnership_stage = row.partnership_since = None
        row.loan_id = row.loan_status = row.loan_since = None
        row.training_url = ""
    wanted = {row.cause for row in rows}
    by_pk = {row.pk: row for row in rows}
    if "building" in wanted:
        building = (
            Outlet.objects.filter(cooperative_id__in=ids, status=Outlet.Status.PEMBANGUNAN)
            .exclude(life__stage=Stage.EQUIPPED)
            .order_by("-progress_pct", "-pk")
            .values_list("cooperative_id", "pk", "progress_pct")
        )
        for coop, pk, pct in building:  # the last one seen wins: the least advanced
            by_pk[coop].building_outlet, by_pk[coop].building_pct = pk, pct
    if "partnership" in wanted:
        pending = (
            Partnership.objects.filter(cooperative_id__in=ids, stage__in=PENDING_PARTNERSHIP)
            .order_by("-stage_since", "-pk")
            .values_list("cooperative_id", "pk", "partner__name", "stage", "stage_since")
        )
        for coop, pk, name, stage, since in pending:  # the oldest wins
            row = by_pk[coop]
            row.partnership_id, row.partnership_partner = pk, name
            row.partnership_stage, row.partnership_since = stage, since
    if "loan" in wanted:
        loans = (
            Loan.objects.filter(cooperative_id__in=ids, status__in=PENDING_LOAN)
            .order_by("-status_since", "-pk")
            .values_list("cooperative_id", "pk", "status", "status_since")
        )
        for coop, pk, status, since in loans:
            row = by_pk[coop]
            row.loan_id, row.loan_status, row.loan_since = pk, status, since
    if "untrained" in wanted:
        trained = fact("officers_trained")  # registered, or the cause could not have fired
        for row in rows:
            if row.cause == "untrained" and trained.url is not None:
                row.training_url = trained.url(row.pk)
    if districts:
        codes = {row.village.district_code for row in rows}
        names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        for row in rows:
            row.district_name = names.get(row.village.district_code, "")
    return rows


def holds_back_counts(*, user, kecamatan: str = "") -> dict:
    """{cause: count} over the user's scope (running included), in one query."""
    queryset = holds_back_queryset(user=user)
    if kecamatan:
        queryset = queryset.filter(village__district_code=kecamatan)
    ranks = dict(queryset.order_by().values_list("cause_rank").annotate(n=Count("pk")))
    counts = {RANK_TO_CODE[rank]: n for rank, n in ranks.items()}
    return {
        "by_cause": [(c, counts.get(c.code, 0)) for c in CAUSES],
        "total": sum(counts.values()),
        "running": counts.get("running", 0),
    }


def holds_back_for(*, user, cooperative) -> Cooperative | None:
    """The line for one KMP (None when it has no legal entity yet)."""
    row = holds_back_queryset(user=user).select_related("village").filter(pk=cooperative.pk).first()
    return attach_details([row], districts=False)[0] if row is not None else None


def describe(row) -> dict:
    """The cause as text plus the record it points to (for templates)."""
    cause = CAUSE_BY_CODE[row.cause]
    detail, record = "", None
    if row.cause == "building" and row.building_outlet:
        detail = f"{row.building_pct or 0}%"
        record = ("outlet", row.building_outlet)
    elif row.cause == "partnership" and row.partnership_id:
        detail = f"{row.partnership_partner} · {Partnership.Stage(row.partnership_stage).label}"
        record = ("partnership", row.partnership_id)
    elif row.cause == "loan" and row.loan_id:
        detail = str(Loan.Status(row.loan_status).label)
        record = ("loan", row.loan_id)
    elif row.cause == "untrained" and getattr(row, "training_url", ""):
        # The training app owns the fact; its page for this KMP says who is still untrained.
        detail = str(_("fewer than two officers have completed a training"))
        record = ("training", row.training_url)
    since = {"partnership": row.partnership_since, "loan": row.loan_since}.get(row.cause)
    slug = {"outlet": "gerai", "partnership": "kemitraan", "loan": "pinjaman"}
    followup = (
        (slug[record[0]], record[1]) if record and record[0] in slug else ("koperasi", row.pk)
    )
    return {
        "cause": cause,
        "detail": detail,
        "record": record,
        "since": since,
        "followup": followup,
    }


RECORD_URLS = {
    "outlet": "operations:outlet",
    "partnership": "operations:partnership",
    "loan": "operations:loan",
}


def obstacles_for(*, user, cooperative_ids) -> dict[int, list[Obstacle]]:
    """{KMP id: [its one cause]} for the in-scope KMP with a legal entity that do not run yet.

    The `cooperative_obstacle` contribution (training reads it for its needs): at most four
    queries for a page or a kecamatan of KMP, like the table.
    """
    ids = list(cooperative_ids)
    if not ids:
        return {}
    rows = (
        holds_back_queryset(user=user)
        .filter(pk__in=ids)
        .only("pk", "name", "village_id")
        .order_by()
    )
    result = {}
    for row in attach_details(rows, districts=False):
        if row.cause == "running":
            continue
        line = describe(row)
        record = line["record"]
        if record and record[0] in RECORD_URLS:
            url = reverse(RECORD_URLS[record[0]], args=[record[1]])
        elif record:
            url = record[1]
        else:
            url = reverse("operations:cooperative", args=[row.pk])
        result[row.pk] = [
            Obstacle(
                source="operations",
                code=row.cause,
                label=str(line["cause"].label),
                detail=line["detail"],
                since=line["since"],
                url=url,
            )
        ]
    return result


def district_choices(*, user) -> list[tuple[str, str]]:
    return list(
        scoped(Region.objects.filter(level=3, is_active=True), user, path="")
        .order_by("code")
        .values_list("code", "name")[:400]
    )


# --- Outlets ---------------------------------------------------------------------------------


def outlet_get(*, user, pk: int, cap: str = Cap.VIEW) -> Outlet:
    return get_scoped_or_404(
        Outlet.objects.select_related("cooperative", "cooperative__village"),
        user,
        cap=cap,
        path="cooperative__village",
        pk=pk,
    )


def outlet_events(*, outlet) -> list[OutletEvent]:
    return list(OutletEvent.objects.filter(outlet=outlet).select_related("recorded_by"))


def outlet_event_get(*, user, pk: int, cap: str = Cap.VIEW) -> OutletEvent:
    return get_scoped_or_404(
        OutletEvent.objects.select_related("outlet", "outlet__cooperative"),
        user,
        cap=cap,
        path="outlet__cooperative__village",
        pk=pk,
    )


def outlet_list(*, user):
    return scoped(
        Outlet.objects.select_related("cooperative", "life"), user, path="cooperative__village"
    ).order_by("cooperative__village_id", "pk")


def stage_counts(*, user) -> dict:
    return dict(
        scoped(Outlet.objects.all(), user, path="cooperative__village")
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )


# --- Cooperative page and checklist ----------------------------------------------------------


def cooperative_get(*, user, pk: int, cap: str = Cap.VIEW) -> Cooperative:
    return get_scoped_or_404(
        Cooperative.objects.select_related("village"),
        user,
        cap=cap,
        pk=pk,
    )


def cooperative_operations(*, cooperative) -> dict:
    outlets = list(
        Outlet.objects.filter(cooperative=cooperative).select_related("life").order_by("pk")
    )
    partnerships = list(
        Partnership.objects.filter(cooperative=cooperative).select_related("partner", "outlet")
    )
    loans = list(Loan.objects.filter(cooperative=cooperative).select_related("bank"))
    return {"outlets": outlets, "partnerships": partnerships, "loans": loans}


def checklist(*, user, cooperative, data: dict | None = None) -> list[dict]:
    """What the KMP still needs, in order; each item done or not, with where to act."""
    data = data or cooperative_operations(cooperative=cooperative)
    outlets = [o for o in data["outlets"] if o.status != Outlet.Status.TUTUP]
    row = holds_back_for(user=user, cooperative=cooperative)
    items = [
        ("legal", _("Legal entity"), row is not None),
        (
            "plan",
            _("Business plan and at least one outlet planned"),
            bool(row and row.cause != "no_plan" and outlets),
        ),
        (
            "land",
            _("Land of at least 1,000 m²"),
            any((o.land_area_m2 or 0) >= MIN_LAND_M2 for o in outlets),
        ),
        (
            "built",
            _("An outlet built and equipped"),
            any(o.status in (Outlet.Status.BEROPERASI, Outlet.Status.JEDA) for o in outlets)
            or any(getattr(o, "life", None) and o.life.stage == "lengkap" for o in outlets),
        ),
        (
            "partner",
            _("An active supply or offtake partnership"),
            any(p.stage == Partnership.Stage.ACTIVE for p in data["partnerships"]),
        ),
        (
            "finance",
            _("Financing arranged (or not needed)"),
            any(
                loan.status in (Loan.Status.DISBURSED, Loan.Status.REPAYING, Loan.Status.PAID)
                for loan in data["loans"]
            ),
        ),
        ("open", _("An outlet open"), any(o.status == Outlet.Status.BEROPERASI for o in outlets)),
    ]
    trained = fact("officers_trained")
    if trained is not None:  # only when the training app is there to say so
        done = Cooperative.objects.filter(trained.q(), pk=cooperative.pk).exists()
        items.insert(-1, ("trained", _("At least two officers trained"), done))
    return [{"key": k, "label": label, "done": done} for k, label, done in items]


# --- Partners and partnerships ---------------------------------------------------------------


def partner_list(*, user, kind: str = ""):
    queryset = scoped(Partner.objects.all(), user, path="region").annotate(
        pending=Count("partnerships", filter=Q(partnerships__stage__in=PENDING_PARTNERSHIP)),
        active=Count("partnerships", filter=Q(partnerships__stage=Partnership.Stage.ACTIVE)),
    )
    return queryset.filter(kind=kind) if kind else queryset


def partner_get(*, user, pk: int, cap: str = Cap.VIEW) -> Partner:
    return get_scoped_or_404(Partner.objects.all(), user, cap=cap, path="region", pk=pk)


def partner_choices(*, user, cooperative=None, banks: bool = False):
    queryset = Partner.objects.filter(is_active=True)
    if cooperative is not None:
        # partners registered for the cooperative's regency or anywhere above it
        village = cooperative.village
        queryset = queryset.filter(
            region_id__in=[village.province_code, village.regency_code, village.district_code]
        )
    else:
        queryset = scoped(queryset, user, path="region")
    queryset = queryset.filter(kind=Partner.Kind.BANK) if banks else queryset
    return queryset.order_by("name")


def partnership_list(*, user, partner: str = "", stage: str = "", kecamatan: str = ""):
    queryset = scoped(
        Partnership.objects.select_related(
            "partner", "cooperative", "cooperative__village"
        ).order_by("stage_since", "pk"),
        user,
        path="cooperative__village",
    )
    if partner.isdigit():
        queryset = queryset.filter(partner_id=int(partner))
    if stage == "menunggu":
        queryset = queryset.filter(stage__in=PENDING_PARTNERSHIP)
    elif stage in Partnership.Stage.values:
        queryset = queryset.filter(stage=stage)
    if kecamatan:
        queryset = queryset.filter(cooperative__village__district_code=kecamatan)
    return queryset


def partnership_get(*, user, pk: int, cap: str = Cap.VIEW) -> Partnership:
    return get_scoped_or_404(
        Partnership.objects.select_related(
            "partner", "cooperative", "cooperative__village", "outlet"
        ),
        user,
        cap=cap,
        path="cooperative__village",
        pk=pk,
    )


def partner_waits(*, user) -> dict:
    """How many KMP wait on which partner, since when, at which stage, per kecamatan.

    Two grouped queries: per partner × stage, and per partner × kecamatan.
    """
    pending = scoped(
        Partnership.objects.filter(stage__in=PENDING_PARTNERSHIP),
        user,
        path="cooperative__village",
    ).order_by()
    by_stage = pending.values("partner_id", "partner__name", "stage").annotate(
        kmp=Count("cooperative", distinct=True), since=Min("stage_since")
    )
    partners: dict[int, dict] = {}
    for row in by_stage:
        entry = partners.setdefault(
            row["partner_id"],
            {
                "id": row["partner_id"],
                "name": row["partner__name"],
                "stages": {},
                "total": 0,
                "since": row["since"],
                "districts": [],
            },
        )
        entry["stages"][row["stage"]] = row["kmp"]
        entry["total"] += row["kmp"]
        entry["since"] = min(entry["since"], row["since"])
    district_name = Region.objects.filter(
        code=OuterRef("cooperative__village__district_code")
    ).values("name")[:1]
    by_district = (
        pending.values("partner_id", "cooperative__village__district_code")
        .annotate(kmp=Count("cooperative", distinct=True), since=Min("stage_since"))
        .annotate(district=Subquery(district_name))
        .order_by("partner_id", "cooperative__village__district_code")
    )
    for row in by_district:
        partners[row["partner_id"]]["districts"].append(
            {
                "code": row["cooperative__village__district_code"],
                "name": row["district"],
                "kmp": row["kmp"],
                "since": row["since"],
            }
        )
    rows = sorted(partners.values(), key=lambda p: (-p["total"], p["name"]))
    for row in rows:
        row["cells"] = [(s, row["stages"].get(s, 0)) for s in PENDING_PARTNERSHIP]
    return {
        "rows": rows,
        "stages": [(s, Partnership.Stage(s).label) for s in PENDING_PARTNERSHIP],
    }


# --- Loans -----------------------------------------------------------------------------------

# OJK collectability classes by days in arrears (upper bound inclusive).
COLLECTABILITY = [
    (1, _("Current (lancar)"), 0),
    (2, _("Special mention (DPK)"), 90),
    (3, _("Substandard (kurang lancar)"), 120),
    (4, _("Doubtful (diragukan)"), 180),
    (5, _("Loss (macet)"), None),
]


def collectability(days: int) -> int:
    """OJK class 1–5 from days in arrears: 0 · 1–90 · 91–120 · 121–180 · over 180."""
    for klass, _label, upper in COLLECTABILITY:
        if upper is None or days <= upper:
            return klass
    return 5


def collectability_label(klass: int):
    return COLLECTABILITY[klass - 1][1]


def _loan_annotations(today):
    oldest_unpaid = (
        Installment.objects.filter(loan=OuterRef("pk"), due_on__lt=today)
        .filter(paid__lt=_installment_amount())
        .order_by("due_on")
        .values("due_on")[:1]
    )
    disbursed = (
        Disbursement.objects.filter(loan=OuterRef("pk"))
        .order_by()
        .values("loan")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    repaid_principal = (
        Installment.objects.filter(loan=OuterRef("pk"))
        .order_by()
        .values("loan")
        .annotate(s=Sum("paid_principal"))
        .values("s")
    )
    return {
        "disbursed": Coalesce(Subquery(disbursed), 0),
        "repaid_principal": Coalesce(Subquery(repaid_principal), 0),
        "oldest_unpaid": Subquery(oldest_unpaid),
    }


def _installment_amount():
    from django.db.models import F

    return F("principal") + F("interest")


def _klass_case(today):
    whens = [When(oldest_unpaid__isnull=True, then=Value(1))]
    for klass, _label, upper in COLLECTABILITY[1:]:
        if upper is not None:
            whens.append(
                When(oldest_unpaid__gte=today - datetime.timedelta(days=upper), then=Value(klass))
            )
    return Case(*whens, default=Value(5), output_field=IntegerField())


def loan_list(*, user, status: str = "", bank: str = "", kecamatan: str = "", klass: str = ""):
    today = timezone.localdate()
    queryset = scoped(
        Loan.objects.select_related("bank", "cooperative", "cooperative__village")
        .annotate(**_loan_annotations(today))
        .annotate(klass=_klass_case(today))
        .order_by("cooperative__village_id", "pk"),
        user,
        path="cooperative__village",
    )
    if status in Loan.Status.values:
        queryset = queryset.filter(status=status)
    elif status == "menunggu":
        queryset = queryset.filter(status__in=PENDING_LOAN)
    if bank.isdigit():
        queryset = queryset.filter(bank_id=int(bank))
    if kecamatan:  # a kecamatan, or a regency row of the province or national portfolio
        level = "regency_code" if len(kecamatan) == 5 else "district_code"
        queryset = queryset.filter(**{f"cooperative__village__{level}": kecamatan})
    if klass.isdigit():
        queryset = queryset.filter(klass=int(klass), disbursed__gt=0)
    return queryset


def days_in_arrears(loan, today=None) -> int:
    today = today or timezone.localdate()
    oldest = getattr(loan, "oldest_unpaid", None)
    return (today - oldest).days if oldest else 0


def loan_get(*, user, pk: int, cap: str = Cap.VIEW) -> Loan:
    return get_scoped_or_404(
        Loan.objects.select_related(
            "bank", "cooperative", "cooperative__village", "outlet"
        ).annotate(**_loan_annotations(timezone.localdate())),
        user,
        cap=cap,
        path="cooperative__village",
        pk=pk,
    )


def loan_ledger(*, loan) -> dict:
    installments = list(loan.installments.all())
    today = timezone.localdate()
    for row in installments:
        row.late_days = (
            (today - row.due_on).days if row.due_on < today and row.paid < row.amount else 0
        )
    return {
        "installments": installments,
        "disbursements": list(loan.disbursements.all()),
        "repayments": list(Repayment.objects.filter(loan=loan)),
        "due_to_date": sum(i.amount for i in installments if i.due_on <= today),
        "paid": sum(i.paid for i in installments),
    }


def _grouped(queryset, keys: tuple, **measures) -> dict:
    return {
        tuple(row[k] for k in keys): row
        for row in queryset.order_by().values(*keys).annotate(**measures)
    }


def portfolio(*, user, kecamatan: str = "") -> dict:
    """Proposed, approved, disbursed, outstanding and in arrears, per kecamatan and per bank.

    Each figure is one grouped scan of its own table (loans, tranches, instalments), never a
    subquery per loan, so the page costs the same few queries at any size. Arrears: the loans
    with an unpaid instalment past its due date (read once, bucketed into OJK classes here).
    """
    today = timezone.localdate()
    path = "cooperative__village"
    loans = scoped(Loan.objects.all(), user, path=path)
    disbursements = scoped(Disbursement.objects.all(), user, path="loan__" + path)
    installments = scoped(Installment.objects.all(), user, path="loan__" + path)
    if kecamatan:
        loans = loans.filter(cooperative__village__district_code=kecamatan)
        disbursements = disbursements.filter(loan__cooperative__village__district_code=kecamatan)
        installments = installments.filter(loan__cooperative__village__district_code=kecamatan)
    # A province or the nation: one row per regency, never a row per kecamatan of the country
    # (1.8 MB at national scope); one small query decides.
    by_regency = (
        not kecamatan
        and loans.order_by().values("cooperative__village__regency_code").distinct()[:2].count() > 1
    )
    proposed = ~Q(status=Loan.Status.DRAFT)
    approved = Q(
        status__in=[
            Loan.Status.APPROVED,
            Loan.Status.DISBURSED,
            Loan.Status.REPAYING,
            Loan.Status.PAID,
        ]
    )
    district = "cooperative__village__" + ("regency_code" if by_regency else "district_code")
    bank = "bank_id"
    loan_measures = {
        "n": Count("pk"),
        "proposed": Coalesce(Sum("amount_requested", filter=proposed), 0),
        "approved": Coalesce(Sum("amount_approved", filter=approved), 0),
        "rejected_n": Count("pk", filter=Q(status=Loan.Status.REJECTED)),
    }
    by_district = _grouped(loans, (district,), **loan_measures)
    by_bank = _grouped(loans, (bank, "bank__name"), **loan_measures)
    # Money out and principal back, grouped by kecamatan and bank in one pass each.
    out = _grouped(
        disbursements, ("loan__" + district, "loan__bank_id"), s=Coalesce(Sum("amount"), 0)
    )
    back = _grouped(
        installments.filter(paid_principal__gt=0),
        ("loan__" + district, "loan__bank_id"),
        s=Coalesce(Sum("paid_principal"), 0),
    )
    overdue = (
        installments.filter(due_on__lt=today, paid__lt=F("principal") + F("interest"))
        .order_by()
        .values("loan_id", "loan__" + district, "loan__bank_id")
        .annotate(oldest=Min("due_on"))
    )
    borrowers = disbursements.order_by().values("loan_id").distinct().count()
    classes = {k: 0 for k, _label, _u in COLLECTABILITY}
    arrears: dict = {}
    for row in overdue:
        classes[collectability((today - row["oldest"]).days)] += 1
        for key in (("d", row["loan__" + district]), ("b", row["loan__bank_id"])):
            arrears[key] = arrears.get(key, 0) + 1
    classes[1] = borrowers - sum(v for k, v in classes.items() if k > 1)

    def totals(rows: dict, position: int) -> dict:
        summed: dict = {}
        for key, row in rows.items():
            summed[key[position]] = summed.get(key[position], 0) + row["s"]
        return summed

    out_by = {0: totals(out, 0), 1: totals(out, 1)}
    back_by = {0: totals(back, 0), 1: totals(back, 1)}

    def money(rows: dict, position: int, value) -> int:
        by = out_by if rows is out else back_by
        return by[position].get(value, 0)

    names = dict(
        Region.objects.filter(code__in=[k[0] for k in by_district]).values_list("code", "name")
    )
    per_district = []
    for (code,), row in sorted(by_district.items(), key=lambda kv: kv[0][0]):
        row.update(
            code=code,
            name=names.get(code, code),
            disbursed=money(out, 0, code),
            repaid=money(back, 0, code),
            arrears_n=arrears.get(("d", code), 0),
        )
        per_district.append(row)
    per_bank = []
    for (bank_id, _name), row in sorted(by_bank.items(), key=lambda kv: kv[0][1]):
        row.update(
            disbursed=money(out, 1, bank_id),
            repaid=money(back, 1, bank_id),
            arrears_n=arrears.get(("b", bank_id), 0),
        )
        per_bank.append(row)
    keys = ("n", "proposed", "approved", "rejected_n", "disbursed", "repaid", "arrears_n")
    total = {k: sum(r[k] for r in per_district) for k in keys}
    for row in [*per_district, *per_bank, total]:
        row["outstanding"] = row["disbursed"] - row["repaid"]
    return {
        "per_district": per_district,
        "per_bank": per_bank,
        "total": total,
        "classes": [(k, label, classes[k]) for k, label, _u in COLLECTABILITY],
        "by_regency": by_regency,
    }
