"""A pengurus submits a month's business report on a cheap phone; its BA verifies it on a
desktop; the KMP page then shows the month with its charts."""

import datetime

from django.utils import timezone

from kawal.core.scope import Role
from tests.e2e.conftest import PASSWORD, screenshot


def _login(page, username):
    page.goto(page.base + "/akun/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state("networkidle")


def _operating_kmp(make_user, make_cooperative, admin_user):
    from kawal.cooperatives.models import Outlet
    from kawal.mentoring import services

    coop = make_cooperative("64.02.06.1001")
    Outlet.objects.create(cooperative=coop, outlet_type="sembako", status="beroperasi")
    Outlet.objects.create(cooperative=coop, outlet_type="apotek", status="beroperasi")
    make_user(Role.PENGURUS, coop.village_id, username="ketua.e2e", first_name="Siti")
    ba = make_user(Role.PENDAMPING, "64.02.06", username="ba.e2e", first_name="Rina")
    services.mentor_save(actor=admin_user, user=ba, kind="ba", region_code="64.02.06")
    services.assignment_start(
        actor=admin_user, mentor=ba, cooperative=coop, started_on=datetime.date(2026, 1, 1)
    )
    return coop


def test_pengurus_submits_a_month_on_a_phone_and_its_ba_verifies_it(
    phone_page, page, make_user, make_cooperative, admin_user
):
    from kawal.business.models import BusinessReport

    coop = _operating_kmp(make_user, make_cooperative, admin_user)
    sembako = coop.outlets.get(outlet_type="sembako")
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)

    phone = phone_page
    _login(phone, "ketua.e2e")
    phone.goto(phone.base + f"/usaha/koperasi/{coop.pk}/lapor/")
    phone.locator("#id_month").select_option(f"{last_month:%Y-%m}")
    phone.locator(f"#id_o{sembako.pk}-revenue").fill("12.500.000")
    phone.locator(f"#id_o{sembako.pk}-cogs").fill("9.750.000")
    phone.locator(f"#id_o{sembako.pk}-operating_cost").fill("1.000.000")
    phone.locator(f"#id_o{sembako.pk}-transactions").fill("410")
    phone.locator("#id_members_joined").fill("6")
    phone.locator("#id_members_left").fill("0")
    phone.locator("#id_members_total").fill("126")
    phone.locator("#id_savings_wajib").fill("2.520.000")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "business-report-form-phone")
    phone.locator("form.phone-form button[type=submit]").click()
    phone.wait_for_url("**/usaha/laporan/*/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "business-report-submitted-phone")

    report = BusinessReport.objects.get()
    assert report.status == "submitted"
    assert report.lines.get(outlet=sembako).profit == 1_750_000
    assert phone.locator("button[name=verify]").count() == 0  # four eyes: not the submitter

    _login(page, "ba.e2e")
    page.goto(page.base + "/usaha/pendamping/")
    page.get_by_role("table").get_by_role("link", name=coop.name).click()
    page.wait_for_url(f"**/usaha/laporan/{report.pk}/")
    screenshot(page, "business-report-check")
    page.locator("button[name=verify]").click()
    page.wait_for_url(f"**/usaha/laporan/{report.pk}/")
    report.refresh_from_db()
    assert report.status == "verified" and report.verified_by.username == "ba.e2e"

    page.goto(page.base + f"/usaha/koperasi/{coop.pk}/")
    assert page.locator("svg.svg-chart").count() >= 4
    screenshot(page, "business-cooperative")
    phone.goto(phone.base + f"/usaha/koperasi/{coop.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "business-cooperative-phone")


def test_regency_status_page_at_desktop_and_phone(page, phone_page, admin_user, make_cooperative):
    from kawal.business import services

    make_cooperative("64.02.06.1001")
    services.status_refresh(months=[timezone.localdate().replace(day=1)])
    for p, name in ((page, "business-regency"), (phone_page, "business-regency-phone")):
        p.goto(p.base + "/akun/masuk/")
        p.locator("#id_username").fill(admin_user.username)
        p.locator("#id_password").fill(PASSWORD)
        p.locator("#id_password").press("Enter")
        p.wait_for_load_state("networkidle")
        p.goto(p.base + "/usaha/")
        screenshot(p, name)


def test_the_dinas_opens_a_rat_attendance_list_and_sees_the_door_count_on_a_phone(
    phone_page, page, make_user, make_cooperative, admin_user
):
    from kawal.business import services
    from kawal.events import services as events
    from kawal.events.models import Registrant

    coop = _operating_kmp(make_user, make_cooperative, admin_user)
    rat = services.rat_save(
        actor=admin_user,
        cooperative=coop,
        fiscal_year=2025,
        scheduled_on=datetime.date(2026, 3, 14),
        members_total=126,
    )
    make_user(Role.ADMIN_DINAS, "64.02", username="dinas.e2e")
    phone = phone_page
    _login(phone, "dinas.e2e")
    phone.goto(phone.base + f"/usaha/koperasi/{coop.pk}/rat/2025/")
    phone.get_by_role("button", name="Buka daftar hadir").click()
    phone.wait_for_url("**/acara/*/")
    from kawal.business.selectors import rat_attendance

    event = rat_attendance(rat)["event"]
    for n in range(3):
        person = events.registrant_add(
            actor=admin_user, event=event, kind=Registrant.Kind.PUBLIC, name=f"Anggota {n}"
        )
        if n:
            events.attendance_record(actor=admin_user, registrant=person, present=True)
    phone.goto(phone.base + f"/usaha/koperasi/{coop.pk}/rat/2025/")
    from playwright.sync_api import expect

    expect(phone.get_by_text("2 dari 3 anggota terdaftar sudah hadir")).to_be_visible()
    expect(phone.locator("#id_members_present")).to_have_value("2")
    expect(phone.locator("#id_scheduled_on")).to_have_value("2026-03-14")  # the date survives
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "business-rat-attendance-phone")
    _login(page, "dinas.e2e")
    page.goto(page.base + f"/usaha/koperasi/{coop.pk}/rat/2025/")
    screenshot(page, "business-rat-attendance")
