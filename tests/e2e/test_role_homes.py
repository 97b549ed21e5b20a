"""Each demo role, on the demo data, lands on its own work first (at 1366 px and on a 360-px
phone); the screenshots in docs/screenshots/beranda-*.png and docs/roles.md come from here."""

from playwright.sync_api import expect

from kawal.core.demo import DEMO_PASSWORD
from tests.e2e.conftest import load_demo_data, screenshot

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


def test_each_role_lands_on_its_own_work_at_both_widths(browser, live_server, kukar):
    load_demo_data()
    for width, height, mobile in ((1366, 900, False), (360, 740, True)):
        for username, heading in FIRST.items():
            context = browser.new_context(
                locale="id-ID",
                viewport={"width": width, "height": height},
                is_mobile=mobile,
                has_touch=mobile,
            )
            page = context.new_page()
            page.set_default_timeout(15000)
            page.goto(live_server.url + "/akun/masuk/")
            page.locator("#id_username").fill(username)
            page.locator("#id_password").fill(DEMO_PASSWORD)
            page.locator("#id_password").press("Enter")
            expect(page.locator("main h2").first).to_have_text(heading)
            # the menu is one line at 1366 px; on a phone it opens under one button
            if mobile:
                expect(page.get_by_text("Menu", exact=True)).to_be_visible()
            else:
                assert page.locator(".topbar").bounding_box()["height"] < 60
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(page, f"beranda-{username.split('.')[0]}-{width}")
            context.close()
