"""Operations: the "what holds it back" table and the loan portfolio, at regency scale (Kukar,
237 KMP) and with 80,000 KMP (the national region file), compared with the plain SQL they need.

Data are bulk-written (not the demo). National part: the synthetic world of
`kawal.api.synthetic` (as bench_national). Regency part: per KMP a legal entity (formation steps), one outlet in a
spread of stages, about one partnership, and for ~40% a loan (the disbursed ones with a
12-month schedule, some in arrears). The page is driven through Django's test client; the
"plain SQL" baseline runs the page's own main queries (its page of rows and its counts) straight
on the cursor, in the same run. Query counts must not grow with the number of KMP.

`--small`: Kukar only, 3 runs per page (CI).
"""

import datetime
import random
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

KUKAR = "64.02"


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def _measure(client, url, runs):
    """Wall-clock p95, CPU p95 of this process (SQLite runs in-process, so on a shared machine
    the CPU figure is the page's own cost), and the query count."""
    times, cpu, queries = [], [], 0
    client.get(url)  # warm-up: templates, catalogues and compiled SQL are loaded once
    for _ in range(runs):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries = len(captured)
        assert response.status_code == 200, (url, response.status_code)
    return _p95(times), _p95(cpu), queries


def _plain(sqls, runs):
    """Wall and CPU p95 of running the given SQL straight on the cursor, all of it per run."""
    times, cpu = [], []
    for _ in range(runs + 1):
        started, started_cpu = time.perf_counter(), time.process_time()
        with connection.cursor() as cursor:
            for sql, params in sqls:
                cursor.execute(sql) if params is None else cursor.execute(sql, params)
                cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return _p95(times), _p95(cpu)


