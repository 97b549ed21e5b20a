"""A pendamping completes a readiness assessment on a cheap phone; the Dinas sees the village."""

import datetime
import re

from playwright.sync_api import expect

from kawal.core.scope import Role
from tests.e2e.conftest import login, screenshot

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _setup(make_user, make_cooperative):
    from kawal.accounts.models import Agency
    from kawal.mentoring.models import Assignment
    from kawal.potential.standard import load_standard_list
    from kawal.readiness import services

    load_standard_list()  # a live-server test flushes the migration's rows

    admin = make_user(Role.ADMIN_DINAS, "64.02", username="dinas.e2e", first_name="Dinas")
    Agency.objects.create(
        code="diskopukm", name="Dinas Koperasi dan UKM", short_name="DiskopUKM", region_id="64.02"
    )
    services.instrument_create_default(actor=admin, region_code="64.02")
    coop = make_cooperative(
        "64.02.06.2012",
        members_male=20,
        members_female=15,
        simpanan_pokok=3_500_000,
        simpanan_wajib=700_000,
    )
    mentor = make_user(
        Role.PENDAMPING, "64.02.06", username="pendamping.e2e", first_name="Pendamping"
    )
    Assignment.objects.create(mentor=mentor, cooperative=coop, started_on=datetime.date(2025, 7, 1))
    return admin, coop


def test_pendamping_completes_an_assessment_on_a_phone(
    phone_page, make_user, make_cooperative, tmp_path
):
    from kawal.readiness.models import Assessment

    admin, coop = _setup(make_user, make_cooperative)
    page = phone_page
    login(page, "pendamping.e2e")
    page.goto(page.base + f"/kesiapan/koperasi/{coop.pk}/")
    page.get_by_role("button", name="Mulai penilaian").click()
    page.wait_for_url("**/kesiapan/penilaian/*/")
    assert page.get_by_role("heading", name="Kelembagaan").is_visible()

    photo = tmp_path / "ad-art.png"
    photo.write_bytes(PNG)
    cards = page.locator("article.item:has(form)")
    count = cards.count()
    assert count == 5  # the manual items of the default instrument
    for i in range(count):
        card = cards.nth(i)
        card.scroll_into_view_if_needed()
        card.get_by_label("75", exact=True).check()
        if i == 0:
            card.get_by_label("Komentar").fill("AD/ART sudah disahkan rapat anggota")
            card.locator("input[type=file]").set_input_files(str(photo))
        with page.expect_response(lambda r: "/butir/" in r.url and r.status == 200):
            card.get_by_role("button", name="Simpan skor").click()
        page.wait_for_timeout(100)
    # htmx swapped each card in place: the first one links its evidence
    assert page.get_by_role("link", name="ad-art.png").is_visible()
    screenshot(page, "readiness-penilaian-ponsel")

    page.get_by_label("Komentar umum").fill("Penilaian lapangan selesai")
    page.get_by_role("button", name="Ajukan untuk verifikasi").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Penilaian diajukan untuk diverifikasi Dinas.").is_visible()
    assessment = Assessment.objects.get(cooperative=coop)
    assert assessment.status == "submitted" and assessment.score is not None
    assert not page.get_by_role("button", name="Verifikasi").count()  # not the pendamping's job
    screenshot(page, "readiness-diajukan-ponsel")

    # another person, the Dinas, verifies (the page's hidden version is the submitted one)
    page.context.clear_cookies()
    login(page, "dinas.e2e")
    page.goto(page.base + f"/kesiapan/penilaian/{assessment.pk}/")
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(
        "Penilaian terverifikasi; kekurangan menjadi tindak lanjut."
    ).is_visible()
    assessment.refresh_from_db()
    assert assessment.status == "verified" and assessment.verified_by == admin


def test_dinas_sees_distribution_and_the_village_page(page, make_user, make_cooperative):
    from kawal.potential import services as potential
    from kawal.potential.models import CommodityType
    from kawal.regions.models import Region

    admin, coop = _setup(make_user, make_cooperative)
    village = Region.objects.get(code="64.02.06.2012")
    potential.profile_save(
        actor=admin,
        village=village,
        population=3200,
        households=850,
        idm_status="berkembang",
        idm_year=2024,
        has_market=False,
        has_health_facility=False,
        has_internet=True,
        has_electricity=True,
        access="jalan",
        land_available_m2=1200,
    )
    potential.commodity_save(
        actor=admin,
        village=village,
        commodity_type=CommodityType.objects.get(name="Padi sawah"),
        volume=400,
        unit="ton",
        estimated_value=2_400_000_000,
        is_main=True,
    )
    bumdes = potential.bumdes_save(
        actor=admin,
        village=village,
        name="BUMDes Karya Mandiri",
        legal_status="badan_hukum",
        legal_number="AHU-123",
        is_active=True,
        yearly_revenue=250_000_000,
        revenue_year=2024,
    )
    potential.bumdes_unit_save(
        actor=admin,
        bumdes=bumdes,
        name="Toko desa",
        category="sembako",
        kbli="47111",
        is_active=True,
        runs_well=True,
    )
    login(page, "dinas.e2e")
    page.goto(page.base + "/kesiapan/")
    assert page.get_by_role("heading", name="Sebaran per kecamatan").is_visible()
    screenshot(page, "readiness-sebaran")
    page.goto(page.base + "/potensi/desa/64.02.06.2012/")
    assert page.get_by_role("heading", name="Langkah KMP berikutnya").is_visible()
    assert page.get_by_text("potensi belum digarap").first.is_visible()
    assert page.get_by_text("BUMDes Karya Mandiri").first.is_visible()
    screenshot(page, "potential-desa")
    page.goto(page.base + "/potensi/peta/?wilayah=64.02.06")
    expect(page.locator("#map-status")).to_have_text(re.compile(r"^[0-9]+ "))
    screenshot(page, "potential-peta")
    page.goto(page.base + "/potensi/")
    screenshot(page, "potential-matriks")
