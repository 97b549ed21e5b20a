"""Region reconciliation: every village of the file given by names only, spelled the way real
spreadsheets spell them (upper case, DESA/KEL. prefixes, KAB./KOTA, punctuation, hyphens for
spaces, a typo in some, old codes for the villages re-coded in 2021). Goal: ≥ 99% placed on the
right code, **no wrong code**, the rest waiting in the review queue.

Baseline in the same run: an exact dictionary look-up of the official names (what a naive
import does), which places far fewer rows and cannot tell repeated names apart.
Also the NPAK notary file: preview and commit of a synthetic 17,000-row ministry-shaped file.
"""

import random
import time

from kawal.regions import reconcile as rc
from kawal.regions import services
from kawal.regions.models import Region, RegionCodeChange


def _perturb_village(name: str, kind: str, rnd: random.Random) -> str:
    roll = rnd.random()
    if roll < 0.25:
        name = name.upper()
    elif roll < 0.35:
        name = name.lower()
    prefix = rnd.choice(
        ["", "", "DESA ", "Desa ", "Ds. "]
        if kind != "kelurahan"
        else ["", "KEL. ", "Kelurahan ", "KELURAHAN "]
    )
    name = prefix + name
    roll = rnd.random()
    if roll < 0.1:
        name = name.replace(" ", "-", 1)
    elif roll < 0.15:
        name = name.replace("'", "")
    elif roll < 0.2:
        name = "  " + name.replace(" ", "  ") + " ."
    if rnd.random() < 0.03:
        name = _typo(name, rnd)
    return name


def _typo(name: str, rnd: random.Random) -> str:
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if len(letters) < 8:
        return name
    at = rnd.choice(letters[2:-1])
    return name[:at] + name[at] + name[at:]  # a doubled letter


def _perturb_regency(name: str, rnd: random.Random) -> str:
    if name.startswith("Kabupaten "):
        name = rnd.choice(["Kabupaten ", "KAB. ", "Kab ", "KABUPATEN "]) + name[10:]
    elif name.startswith("Kota "):
        name = rnd.choice(["Kota ", "KOTA "]) + name[5:]
    return name.upper() if rnd.random() < 0.5 else name


def _perturb_district(name: str, rnd: random.Random) -> str:
    name = rnd.choice(["", "", "KEC. ", "Kecamatan "]) + name
    return name.upper() if rnd.random() < 0.5 else name


def _queries(rnd: random.Random):
    regions = {r.code: r for r in Region.objects.filter(level__lt=4)}
    old_by_new = {c.new_region_id: c for c in RegionCodeChange.objects.all()}
    for village in Region.objects.filter(level=4).iterator(chunk_size=10000):
        district = regions[village.district_code]
        regency = regions[village.regency_code]
        province = regions[village.province_code]
        change = old_by_new.get(village.code)
        query = rc.Query(
            province=province.name.upper() if rnd.random() < 0.5 else province.name,
            regency=_perturb_regency(regency.name, rnd),
            district=_perturb_district(district.name, rnd),
            village=_perturb_village(village.name, village.kind, rnd),
        )
        if change is not None and rnd.random() < 0.5:
            query.code = change.old_code  # an old code, with the names it had then
            query.district = regions[change.old_district_code].name
            query.village = change.old_name
        yield village.code, query


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _match_all(queries):
    reconciler = rc.Reconciler()
    counts = {"right": 0, "wrong": 0, "queued": 0}
    methods: dict[str, int] = {}
    for expected, query in queries:
        match = reconciler.resolve(query)
        methods[match.method] = methods.get(match.method, 0) + 1
        if not match.ok:
            counts["queued"] += 1
        elif match.code == expected:
            counts["right"] += 1
        else:
            counts["wrong"] += 1
    return counts, methods


def _naive(queries):
    """Baseline: the official name under its kecamatan name, compared as written."""
    index = {}
    for code, name, district in Region.objects.filter(level=4).values_list(
        "code", "name", "district_code"
    ):
        index[(district, name)] = code
    districts = dict(Region.objects.filter(level=3).values_list("name", "code"))
    right = 0
    for expected, query in queries:
        district = districts.get(query.district)
        if index.get((district, query.village)) == expected:
            right += 1
    return right


def _npak(small: bool) -> list[dict]:
    from kawal.formation import npak
    from kawal.formation.tests.npak_fixture import npak_csv_bytes

    rows = 600 if small else 17_000
    data = npak_csv_bytes(rows=rows, seed=3)
    read_s, parsed = _timed(lambda: npak.read_npak(data))
    preview_s, plan = _timed(lambda: npak.plan_npak(parsed))
    from kawal.accounts.models import User

    admin = User.objects.create_superuser("bench-npak", password="x")
    commit_s, result = _timed(lambda: npak.npak_import_commit(actor=admin, plan=plan))
    recommit_s, again = _timed(
        lambda: npak.npak_import_commit(actor=admin, plan=npak.plan_npak(npak.read_npak(data)))
    )
    assert again["created"] == 0, again
    return [
        {"name": f"NPAK read + decode, {rows:,} rows [baseline]", "value": read_s, "unit": "s"},
        {"name": f"NPAK preview (merge + seats), {rows:,} rows", "value": preview_s, "unit": "s"},
        {"name": f"NPAK commit, {result['created']:,} notaries", "value": commit_s, "unit": "s"},
        {"name": "NPAK re-import (nothing new)", "value": recommit_s, "unit": "s"},
    ]


def run(small: bool) -> list[dict]:
    if small:
        services.load_kukar()
        label = "Kukar (237 villages)"
    else:
        services.load_national()
        services.load_kukar()  # the 2021 code changes
        label = "national (83,762 villages)"
    queries = list(_queries(random.Random(12)))
    total = len(queries)
    naive_s, naive_right = _timed(lambda: _naive(queries[: min(total, 3000)]))
    match_s, (counts, methods) = _timed(lambda: _match_all(queries))
    results = [
        {"name": f"villages given by names only, {label}", "value": total, "unit": "rows"},
        {
            "name": "placed on the right code",
            "value": counts["right"] / total * 100,
            "unit": "%",
            "budget_min": 99.0,
        },
        {"name": "placed on a wrong code", "value": counts["wrong"], "unit": "rows", "budget": 0},
        {"name": "left in the review queue", "value": counts["queued"], "unit": "rows"},
        {"name": "match time, all rows (incl. index build)", "value": match_s, "unit": "s"},
        {
            "name": "exact-name look-up, right [baseline]",
            "value": naive_right / min(total, 3000) * 100,
            "unit": "%",
        },
        {
            "name": "methods",
            "value": 0,
            "unit": ", ".join(f"{k}={v}" for k, v in sorted(methods.items())),
        },
    ]
    results += _npak(small)
    return results
