"""The secretariat records a rakor with two decisions for two agencies; each agency's member then
logs in and finds its follow-up on its own "what we owe" page (and not the other's)."""

import datetime

from django.utils import timezone

from kawal.accounts.models import Agency
from kawal.core.scope import Role
from tests.e2e.conftest import login, screenshot


def _agency(code, name, short):
    return Agency.objects.create(code=code, name=name, short_name=short, region_id="64.02")


def test_record_meeting_with_two_decisions_and_owners_see_them(page, make_user):
    dpmd = _agency("dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD")
    bpkad = _agency("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD")
    make_user(Role.ADMIN_DINAS, "64.02", username="dinas", first_name="Admin")
    make_user(Role.SATGAS, "64.02", username="staf.dpmd", agency=dpmd, first_name="Staf DPMD")
    make_user(Role.SATGAS, "64.02", username="staf.bpkad", agency=bpkad, first_name="Staf BPKAD")

    # the secretariat schedules today's rakor and invites both agencies
    login(page, "dinas")
    page.goto(page.base + "/satgas/rapat/baru/")
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    start -= datetime.timedelta(hours=1)
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=place]", "Ruang Rapat Setda, Tenggarong")
    page.fill("input[name=letter_number]", "005/321/DISKOPUKM/2026")
    page.get_by_label("DPMD", exact=True).check()
    page.get_by_label("BPKAD", exact=True).check()
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/satgas/rapat/*/")
    meeting_url = page.url

    # attendance: DPMD present, BPKAD represented
    page.get_by_label("Kehadiran Dinas Pemberdayaan Masyarakat dan Desa").select_option("hadir")
    page.get_by_label("Kehadiran Badan Pengelolaan Keuangan").select_option("diwakili")
    page.get_by_label("Diwakili oleh Badan Pengelolaan Keuangan").fill("Kabid Aset")
    page.get_by_role("button", name="Simpan kehadiran").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Kehadiran disimpan.").is_visible()

    # minutes
    page.fill("textarea[name=n-minutes]", "Rapat dibuka oleh Sekda. Progres lahan dan BTT dibahas.")
    page.get_by_role("button", name="Simpan notulen").click()
    page.wait_for_load_state("networkidle")

    # decision 1 for DPMD, decision 2 for BPKAD
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    for text, owner in (
        ("DPMD menyampaikan data lahan 20 desa calon gerai", "DPMD"),
        ("BPKAD menyiapkan alokasi BTT untuk akta notaris kelurahan", "BPKAD"),
    ):
        page.fill("textarea[name=d-text]", text)
        page.select_option("select[name=t-0-owner_agency]", label=owner)
        page.fill("input[name=t-0-due_date]", due)
        page.get_by_role("button", name="Catat keputusan").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("cell", name=text).is_visible()

    # a bad decision: due date before the meeting is refused with a clear message
    page.fill("textarea[name=d-text]", "Keputusan bertanggal mundur")
    page.select_option("select[name=t-0-owner_agency]", label="DPMD")
    page.fill("input[name=t-0-due_date]", "2020-01-01")
    page.get_by_role("button", name="Catat keputusan").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("tenggat sebelum tanggal rapat").is_visible()
    page.goto(meeting_url)
    screenshot(page, "satgas-rapat")
    assert page.get_by_role("cell", name="Keputusan bertanggal mundur").count() == 0

    # the notulen PDF is served
    response = page.request.get(meeting_url + "notulen.pdf")
    assert response.ok and response.body().startswith(b"%PDF")

    # each owner sees its own follow-up, and only its own
    for username, mine, theirs, shot in (
        ("staf.dpmd", "DPMD menyampaikan data lahan", "BPKAD menyiapkan", "satgas-kewajiban-dpmd"),
        (
            "staf.bpkad",
            "BPKAD menyiapkan alokasi BTT",
            "DPMD menyampaikan",
            "satgas-kewajiban-bpkad",
        ),
    ):
        page.context.clear_cookies()
        login(page, username)
        page.goto(page.base + "/tindak-lanjut/instansi/")
        assert page.get_by_role("link", name=mine).first.is_visible()
        assert page.get_by_text(theirs).count() == 0
        screenshot(page, shot)

    # the DPMD member reports its follow-up done with an evidence note
    page.context.clear_cookies()
    login(page, "staf.dpmd")
    page.goto(page.base + "/tindak-lanjut/instansi/")
    page.get_by_role("link", name="DPMD menyampaikan data lahan").first.click()
    page.select_option("select[name=status]", "selesai")
    page.fill("textarea[name=evidence_note]", "Surat No. 140/512/DPMD/2026 telah dikirim.")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Tindak lanjut diperbarui.").is_visible()
    screenshot(page, "satgas-tindak-lanjut-selesai")


def test_sekda_scorecard_ranks_agencies(page, make_user):
    from kawal.followups.services import evidence_add, followup_create, followup_set_status

    admin = make_user(Role.ADMIN_DINAS, "64.02", username="dinas")
    make_user(Role.PIMPINAN, "64.02", username="sekda", first_name="Sekda")
    dpmd = _agency("dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD")
    bpkad = _agency("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD")
    today = timezone.localdate()
    done = followup_create(
        actor=admin, title="Data lahan", owner_agency=dpmd, due_date=today, region_code="64.02"
    )
    evidence_add(actor=admin, followup=done, note="Surat terkirim")
    followup_set_status(actor=admin, followup=done, status="selesai")
    followup_create(
        actor=admin,
        title="Alokasi BTT",
        owner_agency=bpkad,
        due_date=today - datetime.timedelta(days=3),
        region_code="64.02",
    )
    login(page, "sekda")
    page.goto(page.base + "/satgas/kinerja/")
    rows = page.locator("#ranking tbody tr")
    assert rows.nth(0).get_by_role("link", name="DPMD").is_visible()
    assert rows.nth(1).get_by_role("link", name="BPKAD").is_visible()
    screenshot(page, "satgas-kinerja")
    rows.nth(1).get_by_role("link", name="BPKAD").click()
    page.wait_for_url("**/satgas/kinerja/bpkad/**")
    assert page.get_by_role("link", name="Alokasi BTT").is_visible()


def test_stale_attendance_tab_does_not_overwrite_and_board_cannot_cancel(
    page, make_user, make_cooperative
):
    from kawal.followups.services import followup_create
    from kawal.taskforce.services import meeting_schedule

    admin = make_user(Role.ADMIN_DINAS, "64.02", username="dinas")
    dpmd = _agency("dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD")
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    meeting = meeting_schedule(
        actor=admin,
        region_code="64.02",
        title="Rakor Satgas KMP",
        starts_at=start - datetime.timedelta(hours=1),
        place="Ruang Rapat Setda",
        agencies=[dpmd],
    )[0]
    url = f"{page.base}/satgas/rapat/{meeting.pk}/"

    # two tabs show the attendance list; the first records DPMD present
    login(page, "dinas")
    page.goto(url)
    stale = page.context.new_page()
    stale.goto(url)
    label = "Kehadiran Dinas Pemberdayaan Masyarakat dan Desa"
    page.get_by_label(label).select_option("hadir")
    page.get_by_role("button", name="Simpan kehadiran").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Kehadiran disimpan.").is_visible()
    # the stale tab marks DPMD absent: refused with a clear message, the first save stays
    stale.get_by_label(label).select_option("tidak_hadir")
    stale.get_by_role("button", name="Simpan kehadiran").click()
    stale.wait_for_load_state("networkidle")
    assert stale.get_by_text("telah diubah orang lain").is_visible()
    screenshot(stale, "satgas-kehadiran-bentrok")
    stale.close()
    page.goto(url)
    assert page.get_by_label(label).input_value() == "hadir"

    # a cooperative's board sees the Dinas's follow-up about its village but cannot change it
    village = "64.02.06.1001"
    make_cooperative(village)
    make_user(Role.PENGURUS, village, username="pengurus", first_name="Ketua")
    f = followup_create(
        actor=admin,
        title="Verifikasi lahan gerai",
        owner_agency=dpmd,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
        region_code=village,
    )
    page.context.clear_cookies()
    login(page, "pengurus")
    page.goto(f"{page.base}/tindak-lanjut/{f.pk}/")
    assert page.get_by_role("heading", name="Verifikasi lahan gerai").is_visible()
    assert page.locator("select[name=status]").count() == 0
    assert page.get_by_role("link", name="Ubah").count() == 0
    screenshot(page, "satgas-tindak-lanjut-pengurus")
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    response = page.request.post(
        f"{page.base}/tindak-lanjut/{f.pk}/",
        form={"status": "dibatalkan", "csrfmiddlewaretoken": csrf},
        headers={"X-CSRFToken": csrf, "Referer": f"{page.base}/tindak-lanjut/{f.pk}/"},
    )
    assert response.status == 403
    f.refresh_from_db()
    assert f.status == "baru"
