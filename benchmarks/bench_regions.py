"""Region import: the national file (91,599 rows) must load in ≤ 10 s (docs/ARCHITECTURE.md §5).

Baseline in the same run: reading and validating the file without writing (parse only), so the
ratio load/parse shows what the database adds.
"""

import time

from kawal.regions import imports, services
from kawal.regions.models import Region


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def run(small: bool) -> list[dict]:
    if small:
        parse_s, _ = _timed(lambda: imports.parse_regions(imports.KUKAR_CSV))
        load_s, _ = _timed(services.load_kukar)
        reload_s, _ = _timed(services.load_kukar)
        label = "Kukar (259 rows)"
        budget = None
    else:
        parse_s, _ = _timed(lambda: imports.parse_regions(imports.NATIONAL_CSV))
        load_s, _ = _timed(services.load_national)
        reload_s, _ = _timed(services.load_national)
        label = "national (91,599 rows)"
        budget = 10.0
    assert Region.objects.exists()
    return [
        {"name": f"parse only, {label} [baseline]", "value": parse_s, "unit": "s"},
        {"name": f"load into empty db, {label}", "value": load_s, "unit": "s", "budget": budget},
        {
            "name": f"reload, nothing changes, {label}",
            "value": reload_s,
            "unit": "s",
            "budget": budget,
        },
        {"name": "load / parse", "value": load_s / parse_s, "unit": "x"},
    ]
