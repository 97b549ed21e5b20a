"""The plain XLSX import and the KMP's own Excel book: dry run, row errors, all or nothing."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from kawal.business import imports
from kawal.business.models import BusinessReport, OutletLine

HEADER = ["kode_desa", "bulan", "gerai", "omzet", "hpp", "biaya_operasional", "laba_rugi",
          "jumlah_transaksi", "nilai_stok", "anggota_masuk", "anggota_keluar", "jumlah_anggota"]  # fmt: skip


def workbook(rows, header=HEADER) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_a_clean_file_imports_one_report_per_kmp_and_month(admin_user, coop, today):
    code = coop.village_id
    upload = workbook(
        [
            [code, "2026-05", "sembako", "10.000.000", 7_000_000, 1_000_000, None, 300, 0],
            [code, "2026-05", "apotek", 2_000_000, 1_500_000, 100_000, None, 40, 0],
            [code, "2026-05", None, None, None, None, None, None, None, 4, 0, 80],
            [code, "2026-04", "sembako", 9_000_000, 6_000_000, 1_000_000, None, 250, 0],
        ]
    )
    preview = imports.plain_preview(user=admin_user, upload=upload, today=today)
    assert preview.ok, [r.errors for r in preview.rows]
    assert (
        imports.import_commit(user=admin_user, preview=preview, source="import", today=today) == 2
    )
    may = BusinessReport.objects.get(month=datetime.date(2026, 5, 1))
    assert may.members_total == 80 and may.lines.count() == 2
    assert OutletLine.objects.get(report=may, outlet=coop.sembako).profit == 2_000_000


def test_bad_rows_are_listed_with_their_line_and_nothing_is_written(admin_user, coop, today):
    code = coop.village_id
    upload = workbook(
        [
            [code, "2026-05", "sembako", 10_000_000, 7_000_000, 1_000_000, None, 300, 0],
            [code, "2026-09", "sembako", 1, 1, 1, None, 1, 0],  # future month
            [code, "2026-04", "klinik", 1, 1, 1, None, 1, 0],  # outlet not open
            [code, "2026-04", None, None, None, None, None, None, None, 1, -2, 80],  # negative
            ["64.02.05.2006", "2026-04", "sembako", 1, 1, 1, None, 1, 0],  # no such KMP
            [code, "Mei", "sembako", "12,5", 1, 1, None, 1, 0],  # bad month, decimal
            [code, "2026-05", "sembako", 1, 1, 1, None, 1, 0],  # repeats line 2
        ]
    )
    preview = imports.plain_preview(user=admin_user, upload=upload, today=today)
    assert not preview.ok
    assert [r.line for r in preview.error_rows] == [3, 4, 5, 6, 7, 8]
    with pytest.raises(ValidationError):
        imports.import_commit(user=admin_user, preview=preview, source="import", today=today)
    assert not BusinessReport.objects.exists()


def test_a_missing_required_column_stops_the_import(admin_user, coop, today):
    preview = imports.plain_preview(
        user=admin_user, upload=workbook([[coop.village_id]], header=["kode_desa"]), today=today
    )
    assert preview.file_errors and not preview.rows


def _book(sheets: dict) -> io.BytesIO:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, pairs in sheets.items():
        sheet = book.create_sheet(title)
        for pair in pairs:
            sheet.append(list(pair))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_the_kmp_excel_book_imports_one_sheet_per_outlet_and_month(pengurus, coop, today):
    upload = _book(
        {
            "Sembako 2026-05": [("Omzet", 12_000_000), ("HPP", 9_000_000), ("Biaya operasional", 1_000_000), ("Jumlah transaksi", 310)],
            "Apotek 2026-05": [("Omzet", 3_000_000), ("HPP", 2_000_000)],
            "Koperasi 2026-05": [("Jumlah anggota", 120), ("Simpanan wajib", 2_400_000)],
            "Sembako 2026-04": [("Omzet", 11_000_000), ("HPP", 8_000_000)],
        }
    )  # fmt: skip
    preview = imports.book_preview(user=pengurus, upload=upload, cooperative=coop, today=today)
    assert preview.ok, [r.errors for r in preview.rows]
    assert imports.import_commit(user=pengurus, preview=preview, source="book", today=today) == 2
    may = BusinessReport.objects.get(month=datetime.date(2026, 5, 1))
    assert may.source == "book" and may.members_total == 120 and may.lines.count() == 2


def test_a_book_with_a_badly_named_sheet_or_a_closed_outlet_is_refused_whole(pengurus, coop, today):
    upload = _book(
        {
            "Sembako 2026-05": [("Omzet", 12_000_000)],
            "Lembar1": [("Omzet", 1)],
            "Klinik 2026-05": [("Omzet", 5)],
            "Koperasi 2026-05": [("Jumlah anggota", "banyak")],
        }
    )
    preview = imports.book_preview(user=pengurus, upload=upload, cooperative=coop, today=today)
    assert [r.line for r in preview.error_rows] == [2, 3, 4]
    with pytest.raises(ValidationError):
        imports.import_commit(user=pengurus, preview=preview, source="book", today=today)
    assert not BusinessReport.objects.exists()


def test_the_example_book_reads_back_without_errors(pengurus, coop, today):
    data = imports.book_template(coop, datetime.date(2026, 5, 1))
    preview = imports.book_preview(
        user=pengurus, upload=io.BytesIO(data), cooperative=coop, today=today
    )
    assert preview.ok, [r.errors for r in preview.rows]
    assert len(preview.rows) == 3  # the cooperative sheet and two open outlets


def test_the_plain_import_runs_through_the_one_import_page(client, admin_user, coop):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def post(rows, action):
        data = workbook(rows).getvalue()
        upload = SimpleUploadedFile("laporan.xlsx", data)
        return client.post("/usaha/impor/", {"jenis": "laporan", "aksi": action, "berkas": upload})

    code = coop.village_id
    client.force_login(admin_user)
    checked = post([[code, "2026-05", "klinik", 1, 1, 1, None, 1, 0]], "cek")
    assert [r.line for r in checked.context["preview"].error_rows] == [2]  # outlet not open
    assert not BusinessReport.objects.exists()
    done = post(
        [[code, "2026-05", "sembako", 10_000_000, 7_000_000, 1_000_000, None, 300, 0]], "impor"
    )
    assert done.status_code == 302
    assert BusinessReport.objects.filter(cooperative=coop, month=datetime.date(2026, 5, 1)).exists()
