"""A business assistant records a field visit with a photo and GPS on a cheap phone's screen."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from kawal.core.scope import Role
from kawal.mentoring.tests.conftest import png_bytes
from tests.e2e.conftest import PASSWORD, screenshot


def _login(page, username):
    # By field id, so the test does not depend on the wording of the labels.
    page.goto(page.base + "/akun/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state("networkidle")


def _ba_with_caseload(make_user, make_cooperative, admin_user):
    from kawal.accounts.models import Agency
    from kawal.mentoring import services

    agency = Agency.objects.create(
        code="diskopukm", name="Dinas Koperasi dan UKM", short_name="DiskopUKM", region_id="64.02"
    )
    ba = make_user(Role.PENDAMPING, "64.02.06", username="ba.e2e", first_name="Rina", agency=agency)
    services.mentor_save(actor=admin_user, user=ba, kind="ba", region_code="64.02.06")
    coop = make_cooperative("64.02.06.1001")
    services.assignment_start(
        actor=admin_user, mentor=ba, cooperative=coop, started_on=datetime.date(2026, 6, 1)
    )
    services.checklist_item_save(actor=admin_user, region_code="64.02", label="Papan nama")
    return ba, coop


def test_ba_records_a_visit_with_a_photo_on_a_phone(
    phone_page, make_user, make_cooperative, admin_user, settings, tmp_path
):
    from kawal.followups.models import FollowUp
    from kawal.mentoring.models import Visit

    settings.MEDIA_ROOT = tmp_path
    ba, coop = _ba_with_caseload(make_user, make_cooperative, admin_user)
    page = phone_page
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(
        {"latitude": coop.village.lat + 0.001, "longitude": coop.village.lng, "accuracy": 12}
    )
    _login(page, "ba.e2e")
    page.goto(page.base + f"/pendampingan/kunjungan/baru/?koperasi={coop.pk}")
    expect(page.locator("#id_lat")).not_to_have_value("")
    page.locator("#id_purpose").fill("Pendampingan pembukuan")
    page.locator("select[name^=check_]").first.select_option("ya")
    page.locator("#id_findings").fill("Buku kas belum diisi sejak Oktober.")
    page.locator("#id_recommendations-0-text").fill("Isi buku kas setiap hari")
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    page.locator("#id_recommendations-0-due_date").fill(due)
    page.locator("#id_photos").set_input_files(
        files=[{"name": "gerai.png", "mimeType": "image/png", "buffer": png_bytes(64, 48)}]
    )
    # The form fits a 360-px screen: nothing forces horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "mentoring-visit-form-phone")
    page.locator("#visit-form button[type=submit]").last.click()
    page.wait_for_url("**/pendampingan/kunjungan/*/")

    visit = Visit.objects.get()
    assert visit.lat is not None and not visit.flag_far and visit.distance_km < 1
    assert visit.photos.count() == 1
    assert FollowUp.objects.get().source == visit
    image = page.locator(".photos img").first
    image.wait_for()
    assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) == 64
    assert page.get_by_text("Isi buku kas setiap hari").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "mentoring-visit-detail-phone")


def test_a_photo_that_is_not_an_image_is_refused_on_the_phone(
    phone_page, make_user, make_cooperative, admin_user, settings, tmp_path
):
    from kawal.mentoring.models import Visit

    settings.MEDIA_ROOT = tmp_path
    _ba, coop = _ba_with_caseload(make_user, make_cooperative, admin_user)
    page = phone_page
    _login(page, "ba.e2e")
    page.goto(page.base + f"/pendampingan/kunjungan/baru/?koperasi={coop.pk}")
    page.locator("#id_purpose").fill("Monitoring")
    page.locator("#id_photos").set_input_files(
        files=[{"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4 bukan foto"}]
    )
    page.locator("#visit-form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".has-error .error").first.is_visible()
    assert not Visit.objects.exists()
    screenshot(page, "mentoring-visit-refused-phone")


def test_dinas_sees_coverage_and_charts(page, make_user, make_cooperative, admin_user):
    from kawal.mentoring import services

    _ba, coop = _ba_with_caseload(make_user, make_cooperative, admin_user)
    make_cooperative("64.02.05.2006")
    services.consultation_create(
        actor=admin_user,
        cooperative=coop,
        visitor_name="Ibu Sari",
        visitor_role="ketua",
        topic="keuangan",
        question="Cara mencatat simpanan wajib?",
    )
    make_user(Role.ADMIN_DINAS, "64.02", username="dinas.e2e")
    _login(page, "dinas.e2e")
    page.goto(page.base + "/pendampingan/")
    assert page.locator("svg.svg-chart").count() == 2
    page.goto(page.base + "/pendampingan/konsultasi/hari-ini/")
    assert page.get_by_text("Ibu Sari").is_visible()
    screenshot(page, "mentoring-queue")


def test_ba_home_shows_readiness_or_not_assessed(
    phone_page, make_user, make_cooperative, admin_user
):
    from decimal import Decimal

    from kawal.mentoring import services
    from kawal.readiness.models import Assessment, Instrument

    ba, coop = _ba_with_caseload(make_user, make_cooperative, admin_user)
    unassessed = make_cooperative("64.02.06.1002")
    services.assignment_start(
        actor=admin_user, mentor=ba, cooperative=unassessed, started_on=datetime.date(2026, 6, 1)
    )
    instrument = Instrument.objects.create(
        region_id="64.02", version=1, title="Kesiapan", status="published"
    )
    Assessment.objects.create(
        cooperative=coop,
        instrument=instrument,
        assessed_on=timezone.localdate(),
        status="verified",
        score=Decimal("72.5"),
        category="perlu_penguatan",
    )
    page = phone_page
    _login(page, "ba.e2e")
    page.goto(page.base + "/pendampingan/saya/")
    row = page.locator("tr", has_text=coop.name).first
    assert "72,5%" in row.inner_text()
    other = page.locator("tr", has_text=unassessed.name).first
    assert "Belum dinilai" in other.inner_text() and "0%" not in other.inner_text()
    screenshot(page, "mentoring-home-readiness-phone")
