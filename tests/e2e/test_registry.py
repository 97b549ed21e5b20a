"""Registry and formation in the browser: a camat updates a step on a phone (with an upload) and
sees it on the timeline and in the progress matrix; the Dinas filters the cooperative list."""

import datetime

from playwright.sync_api import expect

from kawal.cooperatives.models import Cooperative
from kawal.core.scope import Role
from kawal.formation import services
from kawal.formation.models import StepDocument, StepRecord
from kawal.regions.models import Region
from tests.e2e.conftest import login, screenshot

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _kecamatan(admin, code="64.02.06"):
    villages = Region.objects.filter(district_code=code, level=4).order_by("code")
    cooperatives = [
        Cooperative.objects.create(village=v, name=f"Koperasi Kelurahan Merah Putih {v.name}")
        for v in villages
    ]
    for c in cooperatives:
        for step, day in (("sosialisasi", 2), ("musdesus", 20)):
            services.step_update(
                actor=admin,
                cooperative=c,
                step=step,
                status="selesai",
                completed_on=D(2025, 5, day),
            )
    return cooperatives


def _footer(page, column: int) -> str:
    return page.locator("table.matrix tfoot th").nth(column).inner_text()


def test_camat_updates_a_step_on_a_phone_and_the_matrix_changes(
    phone_page, make_user, admin_user, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    cooperatives = _kecamatan(admin_user)
    make_user(Role.CAMAT, "64.02.06", username="camat.tgr", first_name="Camat")
    page = phone_page
    login(page, "camat.tgr")

    page.goto(page.base + "/pembentukan/")
    assert page.get_by_role(
        "heading", name="Progres pembentukan · Kecamatan Tenggarong"
    ).is_visible()
    rapat_column = 3  # Koperasi, Sosialisasi, Musdesus, Rapat
    assert _footer(page, rapat_column).startswith("0")

    coop = cooperatives[0]
    page.goto(page.base + f"/koperasi/{coop.pk}/")
    page.locator("#tahap-rapat_pendirian").get_by_role("link", name="perbarui").click()
    page.wait_for_url("**/tahap/rapat_pendirian/")
    assert page.get_by_role("heading", name="Rapat pendirian").is_visible()

    # evidence first: the berita acara as a PDF
    page.locator("#id_kind").select_option("berita acara")
    page.locator("#id_file").set_input_files(
        files=[{"name": "ba-rapat.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Unggah").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Dokumen diunggah").is_visible()
    assert page.get_by_text("menunggu verifikasi").first.is_visible()

    # then the step itself, done on 28 May 2025
    page.get_by_text("selesai", exact=True).click()
    page.get_by_label("Tanggal selesai").fill("2025-05-28")
    screenshot(page, "registry-step-form-phone")
    page.get_by_role("button", name="Simpan tahap").click()
    page.wait_for_url(f"**/koperasi/{coop.pk}/#tahapan")
    step = page.locator("#tahap-rapat_pendirian")
    assert "selesai pada 28 Mei 2025" in step.inner_text()
    step.scroll_into_view_if_needed()
    screenshot(page, "registry-timeline-phone")
    assert StepRecord.objects.get(cooperative=coop, step="rapat_pendirian").status == "selesai"
    assert StepDocument.objects.get().status == "submitted"

    page.goto(page.base + "/pembentukan/")
    assert _footer(page, rapat_column).startswith("1")
    screenshot(page, "registry-matrix-phone")

    # a step out of order is refused with a clear message, nothing saved
    page.goto(page.base + f"/pembentukan/koperasi/{coop.pk}/tahap/sk_ahu/")
    page.get_by_text("selesai", exact=True).click()
    page.get_by_label("Tanggal selesai").fill("2025-06-20")
    page.get_by_label("nomor SK").fill("AHU-1")
    page.get_by_role("button", name="Simpan tahap").click()
    # the refusal re-renders the same URL, so wait for the message rather than a navigation
    expect(page.get_by_text("harus selesai lebih dulu")).to_be_visible()
    assert not StepRecord.objects.filter(cooperative=coop, step="sk_ahu").exists()


def test_dinas_filters_the_list_and_sees_the_matrix(page, admin_user):
    _kecamatan(admin_user)
    _kecamatan(admin_user, "64.02.05")
    login(page, "dinas-test")
    page.goto(page.base + "/koperasi/")
    total = page.locator(".coop-table tbody tr").count()
    assert total == 25  # a full first page
    page.get_by_label("Kecamatan").select_option(label="Muara Badak")
    page.wait_for_url("**kecamatan=64.02.05**")
    expect(page.locator(".coop-table tbody tr")).to_have_count(13)
    assert "Tanah Datar" in page.locator(".coop-table").inner_text()
    assert "Jahab" not in page.locator(".coop-table").inner_text()
    screenshot(page, "registry-list")

    page.goto(page.base + "/pembentukan/")
    assert page.get_by_role("link", name="Tenggarong", exact=True).is_visible()
    screenshot(page, "registry-matrix")
    page.get_by_role("link", name="Muara Badak", exact=True).click()
    page.wait_for_url("**wilayah=64.02.05")
    assert page.get_by_role("link", name="Tanah Datar").is_visible()


def test_board_submits_a_completion_and_the_dinas_verification_completes_it(
    phone_page, page, make_user, admin_user, make_cooperative, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    coop = make_cooperative("64.02.06.1001", name="Koperasi Kelurahan Merah Putih Jahab")
    services.step_update(
        actor=admin_user,
        cooperative=coop,
        step="sosialisasi",
        status="selesai",
        completed_on=D(2025, 5, 2),
    )
    make_user(Role.PENGURUS, coop.village_id, username="ketua.jahab", first_name="Ketua")

    # the board marks the musdesus done on its phone, with the berita acara
    board = phone_page
    login(board, "ketua.jahab")
    board.goto(board.base + f"/pembentukan/koperasi/{coop.pk}/tahap/musdesus/")
    board.get_by_text("selesai", exact=True).click()
    board.get_by_label("Tanggal selesai").fill("2025-05-20")
    board.locator("form.narrow-form").first.locator("input[type=file]").set_input_files(
        files=[{"name": "ba-musdesus.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    screenshot(board, "registry-board-submits-phone")
    board.get_by_role("button", name="Simpan tahap").click()
    board.wait_for_url(f"**/koperasi/{coop.pk}/#tahapan")
    assert board.get_by_text("dikirim ke Dinas").is_visible()
    record = StepRecord.objects.get(cooperative=coop, step="musdesus")
    assert record.status == "proses"
    assert StepDocument.objects.get().completes_step

    # the Dinas verifies it in the queue: the step is completed with the submitted date
    login(page, "dinas-test")
    page.goto(page.base + "/pembentukan/verifikasi/")
    screenshot(page, "registry-verify-completion")
    page.get_by_role("button", name="Verifikasi").first.click()
    page.wait_for_load_state("networkidle")
    record.refresh_from_db()
    assert (record.status, record.completed_on) == ("selesai", D(2025, 5, 20))
