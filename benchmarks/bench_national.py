"""National scale: the dashboard pages with every village of the country and 80,000 KMP with
18 months of history (docs/ARCHITECTURE.md §5: a national page p95 ≤ 300 ms on PostgreSQL,
≤ 20 queries, ≤ 150 KB compressed on a first visit; never list the country).

Data: the national region file (83,762 villages) and the synthetic world of
`kawal.api.synthetic` (also `manage.py synthetic_data`): 80,000 KMP spread over every province,
with formation steps, outlets and their lifecycle, partnerships, loans and instalments, a
business assistant per ten KMP, visits, follow-ups, readiness assessments, 18 months of business
reports and statuses. Written at COPY speed, not through the services.

Pages: home, formation, readiness, mentoring, the operations "what holds it back" table and
loan portfolio, the business status page, and the leaders' dashboard and its map data.
Each page is timed as a national Admin Dinas and as a provincial one (the province with most
KMP), through Django's test client: p50, p95, query count, response bytes (raw, and gzip plus the
page's own CSS/JS as a first visit costs). In the same run, the plain SQL aggregate the page
needs is timed on the bare cursor (the baseline): hand-written for the counts a page shows, or,
for the operations pages, the page's own main queries replayed.

`--small` (CI): Kukar only (237 KMP × 6 months), 2 runs per page.
"""

import datetime
import gzip
import statistics
import time

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

PAGES = [
    ("home", "/"),
    ("formation", "/pembentukan/"),
    ("readiness", "/kesiapan/"),
    ("mentoring", "/pendampingan/"),
    ("holds back", "/operasional/"),
    ("portfolio", "/operasional/portofolio/"),
    ("business status", "/usaha/"),
    ("dashboard", "/dasbor/"),
    ("map data", "/dasbor/peta/data.json"),
]

_FUNNEL = """
        SELECT {group} COUNT(*),
               SUM(CASE WHEN c.id IN (SELECT cooperative_id FROM formation_steprecord
                   WHERE step IN ('sk_ahu', 'sk_perubahan') AND status = 'selesai')
                   THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.id IN (SELECT cooperative_id FROM cooperatives_outlet
                   WHERE status = 'beroperasi') THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.id IN (SELECT cooperative_id FROM operations_partnership
                   WHERE stage = 'aktif') THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.id IN (SELECT cooperative_id FROM operations_loan
                   WHERE status IN ('dicairkan', 'angsuran', 'lunas')) THEN 1 ELSE 0 END)
        FROM cooperatives_cooperative c
        JOIN regions_region r ON r.code = c.village_id
        WHERE {{scope}}
        {group_by}"""

