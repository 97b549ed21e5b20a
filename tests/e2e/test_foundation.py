"""Log in as the camat of Tenggarong, see only that kecamatan, open the map."""

import re

from playwright.sync_api import expect

from kawal.core.scope import Role
from tests.e2e.conftest import login, screenshot


def test_camat_sees_only_its_kecamatan_and_the_map(page, make_user):
    make_user(Role.CAMAT, "64.02.06", username="camat.tenggarong", first_name="Camat")
    login(page, "camat.tenggarong")
    screenshot(page, "home-camat")
    assert page.get_by_role("heading", level=1).is_visible()

    page.goto(page.base + "/wilayah/")
    page.wait_for_url("**/wilayah/64.02.06/")
    assert page.get_by_role("heading", name="Kecamatan Tenggarong").is_visible()
    assert page.get_by_role("link", name="Sukarame").is_visible()
    screenshot(page, "wilayah-tenggarong")

    response = page.goto(page.base + "/wilayah/64.02.05/")
    assert response.status == 404

    page.goto(page.base + "/wilayah/peta/")
    page.wait_for_selector("#map path.leaflet-interactive, #map canvas", state="attached")
    expect(page.locator("#map-status")).to_have_text(re.compile(r"^[0-9]+ "))
    shown = int(page.locator("#map-status").text_content().split()[0])
    villages = page.evaluate(
        "fetch('/wilayah/64.02.06/batas.geojson').then(r => r.json()).then(d => d.features.length)"
    )
    assert shown == villages > 0
    screenshot(page, "peta-tenggarong")


def test_wrong_password_then_lockout_message(page, make_user, settings):
    make_user(Role.CAMAT, "64.02.06", username="camat.lock")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(page, "camat.lock", "salah-sandi")
    assert page.get_by_text("terkunci").first.is_visible()
    screenshot(page, "login-terkunci")
