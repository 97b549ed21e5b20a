"""The Sekda and a camat open the leaders' dashboard and the map, on a desktop (1366 px) and a
cheap phone (360 px); the Sekda issues the weekly report with one click."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from kawal.core.scope import Role
from kawal.reports.tests.conftest import world  # noqa: F401 (the fixture: nine KMP in Kukar)
from tests.e2e.conftest import PASSWORD, screenshot

SIZES = {"desktop": (1366, 900), "phone": (360, 740)}


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def make(username, size):
        width, height = SIZES[size]
        phone = size == "phone"
        context = browser.new_context(
            locale="id-ID",
            viewport={"width": width, "height": height},
            is_mobile=phone,
            has_touch=phone,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base = live_server.url
        page.goto(page.base + "/akun/masuk/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_load_state("networkidle")
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def people(world, make_user):  # noqa: F811 (the imported fixture)
    from kawal.reports.models import Snapshot
    from kawal.reports.selectors import week_start

    week = week_start(world["today"])
    for weeks, formed, legal in ((4, 8, 5), (12, 6, 2)):
        Snapshot.objects.create(
            region_code="64.02",
            taken_on=week - datetime.timedelta(weeks=weeks),
            figures={"terbentuk": formed, "badan_hukum": legal, "tindak_lanjut_terlambat": 1},
            is_synthetic=True,
        )
    make_user(Role.PIMPINAN, "64.02", username="sekda.e2e", first_name="Sekda")
    make_user(Role.CAMAT, "64.02.06", username="camat.e2e", first_name="Camat")
    return world


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_sekda_reads_the_dashboard_and_the_map(open_as, people, size):
    page = open_as("sekda.e2e", size)
    page.goto(page.base + "/dasbor/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dasbor pimpinan")
    expect(page.get_by_role("img", name="KMP per tahap")).to_be_visible()
    expect(page.locator(".rp-regions tbody tr")).to_have_count(20)
    # the headline card shows now, 4 and 12 weeks ago
    first = page.locator(".rp-headline .stat").first
    expect(first).to_contain_text("9")
    expect(first).to_contain_text("4 minggu lalu: 8")
    expect(first).to_contain_text("12 minggu lalu: 6")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    screenshot(page, f"reports-dashboard-sekda-{size}")
    # a number opens the list behind it
    page.locator(".rp-regions").get_by_role("link", name="Tenggarong", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tenggarong")
    expect(page.get_by_role("heading", name="Per desa/kelurahan")).to_be_visible()
    page.goto(page.base + "/dasbor/peta/?ukuran=beroperasi")
    expect(page.locator("#map-status")).to_have_text(re.compile(r"^[0-9]+ "))
    expect(page.locator("#map-legend li")).to_have_count(6)
    screenshot(page, f"reports-map-sekda-{size}")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_camat_reads_its_kecamatan(open_as, people, size):
    page = open_as("camat.e2e", size)
    page.goto(page.base + "/dasbor/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tenggarong")
    expect(page.get_by_role("heading", name="Per desa/kelurahan")).to_be_visible()
    expect(page.locator(".rp-headline .stat").first).to_contain_text("6")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    screenshot(page, f"reports-dashboard-camat-{size}")
    page.goto(page.base + "/dasbor/peta/")
    expect(page.locator("#map-status")).to_have_text(re.compile(r"^[0-9]+ "))
    screenshot(page, f"reports-map-camat-{size}")
    # a kecamatan next door is not there
    response = page.goto(page.base + "/dasbor/?wilayah=64.02.05")
    assert response.status == 404


def test_sekda_issues_the_weekly_report_with_one_click(open_as, people, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page = open_as("sekda.e2e", "desktop")
    page.goto(page.base + "/dasbor/laporan/")
    page.get_by_role("button", name="Terbitkan laporan").click()
    expect(page.locator("tbody tr").first).to_contain_text("Terbit")
    expect(page.get_by_role("link", name="PDF")).to_be_visible()
    screenshot(page, "reports-list")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_national_user_picks_province_and_regency_then_issues(open_as, people, size, settings):
    # given a national user: its dashboard is counted once and kept (the page says when)
    from kawal.accounts.models import Grant, User

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    user = User.objects.create_user("nasional.e2e", password=PASSWORD, first_name="Nasional")
    Grant.objects.create(user=user, role=Role.ADMIN_DINAS, region=None)
    page = open_as("nasional.e2e", size)
    page.goto(page.base + "/dasbor/")
    expect(page.locator("#counted-at")).to_contain_text("dihitung ulang paling lama tiap 10 menit")
    screenshot(page, f"reports-dashboard-national-{size}")
    # when it opens the reports, it picks the province, then the regency
    page.goto(page.base + "/dasbor/laporan/")
    expect(page.get_by_label("Wilayah laporan")).to_be_visible()
    expect(page.get_by_role("button", name="Terbitkan laporan")).to_have_count(0)
    page.get_by_label("Wilayah laporan").select_option("64")
    page.wait_for_url("**wilayah=64")
    page.get_by_label("Wilayah laporan").select_option("64.02")
    page.wait_for_url("**wilayah=64.02")
    expect(page.locator("#id_region")).to_have_value("64.02")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    screenshot(page, f"reports-list-national-{size}")
    # then the regency's report is issued with one click
    page.get_by_role("button", name="Terbitkan laporan").click()
    expect(page.locator("tbody tr").first).to_contain_text("Terbit")