# The plain aggregate each page needs, `{scope}` being "" (national) or a province filter.
SCOPE = {"national": "1 = 1", "province": "r.province_code = %(province)s"}
PLAIN = {
    "home": """
        SELECT COUNT(*),
               SUM(CASE WHEN s.id IS NOT NULL THEN 1 ELSE 0 END),
               (SELECT COUNT(*) FROM followups_followup f JOIN regions_region r
                  ON r.code = f.region_id
                 WHERE {scope} AND f.status IN ('baru', 'dikerjakan') AND f.due_date < %(today)s)
        FROM cooperatives_cooperative c
        JOIN regions_region r ON r.code = c.village_id
        LEFT JOIN formation_steprecord s ON s.cooperative_id = c.id AND s.step = 'sk_ahu'
             AND s.status = 'selesai'
        WHERE {scope}""",
    "formation": """
        SELECT s.step, s.status, COUNT(*)
        FROM formation_steprecord s
        JOIN cooperatives_cooperative c ON c.id = s.cooperative_id
        JOIN regions_region r ON r.code = c.village_id
        WHERE {scope}
        GROUP BY s.step, s.status""",
    "readiness": """
        SELECT r.regency_code, a.category, COUNT(*)
        FROM readiness_assessment a
        JOIN (SELECT cooperative_id, MAX(assessed_on) AS latest FROM readiness_assessment
              WHERE status IN ('submitted', 'verified') GROUP BY cooperative_id) m
          ON m.cooperative_id = a.cooperative_id AND m.latest = a.assessed_on
        JOIN cooperatives_cooperative c ON c.id = a.cooperative_id
        JOIN regions_region r ON r.code = c.village_id
        WHERE {scope}
        GROUP BY r.regency_code, a.category""",
    "mentoring": """
        SELECT r.regency_code,
               SUM(CASE WHEN m.latest >= %(since)s THEN 1 ELSE 0 END), COUNT(*)
        FROM cooperatives_cooperative c
        JOIN regions_region r ON r.code = c.village_id
        LEFT JOIN (SELECT cooperative_id, MAX(visit_date) AS latest FROM mentoring_visit
                   GROUP BY cooperative_id) m ON m.cooperative_id = c.id
        WHERE {scope}
        GROUP BY r.regency_code""",
    "business status": """
        SELECT r.regency_code, s.status, COUNT(*)
        FROM business_monthlystatus s
        JOIN cooperatives_cooperative c ON c.id = s.cooperative_id
        JOIN regions_region r ON r.code = c.village_id
        WHERE s.month = %(month)s AND {scope}
        GROUP BY r.regency_code, s.status""",
    # The leaders' dashboard (kawal/reports): the phase funnel; its map: the same per regency.
    "dashboard": _FUNNEL.format(group="", group_by=""),
    "map data": _FUNNEL.format(group="r.regency_code,", group_by="GROUP BY r.regency_code"),
}


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def _measure(client, url, runs):
    from benchmarks.bench_pages import _asset_bytes

    client.get(url)  # warm-up: templates and catalogues are loaded once per process
    times, queries, raw, packed = [], 0, 0, 0
    for _ in range(runs):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries, raw = len(captured), len(body)
    packed = len(gzip.compress(body)) + _asset_bytes(body)
    return statistics.median(times), _p95(times), queries, raw, packed


def _plain(sqls, params, runs):
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs + 1):
            started = time.perf_counter()
            for sql, p in sqls:
                cursor.execute(sql, p if p is not None else params)
                cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:]), _p95(times[1:])


def _captured(fn):
    with CaptureQueriesContext(connection) as captured:
        fn()
    return [(q["sql"], ()) for q in captured.captured_queries]


def _ops_sql(name, user):
    from kawal.operations import selectors

    if name == "holds back":

        def page():
            rows = selectors.holds_back(user=user)
            rows.count()
            selectors.attach_details(rows[:25])
            selectors.holds_back_counts(user=user)

        return _captured(page)
    return _captured(lambda: selectors.portfolio(user=user))


def _user(username, region):
    from kawal.accounts.models import Grant, User
    from kawal.core.scope import Role

    user = User.objects.create_user(username, password="bench-pass-123!")
    Grant.objects.create(user=user, role=Role.ADMIN_DINAS, region_id=region)
    return user


