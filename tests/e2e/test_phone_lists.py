"""The check of every list's phone form, tested on a sample page (the check itself lives in
tests/e2e/phone_check.py and runs on every list of the demo data in tests/e2e/test_demo_site.py),
and the same lists kept as tables on a desktop."""

from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.phone_check import CHECK, WIDTH

STATIC = Path(__file__).resolve().parents[2] / "kawal" / "core" / "static" / "kawal"
SAMPLE = """<!doctype html><meta name="viewport" content="width=device-width"><style>%s</style>
<main><div class="table-wrap cards"><table>
<thead><tr><th>Koperasi</th><th>Kecamatan</th><th colspan="2">Tahap</th><th></th></tr></thead>
<tbody><tr><td>KDMP Jahab</td><td>Tenggarong</td><td>lahan</td><td>%s</td>
<td><a href="#">ubah</a> · <a href="#">tindak lanjut</a></td></tr></tbody></table></div>
<div class="table-wrap"><table><tr><td>%s</td></tr></table></div></main><script>%s</script>"""


def test_the_check_sees_a_missing_phone_form_and_a_cut_card(browser):
    """The check itself: labels come from the headers (colspan counted), the action column turns
    into full-width buttons, and a cut cell or a plain scrolling table is reported."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 740}, is_mobile=True)
    page = context.new_page()
    css, js = (STATIC / "kawal.css").read_text(), (STATIC / "kawal.js").read_text()
    page.set_content(SAMPLE % (css, "3 bulan", "x", js))
    assert page.locator("td").nth(1).get_attribute("data-label") == "Kecamatan"
    assert page.locator("td").nth(3).get_attribute("data-label") == "Tahap"
    assert page.locator("td").first.get_attribute("class") == "card-title"
    link = page.get_by_role("link", name="ubah").bounding_box()
    assert link["width"] > 280 and link["height"] >= 44  # a full-width touch target
    assert page.evaluate(CHECK, WIDTH) == [
        "table 2: no phone form (.table-wrap.cards, .table-wrap.scroll or .facts)"
    ]
    # a row swapped in by htmx is labelled too
    page.evaluate("""() => { const row = document.querySelector("tbody tr").cloneNode(true);
      row.querySelectorAll("td").forEach((td) => { td.removeAttribute("data-label");
        td.className = ""; });
      document.querySelector("tbody").append(row);
      row.dispatchEvent(new CustomEvent("htmx:load", { bubbles: true })); }""")
    assert page.locator("tbody tr").nth(1).locator("td").nth(1).get_attribute("data-label") == (
        "Kecamatan"
    )
    wide = '<span style="display:inline-block;width:500px">3 bulan</span>'
    scroll = '<div class="table-wrap scroll"><table>'
    page.set_content(
        (SAMPLE % (css, wide, "x", js)).replace('<div class="table-wrap"><table>', scroll)
    )
    problems = page.evaluate(CHECK, WIDTH)
    assert problems[0].startswith("page scrolls sideways"), problems
    assert problems[1:] == ["table 1: cut at the edge: Tahap"], problems
    context.close()


def test_lists_keep_their_table_on_a_desktop(page, admin_user, make_cooperative):
    """Above 700 px a .cards list stays a table: one row per line, the header shown."""
    from tests.e2e.conftest import login

    make_cooperative("64.02.06.1001")
    login(page, admin_user.username)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(page.base + reverse("cooperatives:list"))
    row = page.locator(".cards tbody tr").first
    assert page.evaluate("getComputedStyle(document.querySelector('.cards tbody tr')).display") == (
        "table-row"
    )
    expect(page.locator(".cards thead th").first).to_be_visible()
    expect(row).to_be_visible()
    screenshot(page, "daftar-koperasi-1366")
