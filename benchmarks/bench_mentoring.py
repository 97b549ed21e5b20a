"""Mentoring pages on the Kukar demo, then with a year of heavy use (docs/ARCHITECTURE.md §5: ≤ 20 queries
per list or dashboard; a regency dashboard p95 ≤ 50 ms).

Each page is reported as wall-clock p95 and as the CPU p95 of this process: SQLite runs
in-process, so on a shared, loaded machine the CPU figure is the page's own cost.

The full run adds 12,000 field visits and 15,000 walk-in consultations spread over a year on top
of the demo data set (237 cooperatives). Baseline in the same run: the health check (`/sehat/`).
Also measured: time to the first byte of the visit export (an XLSX that streams).
"""

import datetime
import random
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# The runner hands this module a copy of the database with the Kukar regions and the full demo.
USES_DEMO = True

PAGES = [
    ("/pendampingan/", 50),
    ("/pendampingan/?kecamatan=64.02.06&hari=30", 50),
    ("/pendampingan/kunjungan/", None),
    ("/pendampingan/kunjungan/?tanda=1", None),
    ("/pendampingan/konsultasi/", None),
    ("/pendampingan/konsultasi/hari-ini/", None),
    ("/pendampingan/mentor/", None),
    ("/pendampingan/laporan/", None),
]


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def _measure(client, url, runs):
    """Wall-clock p95, CPU p95 of this process (SQLite runs in-process; the CPU figure is what
    the page costs when the machine is shared), and the query count."""
    times, cpu, queries = [], [], 0
    for _ in range(runs):
        connection.queries_log.clear()  # the demo load filled the bounded log
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries = len(captured)
        assert response.status_code == 200, (url, response.status_code)
    return _p95(times), _p95(cpu), queries


def _first_byte_ms(client, url):
    started = time.perf_counter()
    response = client.get(url)
    next(iter(response.streaming_content))
    first = (time.perf_counter() - started) * 1000
    b"".join(response.streaming_content)
    return first, (time.perf_counter() - started) * 1000


def _heavy_year(visits: int, consultations: int) -> None:
    from kawal.accounts.models import User
    from kawal.cooperatives.models import Cooperative
    from kawal.mentoring.models import Consultation, Visit

    rng = random.Random(11)
    coops = list(Cooperative.objects.values_list("pk", flat=True))
    mentors = list(User.objects.filter(mentor_profile__isnull=False).values_list("pk", flat=True))
    today = datetime.date(2026, 11, 26)
    Visit.objects.bulk_create(
        (
            Visit(
                cooperative_id=rng.choice(coops),
                mentor_id=rng.choice(mentors),
                visit_date=today - datetime.timedelta(days=rng.randint(0, 365)),
                purpose="Monitoring",
                flag_late=rng.random() < 0.08,
            )
            for _ in range(visits)
        ),
        batch_size=2000,
    )
    topics = [t for t, _label in Consultation.Topic.choices]
    Consultation.objects.bulk_create(
        (
            Consultation(
                cooperative_id=rng.choice(coops),
                date=today - datetime.timedelta(days=rng.randint(0, 365)),
                visitor_name="Tamu",
                visitor_role="ketua",
                topic=rng.choice(topics),
                question="?",
                served_by_id=rng.choice(mentors),
            )
            for _ in range(consultations)
        ),
        batch_size=2000,
    )


def run(small: bool) -> list[dict]:
    from django.contrib.auth import get_user_model

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(get_user_model().objects.get(username="dinas"))
    runs = 3 if small else 30
    rows = []
    sizes = [("demo", None)] if small else [("demo", None), ("1 year heavy", (12000, 15000))]
    for label, heavy in sizes:
        if heavy:
            _heavy_year(*heavy)
        base_p95, _cpu, _q = _measure(client, "/sehat/", runs)
        rows.append(
            {"name": f"[{label}] health check [baseline] p95", "value": base_p95, "unit": "ms"}
        )
        for url, budget in PAGES:
            p95, cpu_p95, queries = _measure(client, url, runs)
            rows.append(
                {"name": f"[{label}] {url} p95", "value": p95, "unit": "ms", "budget": budget}
            )
            rows.append(
                {
                    "name": f"[{label}] {url} cpu p95",
                    "value": cpu_p95,
                    "unit": "ms",
                    "budget": budget,
                }
            )
            rows.append(
                {"name": f"[{label}] {url} queries", "value": queries, "unit": "n", "budget": 20}
            )
        first, total = _first_byte_ms(client, "/pendampingan/kunjungan/ekspor.xlsx")
        rows.append(
            {
                "name": f"[{label}] visit export first byte",
                "value": first,
                "unit": "ms",
                "budget": 1000,
            }
        )
        rows.append({"name": f"[{label}] visit export complete", "value": total, "unit": "ms"})
    return rows
