"""Synthetic data at any scale, written at COPY speed, for benchmarks and load tests.

NOT demo data and NOT real data: every cooperative it writes is named "KMP Sintetis …" and every
user it creates is called `sintetis-…`. Nothing goes through the services (no audit rows, no
rules checked): it writes rows straight into the tables, with `COPY` on PostgreSQL and
`executemany` on SQLite, so 80,000 KMP with 18 months of history load in a few minutes.

One generator, used by `manage.py synthetic_data` and by the benchmarks in `benchmarks/`:

    world = generate(village_codes, months=18, seed=15)

Per KMP (deterministic for a seed): formation steps up to a random point (about 92% with a legal
entity), 1–3 outlets with their operations lifecycle, partnerships, loans with disbursements and
a repayment schedule (some in arrears), a mentor (a business assistant follows ten KMP), field
visits, follow-ups, readiness assessments, monthly business reports for every month of the
window (outlet lines for the open outlets) and the computed monthly status.
"""

import datetime
import json
import math
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, models
from django.utils import timezone

SYNTHETIC_PREFIX = "KMP Sintetis"
USER_PREFIX = "sintetis-"
OUTLET_TYPES = (
    "sembako",
    "apotek",
    "kantor",
    "simpan_pinjam",
    "klinik",
    "cold_storage",
    "logistik",
)
# Outlet lifecycle stage (operations) → the registry's outlet status, and how often each occurs.
OUTLET_STAGES = (
    ("rencana", "rencana", 30),
    ("lahan", "persiapan", 15),
    ("bangun", "pembangunan", 25),
    ("lengkap", "persiapan", 8),
    ("buka", "beroperasi", 20),
    ("jeda", "jeda", 1),
    ("tutup", "tutup", 1),
)
PARTNERS = (
    ("Perum Bulog (sintetis)", "bulog"),
    ("Pupuk Indonesia (sintetis)", "pupuk"),
    ("Pertamina Patra Niaga (sintetis)", "lpg"),
    ("Bank BRI (sintetis)", "bank"),
    ("Bank BNI (sintetis)", "bank"),
    ("Bank Mandiri (sintetis)", "bank"),
    ("Bank BTN (sintetis)", "bank"),
)


# --- writing rows fast ------------------------------------------------------------------


def _json(value):
    return json.dumps(value)


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


def insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert plain tuples (in `fields` order) into `model`'s table; other columns get their
    default (auto_now → now, null → NULL). COPY on PostgreSQL, executemany elsewhere."""
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    now = timezone.now()
    extra = []
    for f in meta.concrete_fields:
        if f in given or isinstance(f, models.AutoField | models.BigAutoField):
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            extra.append((f, now))
        elif f.has_default():
            extra.append((f, f.get_default()))
        elif f.null:
            extra.append((f, None))
        elif isinstance(f, models.CharField | models.TextField | models.FileField):
            extra.append((f, ""))
        else:
            raise ValueError(f"{meta.label}.{f.name} needs a value")
    pg = connection.vendor == "postgresql"

    def prep(f):
        if isinstance(f, models.JSONField):
            return _json
        if isinstance(f, models.DateTimeField) and not pg:
            return connection.ops.adapt_datetimefield_value
        if isinstance(f, models.DateField) and not pg:
            return lambda v: None if v is None else v.isoformat()
        return None

    converters = [prep(f) for f in given]
    extra_values = tuple((prep(f)(v) if prep(f) and v is not None else v) for f, v in extra)
    columns = [f.column for f in given] + [f.column for f, _ in extra]
    needs = [i for i, c in enumerate(converters) if c]

    def ready(row):
        if needs:
            row = list(row)
            for i in needs:
                if row[i] is not None:
                    row[i] = converters[i](row[i])
        return tuple(row) + extra_values

    count = 0
    table = connection.ops.quote_name(meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if pg:
            # Text COPY lines built here: psycopg's per-value adaptation (write_row) is the
            # bottleneck at a million rows.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                lines = []
                for row in rows:
                    lines.append("\t".join(map(_copy_text, ready(row))))
                    count += 1
                    if len(lines) >= 20000:
                        copy.write("\n".join(lines) + "\n")
                        lines = []
                if lines:
                    copy.write("\n".join(lines) + "\n")
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch = []
        for row in rows:
            batch.append(ready(row))
            if len(batch) >= 20000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


# --- the world --------------------------------------------------------------------------


@dataclass
class World:
    """What was written: row counts per table and seconds spent, plus handy ids."""

    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    months: list = field(default_factory=list)
    cooperative_ids: list = field(default_factory=list)

    def timed(self, name, fn):
        started = time.perf_counter()
        result = fn()
        self.seconds[name] = time.perf_counter() - started
        if isinstance(result, int):
            self.counts[name] = result
        return result


def month_start(day: datetime.date, back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class _Kmp:
    pk: int
    village: str
    scheme: str
    legal_on: datetime.date | None
    mentor: int = 0
    outlets: list = field(default_factory=list)  # [(pk, stage, opened_on)]


def generate(
    village_codes: Sequence[str],
    *,
    months: int = 18,
    seed: int = 15,
    today: datetime.date | None = None,
    with_outlet_lines: bool = True,
) -> World:
    """Write the synthetic world for these villages (which must have no cooperative yet)."""
    from kawal.formation.steps import LEGAL_ENTITY_STEP, STEPS_BY_SCHEME

    rng = random.Random(seed)
    today = today or timezone.localdate()
    _skip_row_triggers()
    window = [month_start(today, back) for back in range(months, 0, -1)]
    world = World(months=window)
    start = window[0]
    span = (today - start).days

    # Cooperatives and formation steps.
    schemes = ["pendirian_baru"] * 85 + ["pengembangan"] * 12 + ["revitalisasi"] * 3
    plan = [(code, rng.choice(schemes)) for code in village_codes]
    world.timed("cooperatives", lambda: _cooperatives(plan))
    ids = _ids_by_village(village_codes)
    kmps = []
    step_rows = []
    for code, scheme in plan:
        steps = STEPS_BY_SCHEME[scheme]
        codes = [s.code for s in steps]
        legal_index = codes.index(LEGAL_ENTITY_STEP[scheme])
        legal = rng.random() < 0.92
        done = (
            rng.randint(legal_index + 1, len(codes) - 1) if legal else rng.randint(1, legal_index)
        )
        day = start + datetime.timedelta(days=rng.randint(0, 40))
        legal_on = None
        pk = ids[code]
        for i, step in enumerate(codes[: done + 1]):
            if i < done:
                day = day + datetime.timedelta(days=rng.randint(3, 25))
                day = min(day, today)
                step_rows.append((pk, step, "selesai", day - datetime.timedelta(days=3), day))
                if i == legal_index:
                    legal_on = day
            else:
                step_rows.append((pk, step, "berjalan", day, None))
        kmps.append(_Kmp(pk, code, scheme, legal_on))
    world.cooperative_ids = [k.pk for k in kmps]
    world.timed("formation steps", lambda: _steps(step_rows))

    legal = [k for k in kmps if k.legal_on]
    world.timed("outlets", lambda: _outlets(legal, rng, today))
    world.timed("partnerships", lambda: _partnerships(legal, rng, today))
    world.timed("loans", lambda: _loans(legal, rng, today))
    world.timed("mentors", lambda: _mentors(kmps, start))
    world.timed("visits", lambda: _visits(kmps, rng, start, span))
    world.timed("follow-ups", lambda: _followups(kmps, rng, today))
    world.timed("assessments", lambda: _assessments(legal, rng, today))
    world.timed("business reports", lambda: _reports(legal, rng, window))
    if with_outlet_lines:
        world.timed("outlet lines", lambda: _outlet_lines(legal, rng, window))
    world.timed("monthly statuses", lambda: _statuses(kmps, rng, window))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return world


def _skip_row_triggers() -> None:
    """On PostgreSQL, as a superuser inside a transaction: skip the per-row foreign-key
    triggers for this transaction (the rows are consistent by construction). Django's foreign
    keys are DEFERRABLE INITIALLY DEFERRED, so otherwise COMMIT checks every one of the
    millions of rows one by one, which takes longer than writing them."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _cooperatives(plan) -> int:
    from kawal.cooperatives.models import Cooperative
    from kawal.regions.models import Region

    names = dict(
        Region.objects.filter(code__in=[c for c, _ in plan]).values_list("code", "name")
        if len(plan) < 5000
        else Region.objects.filter(level=4).values_list("code", "name")
    )
    return insert(
        Cooperative,
        ["village", "name", "scheme", "members_male", "members_female"],
        (
            (code, f"{SYNTHETIC_PREFIX} {names.get(code, code)}", scheme, 20, 15)
            for code, scheme in plan
        ),
    )


def _ids_by_village(codes) -> dict:
    from kawal.cooperatives.models import Cooperative

    rows = Cooperative.objects.values_list("village_id", "pk")
    if len(codes) < 5000:
        rows = rows.filter(village_id__in=codes)
    return dict(rows)


