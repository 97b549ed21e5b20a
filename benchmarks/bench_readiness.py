"""Readiness and potential pages on the full Kukar demo (237 villages, 193 BUMDes, ~220
assessments): server time p95, SQL queries, against docs/ARCHITECTURE.md §5 (regency dashboard p95 ≤ 50 ms,
≤ 20 queries). Baseline in the same run: the health check, the cheapest view there is.

Also times the overlap analysis itself (pure rules over data loaded in six queries) and the
streamed XLSX export of the analysis (time to the last byte).
"""

import gc
import statistics
import time

from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

# The runner hands this module a copy of the database with the Kukar regions and the full demo.
USES_DEMO = True

DASHBOARD_BUDGET_MS = 50


def _measure(client, url, runs):
    times, queries = [], 0
    client.get(url)  # warm-up: template compilation and catalogues are not the page's cost
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, queries


def run(small: bool) -> list[dict]:
    from django.contrib.auth import get_user_model

    from kawal.readiness.models import Assessment

    settings.ALLOWED_HOSTS = ["testserver"]
    # Loading the demo leaves a large heap in this process; a server process starts without it.
    # Freeze it so the cyclic collector does not rescan it during the measured requests.
    gc.collect()
    gc.freeze()
    client = Client()
    client.force_login(get_user_model().objects.get(username="dinas"))
    runs = 3 if small else 30
    assessment = Assessment.objects.filter(status="submitted").first()
    pages = [
        ("/kesiapan/", DASHBOARD_BUDGET_MS),
        ("/kesiapan/?kategori=belum_dinilai", None),
        (f"/kesiapan/koperasi/{assessment.cooperative_id}/", None),
        (f"/kesiapan/penilaian/{assessment.pk}/", None),
        ("/potensi/", DASHBOARD_BUDGET_MS),
        ("/potensi/desa/64.02.04.2001/", None),
        ("/potensi/peta/status.json", None),
        ("/potensi/ekspor/", None),
    ]
    _p50, base_p95, _q = _measure(client, "/sehat/", runs)
    rows = [{"name": "health check [baseline] p95", "value": base_p95, "unit": "ms"}]
    for url, budget in pages:
        p50, p95, queries = _measure(client, url, runs)
        rows.append({"name": f"{url} p50", "value": p50, "unit": "ms"})
        rows.append({"name": f"{url} p95", "value": p95, "unit": "ms", "budget": budget})
        rows.append({"name": f"{url} queries", "value": queries, "unit": "n", "budget": 20})
        rows.append({"name": f"{url} / baseline", "value": p95 / base_p95, "unit": "x"})

    from kawal.potential import analysis, selectors
    from kawal.regions.models import Region

    villages = list(Region.objects.filter(level=4, regency_code="64.02"))
    started = time.perf_counter()
    data = selectors.load_village_data(villages)
    loaded = time.perf_counter()
    for item in data.values():
        analysis.recommend(item, "", top=3)
        analysis.analyse(item)
    done = time.perf_counter()
    rows.append(
        {"name": "load 237 villages (6 queries)", "value": (loaded - started) * 1000, "unit": "ms"}
    )
    rows.append({"name": "rules for 237 villages", "value": (done - loaded) * 1000, "unit": "ms"})
    return rows
