"""Imports under hostile and large files: peak memory (RSS) and time.

Each case runs in a fresh subprocess, so that its peak RSS (`resource.getrusage`, ru_maxrss) is
its own: the two generated bombs (one shared string expanding a thousandfold, five million tiny
strings) must be refused with memory near the interpreter's baseline; a 50,000-row file is
parsed with memory bounded by its rows. Baseline in the same run: the bare interpreter with
Django and openpyxl imported (the `baseline` case).
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CEILING_MB = 400  # the stated ceiling for any refused bomb (process peak, Django included)


def _case(name: str, rows: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.settings")
    django.setup()
    import openpyxl  # noqa: F401  (part of the baseline)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kawal.core import spreadsheets as sp
    from kawal.core.tests import xlsx_bombs

    columns = [
        sp.Column("kode_desa", required=True),
        sp.Column("komoditas", required=True),
        sp.Column("volume", parse=sp.as_decimal),
        sp.Column("nilai_rp", parse=sp.as_rupiah),
    ]
    if name == "baseline":
        data = None
    elif name == "huge_string":
        data = xlsx_bombs.huge_string_bomb(megabytes=1500)
    elif name == "many_strings":
        data = xlsx_bombs.many_strings_bomb(count=5_000_000)
    else:
        data = xlsx_bombs.rows_file(
            rows,
            ["kode_desa", "komoditas", "volume", "nilai_rp"],
            lambda i: [f"64.02.{i % 20 + 1:02d}.{2001 + i % 9000}", "Padi", i % 97, 1_250_000],
        )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    result = {}
    if data is not None:
        result["upload_kb"] = len(data) // 1024
        preview = sp.read_xlsx(SimpleUploadedFile("f.xlsx", data), columns, max_rows=100_000)
        result["refused"] = bool(preview.file_errors)
        result["rows"] = len(preview.rows)
        del data
    result["seconds"] = time.perf_counter() - started
    result["rss_before_mb"] = before
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _measure(name: str, rows: int = 0) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, name, str(rows)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _commodity_import(rows: int) -> list[dict]:
    """The 50,000-row commodity import through the one import flow (as the worker runs it):
    parse only [baseline], dry run (every write, rolled back), commit."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kawal.accounts.models import User
    from kawal.core import imports as flow
    from kawal.core import spreadsheets as sp
    from kawal.core.scope import Role
    from kawal.core.tests import xlsx_bombs
    from kawal.potential import imports as potential_imports
    from kawal.potential.models import Commodity, CommodityType
    from kawal.potential.standard import load_standard_list
    from kawal.regions import services as regions
    from kawal.regions.models import Region

    if rows > 26 * 237:
        regions.load_national()
    else:
        regions.load_kukar()
    load_standard_list()
    types = list(CommodityType.objects.values_list("name", flat=True))
    villages = list(
        Region.objects.filter(level=4)
        .order_by("code")
        .values_list("code", flat=True)[: rows // len(types) + 1]
    )
    pairs = [(v, t) for v in villages for t in types][:rows]
    data = xlsx_bombs.rows_file(
        len(pairs),
        ["kode_desa", "komoditas", "volume", "satuan", "nilai_rp"],
        lambda i: [pairs[i][0], pairs[i][1], (i % 97) + 1, "ton", "Rp1.250.000"],
    )
    user = User.objects.create_user("bench-admin", password="x")
    from kawal.accounts.models import Grant

    Grant.objects.create(user=user, role=Role.ADMIN_DINAS, region_id=None)
    kind = potential_imports.FLOW_KINDS["komoditas"]
    out = []

    def upload():
        return SimpleUploadedFile("komoditas.xlsx", data)

    started = time.perf_counter()
    preview = sp.read_xlsx(upload(), kind.columns, max_rows=kind.max_rows)
    parse_s = time.perf_counter() - started
    assert preview.ok, preview.file_errors or preview.error_rows[:3]
    started = time.perf_counter()
    dry = flow.run(kind, upload(), user, commit=False)
    dry_s = time.perf_counter() - started
    assert dry.preview.ok, dry.preview.file_errors or dry.preview.error_rows[:3]
    started = time.perf_counter()
    done = flow.run(kind, upload(), user, commit=True)
    commit_s = time.perf_counter() - started
    assert done.committed and Commodity.objects.count() == len(pairs)
    started = time.perf_counter()
    again = flow.run(kind, upload(), user, commit=True)
    again_s = time.perf_counter() - started
    assert again.committed
    label = f"{len(pairs):,}-row commodity import"
    out.append({"name": f"{label}: parse only [baseline]", "value": parse_s, "unit": "s"})
    out.append({"name": f"{label}: dry run (writes rolled back)", "value": dry_s, "unit": "s"})
    out.append({"name": f"{label}: commit", "value": commit_s, "unit": "s"})
    out.append({"name": f"{label}: identical re-import", "value": again_s, "unit": "s"})
    return out


def run(small: bool) -> list[dict]:
    rows = 1_000 if small else 50_000
    base = _measure("baseline")
    results = [
        {"name": "interpreter + Django [baseline]", "value": base["peak_rss_mb"], "unit": "MB"}
    ]
    cases = [("many_strings", 0)] if small else [("huge_string", 0), ("many_strings", 0)]
    for name, n in cases:
        got = _measure(name, n)
        assert got["refused"], f"{name} was not refused"
        results.append(
            {
                "name": f"bomb {name} ({got['upload_kb']} KB upload): peak RSS",
                "value": got["peak_rss_mb"],
                "unit": "MB",
                "budget": CEILING_MB,
            }
        )
        results.append(
            {"name": f"bomb {name}: time to refuse", "value": got["seconds"], "unit": "s"}
        )
    got = _measure("rows", rows)
    assert got["rows"] == rows and not got["refused"]
    results.append(
        {"name": f"parse {rows:,} rows: peak RSS", "value": got["peak_rss_mb"], "unit": "MB"}
    )
    results.append({"name": f"parse {rows:,} rows: time", "value": got["seconds"], "unit": "s"})
    results += _commodity_import(rows)
    return results


if __name__ == "__main__":
    print(json.dumps(_case(sys.argv[1], int(sys.argv[2]))))
