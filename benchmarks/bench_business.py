"""Business pages with a regency's full history, and the national status page.

Regency (every run): 237 KMP × 18 months × 7 open outlets of verified reports (29,862 outlet
lines), statuses recomputed for the 18 months. Measured: the regency status page (`/usaha/`),
its kecamatan drill-down, and the KMP business page (`/usaha/koperasi/<pk>/`), as p95 and query
count, against the plain SQL aggregate each needs, timed in the same run; the query count is
also taken with a tenth of the KMP, to show it does not grow with the data. Import: one month's
reports for 237 KMP (8 rows each) from XLSX, against parsing the same file alone.

National (`--pg`, not `--small`): the country's regions and the synthetic world of
`kawal.api.synthetic` (80,000 KMP × 18 months of reports and computed statuses, 1.44 million
status rows), then the national status page against its plain SQL aggregate. `--small` (CI): 30 KMP × 6 months, no national part.
"""

import datetime
import io
import random
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

OUTLET_TYPES = [
    "sembako",
    "apotek",
    "kantor",
    "simpan_pinjam",
    "klinik",
    "cold_storage",
    "logistik",
]


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def _page(client, url, runs):
    times, queries = [], 0
    for _ in range(runs):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return _p95(times), queries


def _sql(sql, params, runs):
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return _p95(times)


def _user(username, region):
    from kawal.accounts.models import Grant, User
    from kawal.core.scope import Role

    user = User.objects.create_user(username, password="bench-pass-123!")
    Grant.objects.create(user=user, role=Role.ADMIN_DINAS, region_id=region)
    return user


def _fill(villages, months, outlets_per_kmp, submitter, rng, with_lines=True):
    """Cooperatives, open outlets and verified reports, written in bulk (not through the
    services: this is test data, and the services are measured by the import below)."""
    from kawal.business.models import BusinessReport, OutletLine
    from kawal.cooperatives.models import Cooperative, Outlet

    Cooperative.objects.bulk_create(
        [Cooperative(village_id=code, name=f"KMP {code}") for code in villages], batch_size=5000
    )
    coops = list(Cooperative.objects.filter(village_id__in=villages).values_list("pk", flat=True))
    Outlet.objects.bulk_create(
        [
            Outlet(cooperative_id=pk, outlet_type=OUTLET_TYPES[i], status="beroperasi")
            for pk in coops
            for i in range(outlets_per_kmp)
        ],
        batch_size=5000,
    )
    outlets = {}
    for pk, cooperative_id in Outlet.objects.values_list("pk", "cooperative_id"):
        outlets.setdefault(cooperative_id, []).append(pk)
    now = timezone.now()
    for month in months:
        BusinessReport.objects.bulk_create(
            [
                BusinessReport(
                    cooperative_id=pk,
                    month=month,
                    status="verified",
                    members_total=100 + rng.randrange(50),
                    households=800,
                    savings_wajib=2_000_000,
                    submitted_by=submitter,
                    submitted_at=now,
                    verified_by=submitter,
                )
                for pk in coops
            ],
            batch_size=5000,
        )
        if not with_lines:
            continue
        reports = BusinessReport.objects.filter(month=month, cooperative_id__in=coops).values_list(
            "pk", "cooperative_id"
        )
        OutletLine.objects.bulk_create(
            [
                OutletLine(
                    report_id=rid,
                    outlet_id=oid,
                    revenue=(revenue := rng.randrange(1_000_000, 50_000_000)),
                    cogs=revenue * 3 // 4,
                    operating_cost=revenue // 10,
                    profit=revenue - revenue * 3 // 4 - revenue // 10,
                    transactions=200,
                )
                for rid, cid in reports
                for oid in outlets[cid]
            ],
            batch_size=5000,
        )
    return coops


def _import_month(villages, month, admin, today):
    import openpyxl

    from kawal.business import imports
    from kawal.core.spreadsheets import read_xlsx

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([c.key for c in imports.COLUMNS])
    for code in villages:
        for kind in OUTLET_TYPES:
            sheet.append(
                [code, f"{month:%Y-%m}", kind, 10_000_000, 7_000_000, 1_000_000, None, 300, 0]
            )
        sheet.append([code, f"{month:%Y-%m}", None, None, None, None, None, None, None, 3, 0, 120])
    data = io.BytesIO()
    book.save(data)
    started = time.perf_counter()
    read_xlsx(io.BytesIO(data.getvalue()), imports.COLUMNS)
    parse_s = time.perf_counter() - started
    from kawal.core import imports as flow

    started = time.perf_counter()
    outcome = flow.run(imports.KINDS["laporan"], io.BytesIO(data.getvalue()), admin, commit=True)
    total_s = time.perf_counter() - started
    assert outcome.committed, outcome.preview.file_errors or outcome.preview.error_rows[:3]
    assert outcome.result == len(villages), outcome.result
    return parse_s, total_s


REGENCY_SQL = """
SELECT r.district_code, s.status, COUNT(*)
FROM business_monthlystatus s
JOIN cooperatives_cooperative c ON c.id = s.cooperative_id
JOIN regions_region r ON r.code = c.village_id
WHERE s.month = %s AND r.regency_code = %s
GROUP BY r.district_code, s.status
"""
NATIONAL_SQL = """
SELECT r.district_code, s.status, COUNT(*)
FROM business_monthlystatus s
JOIN cooperatives_cooperative c ON c.id = s.cooperative_id
JOIN regions_region r ON r.code = c.village_id
WHERE s.month = %s
GROUP BY r.district_code, s.status
"""
KMP_SQL = """
SELECT b.month, l.outlet_id, SUM(l.revenue)
FROM business_outletline l JOIN business_businessreport b ON b.id = l.report_id
WHERE b.cooperative_id = %s AND b.month >= %s
GROUP BY b.month, l.outlet_id
"""