def _steps(rows) -> int:
    from kawal.formation.models import StepRecord

    return insert(StepRecord, ["cooperative", "step", "status", "started_on", "completed_on"], rows)


def _outlets(legal, rng, today) -> int:
    from kawal.cooperatives.models import Outlet
    from kawal.operations.models import OutletLife

    weights = [w for *_, w in OUTLET_STAGES]
    planned = []
    for k in legal:
        for outlet_type in rng.sample(OUTLET_TYPES, rng.choice([1, 1, 2, 3])):
            stage, status, _ = rng.choices(OUTLET_STAGES, weights)[0]
            planned.append((k, outlet_type, stage, status))
    count = insert(
        Outlet,
        ["cooperative", "outlet_type", "status", "progress_pct", "land_area_m2"],
        (
            (
                k.pk,
                t,
                status,
                {"rencana": 0, "lahan": 10, "bangun": rng.randrange(20, 95, 5)}.get(stage, 100),
                None if stage == "rencana" else rng.choice([600, 1000, 1200, 2000]),
            )
            for k, t, stage, status in planned
        ),
    )
    rows = Outlet.objects.values_list("pk", "cooperative_id", "outlet_type")
    if len(legal) < 5000:
        rows = rows.filter(cooperative_id__in=[k.pk for k in legal])
    by_coop = {(coop, outlet_type): pk for pk, coop, outlet_type in rows}
    life = []
    for k, outlet_type, stage, _status in planned:
        pk = by_coop[(k.pk, outlet_type)]
        since = k.legal_on + datetime.timedelta(days=rng.randint(10, 200))
        since = min(since, today)
        opened = since if stage in ("buka", "jeda", "tutup") else None
        k.outlets.append((pk, stage, opened))
        life.append(
            (
                pk,
                stage,
                since,
                "" if stage == "rencana" else rng.choice(["aset_desa", "hibah", "sewa"]),
                "agrinas" if stage in ("bangun", "lengkap", "buka") else "",
                opened,
            )
        )
    insert(
        OutletLife,
        ["outlet", "stage", "stage_since", "land_status", "builder", "opened_on"],
        life,
    )
    return count


def _partners(region: str) -> tuple[list, list]:
    from kawal.operations.models import Partner

    existing = {p.name: p for p in Partner.objects.all()}
    for name, kind in PARTNERS:
        if name not in existing:
            existing[name] = Partner.objects.create(name=name, kind=kind, region_id=region)
    partners = [p.pk for p in existing.values() if p.kind != "bank"]
    banks = [p.pk for p in existing.values() if p.kind == "bank"]
    return partners, banks


def _partnerships(legal, rng, today) -> int:
    from kawal.operations.models import Partnership

    partners, _banks = _partners(legal[0].village[:2])
    stages = ["penjajakan", "diajukan", "verifikasi", "pks", "aktif", "berhenti"]
    weights = [25, 25, 15, 10, 22, 3]

    def rows():
        for k in legal:
            for partner in rng.sample(partners, rng.choice([0, 1, 1, 1, 2])):
                stage = rng.choices(stages, weights)[0]
                since = min(k.legal_on + datetime.timedelta(days=rng.randint(20, 300)), today)
                blocked = "Menunggu verifikasi lahan" if stage == "verifikasi" else ""
                yield k.pk, partner, "beras", stage, since, blocked, "mitra" if blocked else ""

    return insert(
        Partnership,
        ["cooperative", "partner", "covers", "stage", "stage_since", "blocked_reason", "must_act"],
        rows(),
    )


