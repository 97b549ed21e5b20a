"""The plain XLSX import and the KMP's own Excel book, both through the one import flow: dry
run equal to the commit, row errors with their line, all or nothing."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from kawal.business import imports
from kawal.business.models import BusinessReport, OutletLine
from kawal.core import imports as flow


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch, today):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)


def plain(user, upload, *, commit=False):
    return flow.run(imports.KINDS["laporan"], upload, user, commit=commit)


def book(user, coop, upload, *, commit=False):
    kind = flow.bound(imports.BOOK, user, {"koperasi": coop.pk})
    return flow.run(kind, upload, user, commit=commit)


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
    preview = plain(admin_user, upload).preview
    assert preview.ok, [r.errors for r in preview.rows]
    assert not BusinessReport.objects.exists()  # the dry run wrote nothing
    assert plain(admin_user, upload, commit=True).result == 2
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
    preview = plain(admin_user, upload).preview
    assert not preview.ok
    assert [r.line for r in preview.error_rows] == [3, 4, 5, 6, 7, 8]
    assert not plain(admin_user, upload, commit=True).committed
    assert not BusinessReport.objects.exists()


def test_a_missing_required_column_stops_the_import(admin_user, coop, today):
    preview = plain(admin_user, workbook([[coop.village_id]], header=["kode_desa"])).preview
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
    preview = book(pengurus, coop, upload).preview
    assert preview.ok, [r.errors for r in preview.rows]
    assert book(pengurus, coop, upload, commit=True).result == 2
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
    preview = book(pengurus, coop, upload).preview
    assert [r.line for r in preview.error_rows] == [2, 3, 4]
    assert not book(pengurus, coop, upload, commit=True).committed
    assert not BusinessReport.objects.exists()


def test_the_example_book_reads_back_without_errors(pengurus, coop, today):
    data = imports.book_template(coop, datetime.date(2026, 5, 1))
    preview = book(pengurus, coop, io.BytesIO(data)).preview
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


def _book_post(client, coop, data):
    return client.post(f"/usaha/koperasi/{coop.pk}/impor-buku/", data)


def _book_file(name="buku.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _book(
        {
            "Sembako 2026-05": [("Omzet", 12_000_000), ("HPP", 9_000_000), ("Catatan", "x")],
            "Koperasi 2026-05": [("Jumlah anggota", 120)],
        }
    ).getvalue()
    return SimpleUploadedFile(name, data)


def test_the_book_page_checks_then_imports_the_checked_file_by_its_token(client, pengurus, coop):
    client.force_login(pengurus)
    page = client.get(f"/usaha/koperasi/{coop.pk}/impor-buku/")
    assert page.status_code == 200 and coop.name in page.content.decode()
    checked = _book_post(client, coop, {"jenis": "buku", "aksi": "cek", "berkas": _book_file()})
    job = checked.context["job"]
    assert job.status == "checked" and job.context == {"koperasi": coop.pk}
    assert any("Catatan" in w for w in checked.context["preview"].warnings)  # never silent
    assert not BusinessReport.objects.exists()
    done = _book_post(client, coop, {"jenis": "buku", "aksi": "impor", "token": job.token})
    assert done.status_code == 302 and done["Location"] == f"/usaha/koperasi/{coop.pk}/"
    report = BusinessReport.objects.get()
    assert report.source == "book" and report.cooperative == coop and report.members_total == 120


def test_the_book_page_of_a_cooperative_outside_the_scope_is_not_found(
    client, pengurus, coop, other_coop
):
    client.force_login(pengurus)
    assert client.get(f"/usaha/koperasi/{other_coop.pk}/impor-buku/").status_code == 404
    response = _book_post(
        client, other_coop, {"jenis": "buku", "aksi": "cek", "berkas": _book_file()}
    )
    assert response.status_code == 404
    assert not BusinessReport.objects.exists()


def test_a_token_checked_for_one_cooperative_does_not_import_into_another(
    client, admin_user, coop, other_coop
):
    client.force_login(admin_user)
    job = _book_post(
        client, coop, {"jenis": "buku", "aksi": "cek", "berkas": _book_file()}
    ).context["job"]
    response = _book_post(
        client, other_coop, {"jenis": "buku", "aksi": "impor", "token": job.token}
    )
    assert response.status_code == 302 and "impor-buku" in response["Location"]
    assert not BusinessReport.objects.exists()


def test_the_worker_binds_the_cooperative_again_and_stops_when_the_grant_is_gone(
    client, pengurus, coop, settings, django_capture_on_commit_callbacks
):
    from kawal.core.models import ImportJob
    from kawal.core.scope import forget
    from kawal.core.tasks import run_import_job

    settings.KAWAL_IMPORT_WORKER_BYTES = 0  # every file goes to the worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(pengurus)
    checked = _book_post(client, coop, {"jenis": "buku", "aksi": "cek", "berkas": _book_file()})
    job = checked.context["job"]
    assert job.in_worker and job.status == "queued"
    run_import_job.func(job.pk)  # the worker checks the book of the job's cooperative
    job.refresh_from_db()
    assert job.status == "checked", job.result
    with django_capture_on_commit_callbacks(execute=False):
        _book_post(client, coop, {"jenis": "buku", "aksi": "impor", "token": job.token})
    pengurus.grants.all().delete()  # the grant is withdrawn before the worker runs
    forget(pengurus)
    run_import_job.func(job.pk)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == "failed"
    assert job.result["file_errors"] and not BusinessReport.objects.exists()
    assert client.get(f"/impor/status/{job.token}/").status_code == 404


def test_the_plain_import_places_messy_rows(admin_user, make_cooperative):
    from kawal.regions.tests import messy

    for code in sorted(messy.PLACED):
        make_cooperative(code)
    own = {"bulan": "2026-05", "gerai": "", "jumlah_anggota": "80", "simpanan_wajib": "N/A"}
    messy.assert_messy_file_is_placed_or_refused(
        imports.KINDS["laporan"],
        admin_user,
        own,
        source="business",
        stored=lambda: set(
            BusinessReport.objects.values_list("cooperative__village_id", flat=True)
        ),
    )
    messy.assert_cp1252_csv_is_read(imports.KINDS["laporan"], admin_user, own)
