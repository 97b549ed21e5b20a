"""Registry: cooperative import from XLSX (80,000 rows must take ≤ 60 s with full row
validation), export first byte (≤ 1 s) and the list page and progress matrix at that size.

Baseline in the same run: reading the workbook without checking or writing (parse only), so
check/parse and commit/parse show what validation and the database add. Small mode: Kukar's
237 villages. Full mode: the national region file, one cooperative for each of 80,000 villages.
"""

import io
import time

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _workbook(codes) -> SimpleUploadedFile:
    from kawal.cooperatives.imports import COOPERATIVE_COLUMNS

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    header = [c.key for c in COOPERATIVE_COLUMNS]
    sheet.append(header)
    for i, code in enumerate(codes):
        row = {
            "kode_desa": code,
            "name": f"Koperasi Desa Merah Putih {i}",
            "skema": "pendirian_baru",
            "syariah": "Tidak",
            "jenis_usaha": "konsumen",
            "address": f"Jl. Contoh No. {i % 90 + 1}",
            "principal_saving": 100000,
            "mandatory_saving": 10000,
            "grant_fund": 0,
            "anggota_laki_laki": 20 + i % 50,
            "anggota_perempuan": 15 + i % 40,
            "cooperative_id": f"SIM-{i:06d}",
        }
        sheet.append([row.get(h, "") for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("koperasi.xlsx", buffer.getvalue())


def _national_admin():
    from kawal.accounts.models import Grant, User
    from kawal.core.scope import Role

    user = User.objects.create_user("bench-admin", password="bench-pass-123!")
    Grant.objects.create(user=user, role=Role.ADMIN_DINAS, region=None)
    return user


def run(small: bool) -> list[dict]:
    from kawal.cooperatives import imports, services
    from kawal.cooperatives.models import Cooperative
    from kawal.core import spreadsheets as sp
    from kawal.regions import services as regions
    from kawal.regions.models import Region

    if small:
        regions.load_kukar()
        label, budget, first_byte_budget = "237 rows", None, None
    else:
        regions.load_national()
        label, budget, first_byte_budget = "80,000 rows", 60.0, 1.0
    codes = list(
        Region.objects.filter(level=4, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)[: 237 if small else 80_000]
    )
    admin = _national_admin()
    upload = _workbook(codes)

    parse_s, _ = _timed(lambda: sp.read_xlsx(upload, imports.COOPERATIVE_COLUMNS))
    preview = sp.read_xlsx(upload, imports.COOPERATIVE_COLUMNS)
    check_s, rows = _timed(lambda: imports.cooperative_rows(preview, admin))
    assert preview.ok, preview.error_rows[:3]
    commit_s, result = _timed(
        lambda: sp.commit(
            preview, lambda _r: services.cooperative_import(actor=admin, prepared=rows)
        )
    )
    assert result["created"] == len(codes) == Cooperative.objects.count()

    def full_import():
        again = sp.read_xlsx(upload, imports.COOPERATIVE_COLUMNS)
        again_rows = imports.cooperative_rows(again, admin)
        return sp.commit(
            again, lambda _r: services.cooperative_import(actor=admin, prepared=again_rows)
        )

    reimport_s, again = _timed(full_import)
    assert again["created"] == again["updated"] == 0

    client = Client()
    client.force_login(admin)
    started = time.perf_counter()
    response = client.get("/koperasi/ekspor.xlsx")
    chunks = iter(response.streaming_content)
    next(chunks)
    first_byte_s = time.perf_counter() - started
    export_bytes = sum(len(c) for c in chunks)
    export_s = time.perf_counter() - started

    list_s, page = _timed(lambda: client.get("/koperasi/"))
    assert page.status_code == 200
    filtered_s, page = _timed(lambda: client.get("/koperasi/?peringatan=ada&terlambat=ya"))
    assert page.status_code == 200
    matrix_s, page = _timed(lambda: client.get("/pembentukan/"))
    assert page.status_code == 200
    return [
        {"name": f"parse only, {label} [baseline]", "value": parse_s, "unit": "s"},
        {"name": f"check every row, {label}", "value": check_s, "unit": "s"},
        {"name": f"commit, {label}", "value": commit_s, "unit": "s"},
        {
            "name": f"import total (parse+check+commit), {label}",
            "value": parse_s + check_s + commit_s,
            "unit": "s",
            "budget": budget,
        },
        {
            "name": f"re-import, nothing changes, {label}",
            "value": reimport_s,
            "unit": "s",
            "budget": budget,
        },
        {"name": "import / parse", "value": (parse_s + check_s + commit_s) / parse_s, "unit": "x"},
        {
            "name": f"export first byte, {label}",
            "value": first_byte_s,
            "unit": "s",
            "budget": first_byte_budget,
        },
        {
            "name": f"export complete ({export_bytes // 1024} KB), {label}",
            "value": export_s,
            "unit": "s",
        },
        {"name": f"list page, {label}", "value": list_s * 1000, "unit": "ms"},
        {
            "name": f"list filtered (warnings+overdue), {label}",
            "value": filtered_s * 1000,
            "unit": "ms",
        },
        {"name": f"progress matrix, {label}", "value": matrix_s * 1000, "unit": "ms"},
    ]
