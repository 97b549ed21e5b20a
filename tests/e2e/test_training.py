"""A Dinas officer takes attendance of a training batch on a cheap phone's screen (360 px),
then looks at the batch, coverage and budget pages at desktop width."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from kawal.events.models import Attendance
from kawal.training.models import Session
from tests.e2e.conftest import PASSWORD, screenshot


def _login(page, username):
    page.goto(page.base + "/akun/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state("networkidle")


def _batch(admin_user, make_cooperative):
    from kawal.budget import services as budget_services
    from kawal.cooperatives.models import Officer
    from kawal.training import services

    line = budget_services.line_create(
        actor=admin_user,
        region_code="64.02",
        fiscal_year=timezone.localdate().year,
        program="Program Pengembangan Kemampuan Koperasi",
        kegiatan="Pendidikan dan Latihan Perkoperasian",
        sub_kegiatan="Peningkatan Kapasitas Pengurus Koperasi",
        account_code="5.1.02.02.01.0026",
        description="Pelatihan pengurus dan pengawas KMP",
        source="apbd",
        ceiling=300_000_000,
        status="disetujui",
    )
    programme = services.programme_create(
        actor=admin_user,
        region_code="64.02",
        title="Pelatihan Pengurus dan Pengawas KMP",
        modules=["kebijakan", "tata_kelola", "keuangan", "pajak"],
        target_groups=["pengurus", "pengawas"],
        method="luring",
        cost_per_participant=1_150_000,
        budget_line=line,
    )
    today = timezone.localdate()
    batch = services.batch_create(
        actor=admin_user,
        programme=programme,
        districts=["64.02.06", "64.02.16"],
        number=1,
        start_date=today,
        end_date=today + datetime.timedelta(days=2),
        venue="Pendopo Odah Etam, Tenggarong",
        capacity=130,
        trainers="Tim Dinas Koperasi dan UKM",
    )
    services.batch_commit_budget(actor=admin_user, batch=batch)
    names = ["Siti Aminah", "Rudi Hartono", "Maria Ulfa", "Bambang Sutrisno", "Nur Aisyah"]
    officers = []
    for n, code in enumerate(("64.02.06.1001", "64.02.06.1002", "64.02.16.2001")):
        coop = make_cooperative(code)
        for i, position in enumerate(("ketua", "bendahara")):
            officers.append(
                Officer.objects.create(
                    cooperative=coop,
                    body="pengurus",
                    position=position,
                    name=f"{names[(n * 2 + i) % len(names)]} {n + 1}",
                    sex="P" if i else "L",
                )
            )
    services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[o.pk for o in officers], invited_on=today
    )
    return batch


def _waiting_on_bulog(admin_user, village):
    """Make the village's KMP a legal entity with land whose Bulog partnership is pending."""
    from kawal.cooperatives import services as registry
    from kawal.cooperatives.models import Cooperative
    from kawal.formation.models import StepRecord
    from kawal.operations import services as operations

    coop = Cooperative.objects.get(village_id=village)
    for step in ("sk_ahu", "simkopdes"):
        StepRecord.objects.create(
            cooperative=coop, step=step, status="selesai", completed_on=datetime.date(2025, 6, 20)
        )
    registry.outlet_create(
        actor=admin_user,
        cooperative=coop,
        outlet_type="sembako",
        land_area_m2=1500,
        land_ownership="desa",
    )
    bulog = operations.partner_save(
        actor=admin_user, region_code="64.02", name="Perum Bulog", kind="bulog"
    )
    operations.partnership_create(
        actor=admin_user,
        cooperative=coop,
        partner=bulog,
        covers="beras",
        started_on=datetime.date(2025, 9, 1),
    )
    return coop


def test_attendance_is_taken_on_a_phone(phone_page, page, admin_user, make_cooperative):
    batch = _batch(admin_user, make_cooperative)
    phone = phone_page
    _login(phone, admin_user.username)

    phone.goto(phone.base + f"/pelatihan/angkatan/{batch.pk}/hadir/")
    rows = phone.locator("ul.attendance li")
    assert rows.count() == 6
    assert phone.locator("#present-count").inner_text().startswith("0 dari 6")
    screenshot(phone, "training-attendance-phone-empty")

    # Tick three people present: each tap saves at once (htmx), the count follows.
    for n in range(3):
        row = rows.nth(n)
        row.locator("button.tick").click()
        expect(row).to_have_class(re.compile(r"\bpresent\b"))
    expect(phone.locator("#present-count")).to_have_text(re.compile(r"^3 dari 6"))
    # Untick one: a mistaken tap is undone the same way.
    rows.nth(2).locator("button.tick").click()
    expect(rows.nth(2)).not_to_have_class(re.compile(r"\bpresent\b"))
    # The search narrows the list by name.
    phone.locator("#q").fill("Maria")
    expect(rows).to_have_count(1)
    phone.locator("#q").fill("")
    expect(rows).to_have_count(6)
    # The page fits a 360 px screen: nothing wider than the viewport.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    screenshot(phone, "training-attendance-phone")

    # Recorded through the events mechanism: check-ins of today's session (an event).
    today = Session.objects.get(batch=batch, day=timezone.localdate())
    assert Attendance.objects.filter(event_id=today.event_id).count() == 2
    assert Attendance.objects.count() == 2

    # Day two is a separate record.
    phone.locator(".day-tabs a").nth(1).click()
    phone.wait_for_load_state("networkidle")
    assert phone.locator("#present-count").inner_text().startswith("0 dari 6")

    # At desktop width: the batch page shows the ticks; coverage and budget render.
    _login(page, admin_user.username)
    page.goto(page.base + f"/pelatihan/angkatan/{batch.pk}/")
    assert page.get_by_text("Hadir per hari").is_visible()
    screenshot(page, "training-batch")
    # Each day is a training-session event: its page lists the participants as registrants.
    page.locator(f'a[href="/acara/{today.event_id}/"]').click()
    expect(page.locator("h1")).to_contain_text("hari 1")
    screenshot(page, "training-session-event")
    page.goto(page.base + f"/acara/{today.event_id}/peserta/")
    expect(page.get_by_text("Siti Aminah 1")).to_be_visible()
    page.goto(page.base + "/pelatihan/cakupan/")
    screenshot(page, "training-coverage")
    # A KMP waiting on Bulog needs "partnerships and financing", from operations.
    coop = _waiting_on_bulog(admin_user, "64.02.06.1002")
    page.goto(page.base + "/pelatihan/kebutuhan/?kecamatan=64.02.06")
    expect(page.get_by_text("Yang menghambat KMP: kemitraan belum jadi")).to_be_visible()
    screenshot(page, "training-needs")
    page.goto(page.base + f"/koperasi/{coop.pk}/#pelatihan")
    expect(page.locator("#pelatihan")).to_contain_text("Perum Bulog")
    page.locator("#pelatihan").scroll_into_view_if_needed()
    screenshot(page, "training-cooperative-section")
    page.goto(page.base + "/anggaran/")
    assert page.get_by_text("Rp300.000.000").first.is_visible()
    screenshot(page, "budget-overview")
    page.get_by_role("link", name="Pelatihan pengurus dan pengawas KMP").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Rp150.500.000").first.is_visible()
    screenshot(page, "budget-line")
    phone.goto(phone.base + f"/pelatihan/angkatan/{batch.pk}/")
    screenshot(phone, "training-batch-phone")
