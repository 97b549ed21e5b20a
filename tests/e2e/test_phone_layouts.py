"""At 360 px each list keeps what its task needs in view: the stuck list its step and date, the
scorecard the late count, an agency's obligations the village, the consultation queue its Layani
button, a BA's caseload its Catat kunjungan button; the meeting page does not overflow."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from kawal.accounts.models import Agency
from kawal.core.scope import Role
from tests.e2e.conftest import login, screenshot

VILLAGE = "64.02.06.1001"  # a kelurahan of Tenggarong


def _agency(code="dpmd", short="DPMD"):
    return Agency.objects.create(
        code=code, name=f"Dinas {short}", short_name=short, region_id="64.02"
    )


def _fits(page):
    """Nothing wider than the screen: no horizontal scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width


def _in_view(locator):
    """Visible, and inside the 360 px width (not cut by a scrolling table)."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, box


def test_stuck_list_shows_step_and_date_on_a_phone(phone_page, admin_user, make_cooperative):
    # given a KMP whose land step has not moved for 40 days
    from kawal.formation.models import StepRecord

    coop = make_cooperative(VILLAGE)
    record = StepRecord.objects.create(cooperative=coop, step="lahan", status="proses")
    moved = timezone.now() - datetime.timedelta(days=40)
    StepRecord.objects.filter(pk=record.pk).update(moved_at=moved)
    # when the Dinas opens the stuck list on a phone
    login(phone_page, admin_user.username)
    phone_page.goto(phone_page.base + "/pembentukan/macet/")
    # then the step and the date it stopped are in view
    row = phone_page.locator("#stuck-rows tbody tr").first
    _in_view(row.locator("td[data-label=Tahap]"))
    _in_view(row.locator("td[data-label=Sejak]"))
    _fits(phone_page)
    screenshot(phone_page, "ponsel-macet")


def test_scorecard_shows_the_late_count_on_a_phone(phone_page, admin_user, make_followup):
    # given an agency with an overdue follow-up
    from kawal.followups.models import FollowUp

    followup = make_followup(_agency(), title="Kirim data lahan")
    FollowUp.objects.filter(pk=followup.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=5)
    )
    login(phone_page, admin_user.username)
    phone_page.goto(phone_page.base + "/satgas/kinerja/")
    late = phone_page.locator("table.scorecard td[data-label=Terlambat]").first
    _in_view(late)
    expect(late).to_contain_text("1")
    _fits(phone_page)
    screenshot(phone_page, "ponsel-kinerja")


def test_agency_obligations_show_which_village_on_a_phone(phone_page, make_user, make_followup):
    agency = _agency()
    make_followup(agency, title="Verifikasi lahan desa", region_code=VILLAGE)
    member = make_user(Role.SATGAS, "64.02", username="staf.dpmd", agency=agency)
    login(phone_page, member.username)
    phone_page.goto(phone_page.base + "/tindak-lanjut/instansi/")
    region = phone_page.locator("td[data-label=Wilayah]").first
    _in_view(region)
    expect(region).to_contain_text("Jahab")
    _fits(phone_page)
    screenshot(phone_page, "ponsel-kewajiban-opd")


def test_consultation_queue_keeps_the_serve_button_on_a_phone(
    phone_page, admin_user, make_cooperative
):
    from kawal.mentoring.services import consultation_create

    coop = make_cooperative(VILLAGE)
    consultation_create(
        actor=admin_user,
        cooperative=coop,
        visitor_name="Ibu Sartini",
        visitor_role="ketua",
        topic="pajak",
        question="Bagaimana mengisi NPWP koperasi?",
    )
    login(phone_page, admin_user.username)
    phone_page.goto(phone_page.base + "/pendampingan/konsultasi/hari-ini/")
    _in_view(phone_page.get_by_role("link", name="Layani"))
    _fits(phone_page)
    screenshot(phone_page, "ponsel-antrean-konsultasi")


def test_ba_caseload_keeps_record_a_visit_on_a_phone(
    phone_page, admin_user, make_user, make_cooperative
):
    from kawal.mentoring.services import assignment_start

    coop = make_cooperative(VILLAGE)
    ba = make_user(Role.PENDAMPING, "64.02.06", username="ba.tenggarong", first_name="BA")
    assignment_start(actor=admin_user, mentor=ba, cooperative=coop, started_on=timezone.localdate())
    login(phone_page, ba.username)
    phone_page.goto(phone_page.base + "/pendampingan/saya/")
    _in_view(phone_page.get_by_role("link", name="Catat kunjungan").first)
    _fits(phone_page)
    screenshot(phone_page, "ponsel-dampingan")
    # and the home page puts the same button first
    phone_page.goto(phone_page.base + "/")
    _in_view(phone_page.get_by_role("link", name="Catat kunjungan").first)


def test_meeting_page_does_not_overflow_on_a_phone(phone_page, admin_user):
    from kawal.taskforce.services import decision_record, meeting_schedule

    agency = _agency()
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    start -= datetime.timedelta(hours=3)
    (meeting,) = meeting_schedule(
        actor=admin_user,
        region_code="64.02",
        title="Rapat Koordinasi Satgas KMP",
        starts_at=start,
        place="Ruang Rapat Setda, Kantor Bupati Kutai Kartanegara, Tenggarong",
        video_link="https://meet.example.id/rakor-satgas-kmp-kutai-kartanegara-2026",
        agencies=[agency],
    )
    decision_record(
        actor=admin_user,
        meeting=meeting,
        text="DPMD menyampaikan data lahan dua puluh desa calon gerai",
        actions=[{"owner_agency": agency, "due_date": timezone.localdate()}],
    )
    login(phone_page, admin_user.username)
    phone_page.goto(f"{phone_page.base}/satgas/rapat/{meeting.pk}/")
    _in_view(phone_page.get_by_text("DPMD menyampaikan data lahan").first)
    _in_view(phone_page.locator("select[name=t-0-owner_agency]"))
    _fits(phone_page)
    screenshot(phone_page, "ponsel-rapat")


def test_the_menu_on_a_phone_opens_its_groups_and_marks_the_current_page(phone_page, admin_user):
    # given the Dinas on a phone: the menu is folded under one button
    login(phone_page, admin_user.username)
    koperasi = phone_page.locator(".menu summary", has_text="Koperasi")
    expect(koperasi).to_be_hidden()
    # when it opens the menu, then the Koperasi group, and picks the progress matrix
    phone_page.get_by_text("Menu", exact=True).click()
    koperasi.click()
    phone_page.locator(".menu").get_by_role("link", name="Progres").click()
    phone_page.wait_for_url("**/pembentukan/")
    # then that page is marked as the current one in the menu, and nothing overflows
    phone_page.get_by_text("Menu", exact=True).click()
    expect(phone_page.locator('.menu a[aria-current="page"]')).to_have_text("Progres")
    _fits(phone_page)
