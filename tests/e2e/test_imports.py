"""An import through the task worker in the browser: the page shows the progress and disables
its buttons, polls until the worker has checked the file, then imports the checked file (no
second upload) and reloads with the summary."""

import pytest
from playwright.sync_api import expect

from kawal.cooperatives.models import Cooperative
from kawal.core.models import ImportJob
from kawal.core.tasks import run_import_job
from kawal.core.tests.xlsx_bombs import rows_file
from tests.e2e.conftest import login, screenshot

ROWS = [
    ("64.02.06.1001", "KMP Jahab"),
    ("64.02.06.1002", "KMP Loa Ipuh"),
    ("64.02.06.1003", "KMP Mangkurawang"),
]


@pytest.fixture
def worker_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KAWAL_IMPORT_WORKER_BYTES = 0  # every file goes to the worker
    # The queue keeps the task; the test plays the worker (db_worker runs the same function).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def run_worker():
    job = ImportJob.objects.filter(status="queued").get()
    run_import_job.func(job.pk)


def test_a_cooperative_file_is_checked_and_imported_by_the_worker(
    page, admin_user, kukar, worker_settings, tmp_path
):
    path = tmp_path / "koperasi.xlsx"
    path.write_bytes(rows_file(len(ROWS), ["kode_desa", "name"], lambda i: list(ROWS[i])))
    login(page, admin_user.username)
    page.goto(page.base + "/koperasi/impor/?jenis=koperasi")
    page.set_input_files("#berkas", str(path))
    page.get_by_role("button", name="Periksa (uji coba)").click()
    page.get_by_text("Memeriksa di latar belakang…").wait_for()
    assert page.get_by_role("button", name="Periksa (uji coba)").is_disabled()
    screenshot(page, "import-worker-progress")
    run_worker()  # the worker checks the file; the page's polling picks the result up
    page.get_by_text("Uji coba: tidak ada kesalahan").wait_for()
    screenshot(page, "import-worker-checked")
    assert not Cooperative.objects.exists()
    page.get_by_role("button", name="Impor berkas yang sudah diperiksa").click()
    page.get_by_text("Mengimpor di latar belakang…").wait_for()
    run_worker()
    page.get_by_text("3 baru").wait_for()  # the page reloads with the summary
    assert Cooperative.objects.count() == 3


def test_the_progress_page_fits_a_phone(phone_page, admin_user, kukar, worker_settings, tmp_path):
    path = tmp_path / "koperasi.xlsx"
    path.write_bytes(rows_file(len(ROWS), ["kode_desa", "name"], lambda i: list(ROWS[i])))
    login(phone_page, admin_user.username)
    phone_page.goto(phone_page.base + "/koperasi/impor/?jenis=koperasi")
    phone_page.set_input_files("#berkas", str(path))
    phone_page.get_by_role("button", name="Periksa (uji coba)").click()
    phone_page.get_by_text("Memeriksa di latar belakang…").wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(phone_page, "import-worker-progress-phone")


def _book_file(tmp_path, month):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    sembako = book.create_sheet(f"Sembako {month:%Y-%m}")
    for pair in (("Omzet", 12_000_000), ("HPP", 9_000_000), ("Jumlah transaksi", 310)):
        sembako.append(pair)
    kmp = book.create_sheet(f"Koperasi {month:%Y-%m}")
    kmp.append(("Jumlah anggota", 120))
    kmp.append(("Catatan bendahara", "lunas"))  # a label nobody reads: a warning
    path = tmp_path / "buku.xlsx"
    book.save(path)
    return path


def test_a_kmp_book_is_checked_and_imported_through_the_one_import_flow(
    page, phone_page, make_user, make_cooperative, worker_settings, tmp_path
):
    import datetime

    from django.utils import timezone

    from kawal.business.models import BusinessReport
    from kawal.cooperatives.models import Outlet
    from kawal.core.scope import Role

    coop = make_cooperative("64.02.06.1001")
    Outlet.objects.create(cooperative=coop, outlet_type="sembako", status="beroperasi")
    make_user(Role.PENGURUS, coop.village_id, username="ketua.buku")
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    path = _book_file(tmp_path, month)
    address = f"/usaha/koperasi/{coop.pk}/impor-buku/"

    login(page, "ketua.buku")
    page.goto(page.base + address)
    expect(page.get_by_role("heading", name="Impor buku Excel")).to_be_visible()
    page.set_input_files("#berkas", str(path))
    page.get_by_role("button", name="Periksa (uji coba)").click()
    expect(page.get_by_text("Memeriksa di latar belakang…")).to_be_visible()
    run_worker()  # the worker binds the page's cooperative again and checks the book
    expect(page.get_by_text("Uji coba: tidak ada kesalahan")).to_be_visible()
    expect(page.get_by_text("Catatan bendahara")).to_be_visible()
    screenshot(page, "business-book-checked")
    assert not BusinessReport.objects.exists()
    page.get_by_role("button", name="Impor berkas yang sudah diperiksa").click()
    expect(page.get_by_text("Mengimpor di latar belakang…")).to_be_visible()
    run_worker()
    expect(page.get_by_text("1 baris diimpor")).to_be_visible()  # the page reloads with it
    report = BusinessReport.objects.get()
    assert report.cooperative == coop and report.source == "book"
    assert report.members_total == 120

    login(phone_page, "ketua.buku")
    phone_page.goto(phone_page.base + address)
    expect(phone_page.get_by_role("heading", name="Impor buku Excel")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "business-book-phone")