def _busiest_province():
    from django.db.models import Count

    from kawal.cooperatives.models import Cooperative

    row = (
        Cooperative.objects.values("village__province_code")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["village__province_code"]


def run(small: bool) -> list[dict]:
    from kawal.api import synthetic
    from kawal.regions import services as regions
    from kawal.regions.models import Region

    settings.ALLOWED_HOSTS = ["testserver"]
    rows = []
    started = time.perf_counter()
    if small:
        regions.load_kukar()
    else:
        regions.load_national()
    rows.append({"name": "load regions", "value": time.perf_counter() - started, "unit": "s"})
    codes = list(
        Region.objects.filter(level=4, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    codes = synthetic.spread(codes, 237 if small else 80_000)
    started = time.perf_counter()
    with transaction.atomic():
        world = synthetic.generate(codes, months=6 if small else 18, seed=15)
    label = f"{len(codes)} KMP × {len(world.months)} months"
    rows.append(
        {"name": f"synthetic data, {label}", "value": time.perf_counter() - started, "unit": "s"}
    )
    for name, count in world.counts.items():
        rows.append({"name": f"  rows: {name}", "value": count, "unit": "rows"})

    province = _busiest_province()
    today = timezone.localdate()
    params = {
        "province": province,
        "today": today,
        "since": today - datetime.timedelta(days=30),
        "month": world.months[-1],
    }
    if connection.vendor == "sqlite":
        params = {
            k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in params.items()
        }
    users = {
        "national": _user("bench-national", None),
        "province": _user("bench-province", province),
    }
    runs = 2 if small else 10
    budget_ms = None if small else 300
    client = Client()
    for scope, user in users.items():
        client.force_login(user)
        who = "national" if scope == "national" else f"province {province}"
        for name, url in PAGES:
            p50, p95, queries, raw, packed = _measure(client, url, runs)
            tag = f"[{who}] {name}"
            rows += [
                {"name": f"{tag} p50", "value": p50, "unit": "ms"},
                {"name": f"{tag} p95", "value": p95, "unit": "ms", "budget": budget_ms},
                {"name": f"{tag} queries", "value": queries, "unit": "n", "budget": 20},
                {"name": f"{tag} KB raw", "value": raw / 1024, "unit": "KB"},
                {"name": f"{tag} KB gzip+assets", "value": packed / 1024, "unit": "KB", "budget": 150},
            ]  # fmt: skip
            if name in PLAIN:
                sqls = [(PLAIN[name].format(scope=SCOPE[scope]), None)]
            else:
                sqls = _ops_sql(name, user)
            plain50, plain95 = _plain(sqls, params, runs)
            rows += [
                {"name": f"{tag} plain SQL p95 [baseline]", "value": plain95, "unit": "ms"},
                {"name": f"{tag} page/plain (p95)", "value": p95 / max(plain95, 0.001), "unit": "x"},
            ]  # fmt: skip
        rows += _recount(scope, province, params, runs=2 if small else 3)
    client.force_login(users["national"])
    return rows + _leaders_view_drilled_down(client, province, runs)


def _recount(scope: str, province: str, params: dict, runs: int) -> list[dict]:
    """The country's and a province's dashboard counts are kept a few minutes and recounted by
    the worker (reports.services.counted_figures): the pages above serve the kept copy, so the
    recount itself is timed here, against the plain funnel aggregate."""
    from kawal.reports import selectors as reports
    from kawal.reports import services as report_services

    code = "" if scope == "national" else province
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        report_services.figures_recount(region_code=code, on=reports.today())
        times.append((time.perf_counter() - started) * 1000)
    _plain50, plain95 = _plain(
        [(PLAIN["dashboard"].format(scope=SCOPE[scope]), None)], params, runs
    )
    tag = f"[{scope}] dashboard recount in the worker"
    return [
        {"name": f"{tag} p95", "value": _p95(times), "unit": "ms"},
        {"name": f"{tag} / plain (p95)", "value": _p95(times) / max(plain95, 0.001), "unit": "x"},
    ]


def _leaders_view_drilled_down(client, province: str, runs: int) -> list[dict]:
    """The leaders' dashboard, its map data and a periodic report's numbers for one regency,
    kecamatan and village of the busiest province, as the national user drills down to them."""
    from kawal.cooperatives.models import Cooperative
    from kawal.reports import selectors as reports

    village = (
        Cooperative.objects.filter(village__province_code=province)
        .order_by("village_id")
        .values_list("village_id", flat=True)
        .first()
    )
    today = timezone.localdate()
    rows = []
    for level, code in (("regency", village[:5]), ("kecamatan", village[:8]), ("village", village)):
        for name, url in (
            ("dashboard", f"/dasbor/?wilayah={code}"),
            ("map data", f"/dasbor/peta/data.json?wilayah={code}"),
        ):
            p50, p95, queries, _raw, packed = _measure(client, url, runs)
            tag = f"[{level} {code}] {name}"
            rows += [
                {"name": f"{tag} p95", "value": p95, "unit": "ms"},
                {"name": f"{tag} queries", "value": queries, "unit": "n", "budget": 20},
                {"name": f"{tag} KB gzip+assets", "value": packed / 1024, "unit": "KB", "budget": 150},
            ]  # fmt: skip
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            reports.report_figures(
                region_code=code, period_start=today - datetime.timedelta(days=7), period_end=today
            )
            times.append((time.perf_counter() - started) * 1000)
        rows.append({"name": f"[{level} {code}] report numbers p95", "value": _p95(times), "unit": "ms"})  # fmt: skip
    return rows
