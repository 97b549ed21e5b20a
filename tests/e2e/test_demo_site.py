"""The demo data set in the browser, loaded once for this module behind a server of its own (the
tests only read and sign in; loading the demo is most of their time):

- each demo role lands on its own work first, at 1366 px and on a 360-px phone (the screenshots
  in docs/screenshots/beranda-*.png and docs/roles.md come from here);
- every list of the app has a phone form: at 360 px, on the demo data seen by the Dinas, every
  list page and every kind of detail page holding lists passes the check of
  tests/e2e/phone_check.py (one subtest per page, so a failure names the page)."""

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kawal.core.demo import DEMO_PASSWORD
from tests.e2e.conftest import SCREENSHOTS, screenshot
from tests.e2e.phone_check import CHECK, DETAILS, EVENT_PAGES, LINKS, LISTS, SHOTS, WIDTH, found

pytestmark = [
    # Each test in a transaction rolled back at its end (sign-ins write sessions); the demo
    # itself was committed before, by the module's fixture.
    pytest.mark.django_db,
    # Both tests on the worker that loads the demo, under `--dist loadgroup`.
    pytest.mark.xdist_group("demo-site"),
]

# username -> the heading of the first panel on its home page
FIRST = {
    "dinas": "Wilayah Anda",
    "sekda": "Pembentukan dan badan hukum",
    "satgas.dpmd": "Tindak lanjut DPMD",
    "camat.tenggarong": "Wilayah Anda",
    "pendamping": "Koperasi dampingan Anda",
    "pengurus.tanahdatar": "Koperasi Desa Merah Putih Tanah Datar",
    "auditor": "Wilayah Anda",
    "ba.muarabadak": "Koperasi dampingan Anda",
}


def _login(browser, site, username, width, height, mobile):
    context = browser.new_context(
        locale="id-ID",
        viewport={"width": width, "height": height},
        is_mobile=mobile,
        has_touch=mobile,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(site.url + "/akun/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("main h2").first).to_be_visible()
    return page


def test_each_role_lands_on_its_own_work_at_both_widths(browser, demo_site):
    for width, height, mobile in ((1366, 900, False), (360, 740, True)):
        for username, heading in FIRST.items():
            page = _login(browser, demo_site, username, width, height, mobile)
            expect(page.locator("main h2").first).to_have_text(heading)
            # the menu is one line at 1366 px; on a phone it opens under one button
            if mobile:
                expect(page.get_by_text("Menu", exact=True)).to_be_visible()
            else:
                assert page.locator(".topbar").bounding_box()["height"] < 60
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(page, f"beranda-{username.split('.')[0]}-{width}")
            page.context.close()


def test_every_list_has_a_phone_form(browser, demo_site, subtests):
    from kawal.readiness.models import Assessment

    started = time.monotonic()
    queue = [reverse(name) for name in LISTS] + [reverse("regions:detail", args=["64.02"])]
    assessment = Assessment.objects.order_by("pk").first()
    queue.append(reverse("readiness:assessment", args=[assessment.pk]))
    page = _login(browser, demo_site, "dinas", WIDTH, 740, True)
    checked, missing, visited = 0, list(DETAILS), []
    while queue:
        url = queue.pop(0)
        visited.append(url)
        with subtests.test(msg=url):
            response = page.goto(demo_site.url + url)
            assert response is not None and response.status == 200, response and response.status
            page.wait_for_load_state("load")
            problems = page.evaluate(CHECK, WIDTH)
            assert not problems, problems
            checked += page.locator("main table").count()
            hrefs = page.evaluate(LINKS)
            for pattern in list(missing):
                path = found(hrefs, pattern)
                if path:
                    missing.remove(pattern)
                    queue.append(path)
                    if pattern == r"/acara/\d+/":
                        queue += [path + sub for sub in EVENT_PAGES]
    print(f"{len(visited)} pages: {time.monotonic() - started:.0f} s")
    assert not missing, missing  # every kind of detail page was reached
    assert checked > 80  # the demo data fills the lists: the check did look at tables
    page.context.close()
    # a few lists at both widths, the first screen only (docs/screenshots/daftar-*.png)
    for width, height, mobile in ((WIDTH, 740, True), (1366, 900, False)):
        page = _login(browser, demo_site, "dinas", width, height, mobile)
        for name in SHOTS:
            page.goto(demo_site.url + reverse(name))
            path = SCREENSHOTS / f"daftar-{name.replace(':', '-').replace('_', '-')}-{width}.png"
            page.screenshot(path=str(path))
        page.context.close()
