"""Training and budget pages on the full Kukar demo: the seven November 2025 batches (about 800
participants, attendance for three days each), the province session, the refocused budget.
Server time p50/p95 and SQL queries of the calendar, coverage, needs of one kecamatan, a batch
page, the phone attendance page, the cooperative page (with its training section), the budget
overview and a budget line; plus the attendance export and the certificates PDF of a batch.
Baseline in the same run: the health check. Budgets: ≤ 20 queries; regency pages p95 ≤ 50 ms.
"""

from django.conf import settings
from django.test import Client

from benchmarks.bench_satgas import _measure

# The runner hands this module a copy of the database with the Kukar regions and the full demo.
USES_DEMO = True

PAGE_MS = 50


def pages() -> list[tuple[str, int | None]]:
    from kawal.budget.models import BudgetLine
    from kawal.cooperatives.models import Cooperative
    from kawal.training.models import Batch

    batch = Batch.objects.filter(venue__startswith="Pendopo Odah Etam").order_by("start_date")[0]
    line = BudgetLine.objects.filter(purpose="pelatihan", fiscal_year=2025).first()
    coop = Cooperative.objects.filter(village__district_code="64.02.06").order_by("pk").first()
    return [
        ("/pelatihan/", PAGE_MS),
        ("/pelatihan/cakupan/", PAGE_MS),
        ("/pelatihan/kebutuhan/", PAGE_MS),
        ("/pelatihan/kebutuhan/?kecamatan=64.02.06", PAGE_MS),
        (f"/pelatihan/angkatan/{batch.pk}/", PAGE_MS),
        (f"/pelatihan/angkatan/{batch.pk}/hadir/?hari={batch.start_date.isoformat()}", PAGE_MS),
        (f"/koperasi/{coop.pk}/", None),
        ("/anggaran/", PAGE_MS),
        (f"/anggaran/{line.pk}/", PAGE_MS),
        (f"/pelatihan/angkatan/{batch.pk}/kehadiran.xlsx", None),
        (f"/pelatihan/angkatan/{batch.pk}/sertifikat.pdf", None),
    ]


def measure(runs: int) -> list[dict]:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="dinas"))
    rows = []
    base_p50, base_p95, _ = _measure(client, "/sehat/", runs)
    rows.append({"name": "health check [baseline] p50", "value": base_p50, "unit": "ms"})
    rows.append({"name": "health check [baseline] p95", "value": base_p95, "unit": "ms"})
    for url, budget in pages():
        p50, p95, queries = _measure(client, url, runs)
        rows.append({"name": f"dinas {url} p50", "value": p50, "unit": "ms"})
        rows.append({"name": f"dinas {url} p95", "value": p95, "unit": "ms", "budget": budget})
        rows.append({"name": f"dinas {url} queries", "value": queries, "unit": "n", "budget": 20})
    return rows


def run(small: bool) -> list[dict]:

    settings.ALLOWED_HOSTS = ["testserver"]
    return measure(3 if small else 30)