def run(small: bool) -> list[dict]:
    from kawal.business import rules, services
    from kawal.regions import services as regions
    from kawal.regions.models import Region

    rng = random.Random(13)
    runs = 3 if small else 30
    kmp, n_months = (30, 6) if small else (237, 18)
    regions.load_kukar()
    today = timezone.localdate()
    current = rules.first_of_month(today)
    months = [rules.add_months(current, -i) for i in range(n_months, 0, -1)]
    shown = rules.last_due_month(today)
    admin = _user("bench-regency", "64.02")
    villages = list(
        Region.objects.filter(level=4, regency_code="64.02")
        .order_by("code")
        .values_list("code", flat=True)
    )[:kmp]
    few = villages[: max(kmp // 10, 3)]
    client = Client()
    client.force_login(admin)

    # Query counts with a tenth of the KMP, then with all of them.
    coops = _fill(few, months, 7, admin, rng)
    services.status_refresh(months=months)
    _, few_regency_q = _page(client, f"/usaha/?bulan={shown:%Y-%m}", 1)
    _, few_kmp_q = _page(client, f"/usaha/koperasi/{coops[0]}/", 1)
    _fill(villages[len(few) :], months, 7, admin, rng)
    started = time.perf_counter()
    statuses = services.status_refresh(months=months)
    refresh_s = time.perf_counter() - started

    regency_ms, regency_q = _page(client, f"/usaha/?bulan={shown:%Y-%m}", runs)
    drill_ms, drill_q = _page(client, f"/usaha/?bulan={shown:%Y-%m}&kecamatan=64.02.01", runs)
    kmp_ms, kmp_q = _page(client, f"/usaha/koperasi/{coops[0]}/", runs)
    regency_sql = _sql(REGENCY_SQL, [shown, "64.02"], runs)
    kmp_sql = _sql(KMP_SQL, [coops[0], months[0]], runs)
    parse_s, import_s = _import_month(villages, current, admin, today)
    label = f"{kmp} KMP × {n_months} months × 7 outlets"
    rows = [
        {"name": f"status recompute, {statuses} rows", "value": refresh_s, "unit": "s"},
        {"name": f"regency status page p95, {label}", "value": regency_ms, "unit": "ms", "budget": None if small else 50},
        {"name": "regency page plain SQL aggregate p95 [baseline]", "value": regency_sql, "unit": "ms"},
        {"name": "regency page / plain SQL", "value": regency_ms / max(regency_sql, 0.001), "unit": "x"},
        {"name": "regency page queries (all KMP)", "value": regency_q, "unit": "q", "budget": 20},
        {"name": "regency page queries (a tenth of the KMP)", "value": few_regency_q, "unit": "q", "budget": 20},
        {"name": "kecamatan drill-down p95", "value": drill_ms, "unit": "ms", "budget": None if small else 50},
        {"name": "kecamatan drill-down queries", "value": drill_q, "unit": "q", "budget": 20},
        {"name": f"KMP business page p95, {n_months} months × 7 outlets", "value": kmp_ms, "unit": "ms", "budget": None if small else 50},
        {"name": "KMP page plain SQL aggregate p95 [baseline]", "value": kmp_sql, "unit": "ms"},
        {"name": "KMP page / plain SQL", "value": kmp_ms / max(kmp_sql, 0.001), "unit": "x"},
        {"name": "KMP page queries (all KMP)", "value": kmp_q, "unit": "q", "budget": 20},
        {"name": "KMP page queries (a tenth of the KMP)", "value": few_kmp_q, "unit": "q", "budget": 20},
        {"name": f"import one month, {kmp} KMP × 8 rows, parse only [baseline]", "value": parse_s, "unit": "s"},
        {"name": f"import one month, {kmp} KMP (check + commit)", "value": import_s, "unit": "s"},
        {"name": "import / parse", "value": import_s / max(parse_s, 0.001), "unit": "x"},
    ]  # fmt: skip
    if not small and connection.vendor == "postgresql":
        rows += _national(admin, months, shown, rng, runs)
    return rows


def _national(submitter, months, shown, rng, runs) -> list[dict]:
    from kawal.api import synthetic
    from kawal.regions import services as regions
    from kawal.regions.models import Region

    regions.load_national()
    taken = set(Region.objects.filter(cooperative__isnull=False).values_list("code", flat=True))
    villages = [
        c
        for c in Region.objects.filter(level=4, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)
        if c not in taken
    ][: 80_000 - len(taken)]
    # The one synthetic generator (as bench_national): every KMP with 18 months of reports and
    # computed statuses.
    with transaction.atomic():
        world = synthetic.generate(villages, months=len(months), seed=13, with_outlet_lines=False)
    coops = world.cooperative_ids
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    national = _user("bench-national", None)
    client = Client()
    client.force_login(national)
    page_ms, page_q = _page(client, f"/usaha/?bulan={shown:%Y-%m}", max(runs // 3, 5))
    sql_ms = _sql(NATIONAL_SQL, [shown], max(runs // 3, 5))
    total = len(coops) + 237
    return [
        {"name": f"national status page p95, {total} KMP × {len(months)} months", "value": page_ms, "unit": "ms", "budget": 300},
        {"name": "national plain SQL aggregate p95 [baseline]", "value": sql_ms, "unit": "ms"},
        {"name": "national page / plain SQL", "value": page_ms / max(sql_ms, 0.001), "unit": "x"},
        {"name": "national page queries", "value": page_q, "unit": "q", "budget": 20},
    ]  # fmt: skip


if __name__ == "__main__":  # pragma: no cover
    print("run with: python benchmarks/run.py bench_business [--small] [--pg]")
    _ = datetime
