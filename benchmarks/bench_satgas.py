"""Satgas pages at a realistic size: the demo Satgas plus two years of follow-ups (large run:
6,000 follow-ups from 52 rakor, 30 agencies each invited). Server time p50/p95 and SQL queries
of the follow-up list, an agency's "what we owe", the Sekda scorecard, the Satgas overview and
the next meeting's page (its agenda carries every open follow-up, computed), plus the
invitation PDF. Baseline in the same run: the health check. Budgets: docs/ARCHITECTURE.md §5 (≤ 20
queries; regency dashboards p95 ≤ 50 ms).
"""

import datetime
import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

# The runner hands this module a copy of the database with the Kukar regions and the full demo.
USES_DEMO = True

DASHBOARD_MS = 50


def _measure(client, url, runs):
    times, queries, status = [], 0, None
    client.get(url)  # warm-up: template compilation is not what is measured
    for _ in range(runs):
        connection.queries_log.clear()  # a full log (9,000 entries) would count 0 queries
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            _ = b"".join(response) if response.streaming else response.content
            times.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    assert status == 200, (url, status)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, queries


def _grow(extra: int) -> None:
    """Add `extra` follow-ups in every state over two years, spread over the demo agencies."""
    from kawal.accounts.models import Agency
    from kawal.followups.models import FollowUp

    agencies = list(Agency.objects.all())
    today = timezone.localdate()
    rows = []
    for i in range(extra):
        created = today - datetime.timedelta(days=(i * 7) % 730)
        due = created + datetime.timedelta(days=14 + i % 21)
        status = ["selesai", "selesai", "dikerjakan", "baru", "selesai", "dibatalkan"][i % 6]
        closed = None
        if status in ("selesai", "dibatalkan"):
            closed = timezone.make_aware(
                datetime.datetime.combine(
                    created + datetime.timedelta(days=5 + i % 30), datetime.time(10)
                )
            )
        rows.append(
            FollowUp(
                title=f"Tindak lanjut uji beban {i}",
                owner_agency=agencies[i % len(agencies)],
                due_date=due,
                status=status,
                region_id="64.02",
                source_kind="meeting",
                closed_at=closed,
            )
        )
    created = FollowUp.objects.bulk_create(rows, batch_size=1000)
    for i, _row in enumerate(created):
        stamp = timezone.make_aware(
            datetime.datetime.combine(
                today - datetime.timedelta(days=(i * 7) % 730), datetime.time(9)
            )
        )
        rows[i].created_at = stamp
    FollowUp.objects.bulk_update(rows, ["created_at"], batch_size=1000)


def run(small: bool) -> list[dict]:
    from django.contrib.auth import get_user_model

    from kawal.taskforce.models import Meeting

    settings.ALLOWED_HOSTS = ["testserver"]
    if not small:
        _grow(6000)
    users = get_user_model().objects
    runs = 3 if small else 30
    upcoming = Meeting.objects.filter(status="dijadwalkan").order_by("starts_at").first()
    year_ago = (timezone.localdate() - datetime.timedelta(days=365)).isoformat()
    pages = [
        ("/tindak-lanjut/", DASHBOARD_MS),
        ("/tindak-lanjut/?status=terlambat", DASHBOARD_MS),
        ("/tindak-lanjut/instansi/?instansi=dpmd", DASHBOARD_MS),
        (f"/satgas/kinerja/?dari={year_ago}", DASHBOARD_MS),
        ("/satgas/", DASHBOARD_MS),
        (f"/satgas/rapat/{upcoming.pk}/", None),
        (f"/satgas/rapat/{upcoming.pk}/undangan.pdf", None),
    ]
    rows = []
    for username in ("dinas", "sekda", "satgas.dpmd"):
        client = Client()
        client.force_login(users.get(username=username))
        if username == "dinas":
            base_p50, base_p95, _ = _measure(client, "/sehat/", runs)
            rows.append({"name": "health check [baseline] p50", "value": base_p50, "unit": "ms"})
            rows.append({"name": "health check [baseline] p95", "value": base_p95, "unit": "ms"})
        for url, budget in pages:
            if username == "satgas.dpmd" and "instansi=" in url:
                url = "/tindak-lanjut/instansi/"
            p50, p95, queries = _measure(client, url, runs)
            label = f"{username} {url}"
            rows.append({"name": f"{label} p50", "value": p50, "unit": "ms"})
            rows.append({"name": f"{label} p95", "value": p95, "unit": "ms", "budget": budget})
            rows.append({"name": f"{label} queries", "value": queries, "unit": "n", "budget": 20})
    return rows
