"""Every page without parameters, as the Dinas administrator sees it on the full demo data set:
server time (p50/p95), SQL queries, and bytes transferred (gzip), against docs/ARCHITECTURE.md §5:
≤ 20 queries per list or dashboard, regency dashboard p95 ≤ 50 ms, ≤ 150 KB per page.

Pages are found by walking the URL resolver, so a new page is measured without editing this file.
Baseline in the same run: the health check (`/sehat/`), the cheapest view there is.
"""

import gzip
import re
import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The runner hands this module a copy of the database with the Kukar regions and the full demo.
USES_DEMO = True

SKIP = {"accounts:logout", "set_language", "accounts:login"}
HOME_BUDGET_MS = 50


def _page_names(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from _page_names(
                entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            )
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
            name = prefix + entry.name
            if name not in SKIP and "ekspor" not in str(entry.pattern) and "export" not in name:
                yield name


def _measure(client, url, runs):
    times, queries, size, status, body = [], 0, 0, None, b""
    for _ in range(runs):
        # The query log keeps 9,000 entries; once full, a capture would count nothing.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, headers={"accept-encoding": "gzip"})
            body = b"".join(response) if response.streaming else response.content
            times.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
        size = len(body) if response.get("Content-Encoding") == "gzip" else len(gzip.compress(body))
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return statistics.median(times), p95, queries, size + _asset_bytes(body), status


ASSET = re.compile(rb'(?:src|href)="/static/([^"]+)"')


def _asset_bytes(body: bytes) -> int:
    """What the page's own CSS and scripts add on a first visit, gzip-compressed."""
    from django.contrib.staticfiles import finders

    total = 0
    for path in set(ASSET.findall(body)):
        found = finders.find(path.decode())
        if found:
            with open(found, "rb") as f:
                total += len(gzip.compress(f.read()))
    return total


def run(small: bool) -> list[dict]:

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(_demo_admin())
    runs = 3 if small else 30
    rows = []
    base_p50, base_p95, *_ = _measure(client, reverse("core:health"), runs)
    rows.append({"name": "health check [baseline] p95", "value": base_p95, "unit": "ms"})
    for name in sorted(_page_names()):
        url = reverse(name)
        p50, p95, queries, size, status = _measure(client, url, runs)
        if status != 200:
            continue  # a redirect (e.g. to a region page) is measured where it lands
        budget = HOME_BUDGET_MS if name == "core:home" else None
        rows.append({"name": f"{url} p95", "value": p95, "unit": "ms", "budget": budget})
        rows.append({"name": f"{url} queries", "value": queries, "unit": "n", "budget": 20})
        rows.append(
            {"name": f"{url} KB gzip+assets", "value": size / 1024, "unit": "KB", "budget": 150}
        )
    return rows


def _demo_admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="dinas")