def _loans(legal, rng, today) -> int:
    from kawal.operations.models import Disbursement, Installment, Loan

    _partners_, banks = _partners(legal[0].village[:2])
    statuses = [
        "draft",
        "diajukan",
        "diverifikasi",
        "disetujui",
        "dicairkan",
        "angsuran",
        "ditolak",
    ]
    weights = [15, 30, 15, 10, 10, 15, 5]
    planned = []
    for k in legal:
        if rng.random() < 0.4:
            status = rng.choices(statuses, weights)[0]
            since = min(k.legal_on + datetime.timedelta(days=rng.randint(30, 250)), today)
            amount = rng.randrange(500, 3000, 50) * 1_000_000
            planned.append((k.pk, rng.choice(banks), amount, status, since))
    count = insert(
        Loan,
        [
            "cooperative",
            "bank",
            "amount_requested",
            "amount_approved",
            "status",
            "status_since",
            "term_months",
            "interest_pct",
        ],
        (
            (
                pk,
                bank,
                amount,
                amount if status in ("disetujui", "dicairkan", "angsuran") else None,
                status,
                since,
                12,
                6,
            )
            for pk, bank, amount, status, since in planned
        ),
    )
    paying = list(
        Loan.objects.filter(
            status__in=["dicairkan", "angsuran"], disbursements__isnull=True
        ).values_list("pk", "amount_approved", "status_since")
    )
    insert(
        Disbursement,
        ["loan", "tranche", "amount", "disbursed_on"],
        ((pk, 1, amount, since) for pk, amount, since in paying),
    )

    def installments():
        for pk, amount, since in paying:
            paid_months = rng.choice([12, 12, 12, 6, 3, 1])
            principal = amount // 12
            first = month_start(since, -1)
            for n in range(1, 13):
                due = month_start(first, -(n - 1))
                ok = n <= paid_months and due <= today
                yield (
                    pk,
                    n,
                    due,
                    principal,
                    amount // 200,
                    (principal + amount // 200 if ok else 0),
                    principal if ok else 0,
                )

    insert(
        Installment,
        ["loan", "number", "due_on", "principal", "interest", "paid", "paid_principal"],
        installments(),
    )
    return count


def _mentors(kmps, start) -> int:
    """A business assistant per ten KMP (in code order, so within one kecamatan or two)."""
    from kawal.accounts.models import User
    from kawal.mentoring.models import Assignment, Mentor

    n = math.ceil(len(kmps) / 10)
    taken = User.objects.filter(username__startswith=USER_PREFIX + "ba-").count()
    names = [f"{USER_PREFIX}ba-{taken + i:05d}" for i in range(n)]
    insert(
        User,
        ["username", "password", "first_name", "is_active", "is_staff", "is_superuser"],
        ((name, "!", "BA sintetis", True, False, False) for name in names),
    )
    users = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    mentors = [users[name] for name in names]
    insert(
        Mentor,
        ["user", "kind", "organisation", "region", "contract_start"],
        ((mentors[i], "ba", "sintetis", kmps[i * 10].village[:8], start) for i in range(n)),
    )
    for i, k in enumerate(kmps):
        k.mentor = mentors[i // 10]
    return insert(
        Assignment,
        ["mentor", "cooperative", "started_on"],
        ((k.mentor, k.pk, start) for k in kmps),
    )


def _visits(kmps, rng, start, span) -> int:
    from kawal.mentoring.models import Visit

    def rows():
        for k in kmps:
            for _ in range(rng.choice([0, 2, 3, 4, 5, 6, 8])):
                day = start + datetime.timedelta(days=rng.randint(0, span))
                yield k.pk, k.mentor, day, "Monitoring (sintetis)", rng.random() < 0.05

    return insert(Visit, ["cooperative", "mentor", "visit_date", "purpose", "flag_late"], rows())


def _followups(kmps, rng, today) -> int:
    from kawal.accounts.models import Agency
    from kawal.followups.models import FollowUp

    regencies = sorted({k.village[:5] for k in kmps})
    have = set(Agency.objects.filter(code__startswith="sintetis-").values_list("code", flat=True))
    insert(
        Agency,
        ["code", "name", "short_name", "kind", "region", "is_active"],
        (
            (f"sintetis-{r}", f"Dinas Koperasi {r} (sintetis)", "Diskop", "dinas", r, True)
            for r in regencies
            if f"sintetis-{r}" not in have
        ),
    )
    agencies = dict(
        (code.removeprefix("sintetis-"), pk)
        for code, pk in Agency.objects.filter(code__startswith="sintetis-").values_list(
            "code", "pk"
        )
    )
    statuses = ["baru", "dikerjakan", "selesai", "dibatalkan"]
    weights = [35, 25, 35, 5]
    now = timezone.now()

    def rows():
        for k in kmps:
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                status = rng.choices(statuses, weights)[0]
                due = today + datetime.timedelta(days=rng.randint(-120, 60))
                yield (
                    "Lengkapi dokumen (sintetis)",
                    agencies[k.village[:5]],
                    due,
                    status,
                    k.village,
                    k.pk,
                    "visit",
                    now if status in ("selesai", "dibatalkan") else None,
                )

    return insert(
        FollowUp,
        [
            "title",
            "owner_agency",
            "due_date",
            "status",
            "region",
            "cooperative",
            "source_kind",
            "closed_at",
        ],
        rows(),
    )


def _assessments(legal, rng, today) -> int:
    from kawal.readiness.models import Instrument, category_for

    instrument = Instrument.objects.filter(status="published").first()
    if instrument is None:
        instrument = Instrument.objects.create(
            region_id=legal[0].village[:5] if legal else None,
            version=1,
            title="Instrumen kesiapan (sintetis)",
            status="published",
            published_at=timezone.now(),
        )
    from kawal.readiness.models import Assessment

    now = timezone.now()

    def rows():
        for k in legal:
            n = rng.choice([0, 0, 1, 1, 1, 2])
            day = k.legal_on
            for i in range(n):
                day = min(day + datetime.timedelta(days=rng.randint(30, 180)), today)
                score = round(rng.uniform(35, 95), 1)
                status = "verified" if i < n - 1 or rng.random() < 0.7 else "submitted"
                yield (
                    k.pk,
                    instrument.pk,
                    day,
                    k.mentor,
                    status,
                    score,
                    category_for(score),
                    {},
                    now,
                )

    return insert(
        Assessment,
        [
            "cooperative",
            "instrument",
            "assessed_on",
            "assessor",
            "status",
            "score",
            "category",
            "area_scores",
            "submitted_at",
        ],
        rows(),
    )


def _reports(legal, rng, window) -> int:
    from kawal.business.models import BusinessReport

    now = timezone.now()
    last = window[-1]

    def rows():
        for k in legal:
            members = rng.randint(20, 150)
            for month in window:
                members += rng.choice([0, 0, 1, 2])
                status = "submitted" if month == last and rng.random() < 0.3 else "verified"
                yield (
                    k.pk,
                    month,
                    status,
                    members,
                    800,
                    members * 10_000,
                    k.mentor,
                    now,
                    k.mentor if status == "verified" else None,
                    now if status == "verified" else None,
                )

    return insert(
        BusinessReport,
        [
            "cooperative",
            "month",
            "status",
            "members_total",
            "households",
            "savings_wajib",
            "submitted_by",
            "submitted_at",
            "verified_by",
            "verified_at",
        ],
        rows(),
    )


def _outlet_lines(legal, rng, window) -> int:
    from kawal.business.models import BusinessReport, OutletLine

    operating = {k.pk: k for k in legal if any(opened for *_x, opened in k.outlets)}
    if not operating:
        return 0
    # Read before writing: a COPY in progress leaves the connection to itself.
    reports = []
    ids = sorted(operating)
    for i in range(0, len(ids), 5000):
        reports += BusinessReport.objects.filter(
            month__gte=window[0], cooperative_id__in=ids[i : i + 5000]
        ).values_list("pk", "cooperative_id", "month")

    def rows():
        for report, coop, month in reports:
            k = operating.get(coop)
            if not k:
                continue
            for outlet, _stage, opened in k.outlets:
                if opened and opened < month:
                    revenue = rng.randrange(1_000_000, 50_000_000)
                    cogs, cost = revenue * 3 // 4, revenue // 10
                    yield report, outlet, revenue, cogs, cost, revenue - cogs - cost, 200

    return insert(
        OutletLine,
        ["report", "outlet", "revenue", "cogs", "operating_cost", "profit", "transactions"],
        rows(),
    )


def _statuses(kmps, rng, window) -> int:
    from kawal.business.models import MonthlyStatus

    def rows():
        for k in kmps:
            opened = [o for *_x, o in k.outlets if o]
            first_open = min(opened) if opened else None
            for month in window:
                if first_open is None or first_open >= month:
                    status, reason, revenue = "belum", {"rule": "no_open_outlet"}, None
                else:
                    roll = rng.random()
                    if roll < 0.15:
                        status = "vakum"
                        reason = {"rule": "no_revenue", "months": 2, "outlets": len(opened)}
                        revenue = 0
                    else:
                        revenue = rng.randrange(1_000_000, 50_000_000)
                        status = "berkembang" if roll > 0.85 else "beroperasi"
                        reason = (
                            {"rule": "revenue", "revenue": revenue}
                            if status == "beroperasi"
                            else {
                                "rule": "rising",
                                "months": 3,
                                "revenue_from": revenue // 2,
                                "revenue_to": revenue,
                                "members_from": 40,
                                "members_to": 45,
                            }
                        )
                yield k.pk, month, status, reason, revenue, rng.randint(20, 90), []

    return insert(
        MonthlyStatus,
        ["cooperative", "month", "status", "reason", "revenue", "score", "score_items"],
        rows(),
    )


def spread(codes: Sequence[str], n: int) -> list[str]:
    """n of these village codes, evenly spread over the list (so every province has KMP)."""
    if n >= len(codes):
        return list(codes)
    step = len(codes) / n
    return [codes[int(i * step)] for i in range(n)]
