"""A helper button never wipes what was typed: the visit form's checklist for the chosen
cooperative is swapped into the form in place (htmx), not by reloading the page."""

import datetime

from playwright.sync_api import expect

from kawal.core.scope import Role
from tests.e2e.conftest import login


def test_choosing_the_cooperative_brings_its_checklist_and_keeps_what_was_typed(
    phone_page, make_user, make_cooperative, admin_user
):
    from kawal.mentoring import services

    # given a BA with two KMP (so the form does not pick one) and a regency checklist
    ba = make_user(Role.PENDAMPING, "64.02.06", username="ba.form", first_name="Rina")
    services.mentor_save(actor=admin_user, user=ba, kind="ba", region_code="64.02.06")
    first = make_cooperative("64.02.06.1001")
    make_cooperative("64.02.06.1002")
    for coop in (first, first.__class__.objects.exclude(pk=first.pk).get()):
        services.assignment_start(
            actor=admin_user, mentor=ba, cooperative=coop, started_on=datetime.date(2026, 6, 1)
        )
    services.checklist_item_save(actor=admin_user, region_code="64.02", label="Papan nama")
    page = phone_page
    login(page, "ba.form")
    page.goto(page.base + "/pendampingan/kunjungan/baru/")
    expect(page.locator("select[name^=check_]")).to_have_count(0)

    # when the BA types the purpose and findings, then picks the cooperative and asks for its
    # checklist
    page.locator("#id_purpose").fill("Pendampingan pembukuan")
    page.locator("#id_findings").fill("Buku kas belum diisi sejak Oktober.")
    page.locator("#id_cooperative").select_option(str(first.pk))
    page.get_by_role("button", name="Tampilkan daftar periksa").click()

    # then the checklist appears and nothing typed is lost (the page was not reloaded)
    expect(page.locator("select[name^=check_]")).to_have_count(1)
    expect(page.get_by_text("Papan nama")).to_be_visible()
    expect(page.locator("#id_purpose")).to_have_value("Pendampingan pembukuan")
    expect(page.locator("#id_findings")).to_have_value("Buku kas belum diisi sejak Oktober.")