def _fill(village_codes, rng) -> None:
    """Bulk-write cooperatives and their operations records for these villages."""
    from kawal.cooperatives.models import Cooperative, Outlet
    from kawal.formation.models import StepRecord
    from kawal.operations.models import (
        Disbursement,
        Installment,
        Loan,
        Partner,
        Partnership,
    )

    existing = set(Cooperative.objects.values_list("village_id", flat=True))
    codes = [c for c in village_codes if c not in existing]
    Cooperative.objects.bulk_create(
        (Cooperative(village_id=c, name=f"KMP {c}") for c in codes), batch_size=5000
    )
    coops = (
        dict(Cooperative.objects.filter(village_id__in=codes).values_list("village_id", "pk"))
        if len(codes) < 5000
        else dict(Cooperative.objects.values_list("village_id", "pk"))
    )
    ids = [coops[c] for c in codes]
    done = datetime.date(2025, 6, 20)
    StepRecord.objects.bulk_create(
        (
            StepRecord(cooperative_id=i, step=step, status="selesai", completed_on=done)
            for i in ids
            for step in ("sk_ahu", "simkopdes")
            if step == "sk_ahu" or rng.random() < 0.9
        ),
        batch_size=5000,
    )
    statuses = ["rencana"] * 5 + ["persiapan"] * 2 + ["pembangunan"] * 2 + ["beroperasi"]
    Outlet.objects.bulk_create(
        (
            Outlet(
                cooperative_id=i,
                outlet_type="sembako",
                status=(s := rng.choice(statuses)),
                progress_pct=100 if s == "beroperasi" else rng.randrange(0, 95, 5),
                land_area_m2=rng.choice([None, 600, 1200, 2000]),
            )
            for i in ids
        ),
        batch_size=5000,
    )
    partners = list(Partner.objects.exclude(kind="bank"))
    banks = list(Partner.objects.filter(kind="bank"))
    stages = ["penjajakan", "diajukan", "verifikasi", "pks", "aktif"]
    Partnership.objects.bulk_create(
        (
            Partnership(
                cooperative_id=i,
                partner=rng.choice(partners),
                covers="beras",
                stage=rng.choice(stages),
                stage_since=done + datetime.timedelta(days=rng.randint(60, 400)),
            )
            for i in ids
            if rng.random() < 0.8
        ),
        batch_size=5000,
    )
    loan_statuses = ["draft", "diajukan", "diverifikasi", "disetujui", "dicairkan", "angsuran"]
    Loan.objects.bulk_create(
        (
            Loan(
                cooperative_id=i,
                bank=rng.choice(banks),
                amount_requested=1_000_000_000,
                amount_approved=1_000_000_000,
                status=rng.choice(loan_statuses),
                status_since=done + datetime.timedelta(days=rng.randint(60, 300)),
                term_months=12,
            )
            for i in ids
            if rng.random() < 0.4
        ),
        batch_size=5000,
    )
    # Loans of this batch that are paid out (not those an earlier batch already paid out).
    paying = list(
        Loan.objects.filter(
            status__in=["dicairkan", "angsuran"], disbursements__isnull=True
        ).values_list("pk", flat=True)
    )
    start = datetime.date(2025, 12, 1)
    Disbursement.objects.bulk_create(
        (
            Disbursement(loan_id=p, tranche=1, amount=1_000_000_000, disbursed_on=start)
            for p in paying
        ),
        batch_size=5000,
    )
    rows = []
    for p in paying:
        paid_months = rng.choice([12, 12, 12, 6, 3, 1])
        for n in range(1, 13):
            due = datetime.date(2025 + (n + 11) // 12, (n + 11) % 12 + 1, 1)
            ok = n <= paid_months
            rows.append(
                Installment(
                    loan_id=p,
                    number=n,
                    due_on=due,
                    principal=83_333_333,
                    interest=5_000_000,
                    paid=88_333_333 if ok else 0,
                    paid_principal=83_333_333 if ok else 0,
                )
            )
        if len(rows) > 20000:
            Installment.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Installment.objects.bulk_create(rows, batch_size=5000)


def _users():
    from kawal.accounts.models import Grant, User
    from kawal.core.scope import Role

    national = User.objects.create_user("bench-national", password="bench-pass-123!")
    Grant.objects.create(user=national, role=Role.ADMIN_DINAS, region=None)
    regency = User.objects.create_user("bench-dinas", password="bench-pass-123!")
    Grant.objects.create(user=regency, role=Role.ADMIN_DINAS, region_id=KUKAR)
    return national, regency


def _partners(admin):
    from kawal.operations import services

    for name, kind in (
        ("Perum Bulog", "bulog"),
        ("Pupuk Indonesia", "pupuk"),
        ("Pertamina Patra Niaga", "lpg"),
        ("Bank BRI", "bank"),
        ("Bank BNI", "bank"),
        ("Bank Mandiri", "bank"),
        ("Bank BTN", "bank"),
    ):
        services.partner_save(actor=admin, region_code=KUKAR, name=name, kind=kind)


def _captured(fn) -> list[tuple[str, None]]:
    """The SQL a selector sends (the page's own main queries), to replay on the bare cursor."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    return [(q["sql"], None) for q in captured.captured_queries]


def _holds_back_sql(user):
    from kawal.operations import selectors

    def page():
        rows = selectors.holds_back(user=user)
        rows.count()
        selectors.attach_details(rows[:25])
        selectors.holds_back_counts(user=user)

    return _captured(page)


def _portfolio_sql(user):
    from kawal.operations import selectors

    return _captured(lambda: selectors.portfolio(user=user))


def _round(rows, label, client, user, runs, regency_budget):
    client.force_login(user)
    for url, name, sqls in (
        ("/operasional/", "holds-back table", _holds_back_sql(user)),
        ("/operasional/?urut=kecamatan&sebab=no_land", "holds-back, one cause", None),
        ("/operasional/portofolio/", "portfolio", _portfolio_sql(user)),
    ):
        p95, cpu, queries = _measure(client, url, runs)
        rows.append(
            {"name": f"[{label}] {name} p95", "value": p95, "unit": "ms", "budget": regency_budget}
        )
        rows.append(
            {
                "name": f"[{label}] {name} cpu p95",
                "value": cpu,
                "unit": "ms",
                "budget": regency_budget,
            }
        )
        rows.append(
            {"name": f"[{label}] {name} queries", "value": queries, "unit": "n", "budget": 20}
        )
        if sqls:
            plain, plain_cpu = _plain(sqls, runs)
            rows.append({"name": f"[{label}] {name} plain SQL p95", "value": plain, "unit": "ms"})
            rows.append(
                {"name": f"[{label}] {name} plain SQL cpu p95", "value": plain_cpu, "unit": "ms"}
            )
            rows.append(
                {
                    "name": f"[{label}] {name} page/plain",
                    "value": p95 / plain if plain else 0,
                    "unit": "x",
                    "budget": 3,
                }
            )


def run(small: bool) -> list[dict]:
    from kawal.api import synthetic
    from kawal.regions import services as regions
    from kawal.regions.models import Region

    settings.ALLOWED_HOSTS = ["testserver"]
    rng = random.Random(49)
    regions.load_kukar()
    national, regency = _users()
    _partners(national)
    kukar = list(
        Region.objects.filter(level=4, regency_code=KUKAR, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    _fill(kukar, rng)
    client = Client()
    runs = 3 if small else 10
    rows = []
    _round(rows, "237 KMP, regency", client, regency, runs, 50)
    if small:
        return rows
    regions.load_national()
    codes = list(
        Region.objects.filter(level=4, is_active=True)
        .exclude(regency_code=KUKAR)
        .order_by("code")
        .values_list("code", flat=True)[: 80_000 - len(kukar)]
    )
    started = time.perf_counter()
    # The national part uses the one synthetic generator (also `manage.py synthetic_data` and
    # bench_national), so the two benchmarks measure the same world.
    with transaction.atomic():
        synthetic.generate(codes, months=18, seed=49, with_outlet_lines=False)
    rows.append(
        {"name": "[80,000 KMP] bulk fill", "value": time.perf_counter() - started, "unit": "s"}
    )
    _round(rows, "80,000 KMP, regency user", client, regency, runs, 50)
    _round(rows, "80,000 KMP, national user", client, national, max(3, runs // 4), 300)
    return rows
