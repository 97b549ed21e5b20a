"""Every list of the app has a phone form: at 360 px, on the demo data seen by the Dinas, no page
scrolls sideways, and each table is either a list of cards (.table-wrap.cards: the first card's
cells, links and buttons all inside the screen's width), a matrix deliberately left to scroll in
its own frame (.table-wrap.scroll), or a short key/value table (table.facts) that fits.
One subtest per page, so a failure names the page."""

import re
import time
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from kawal.core.demo import DEMO_PASSWORD
from kawal.readiness.models import Assessment
from tests.e2e.conftest import SCREENSHOTS, load_demo_data, screenshot

WIDTH = 360

# Pages whose main content is a list (or holds lists), reached by name.
LISTS = [
    "core:audit_list",
    "accounts:user_list",
    "regions:review_queue",
    "cooperatives:list",
    "followups:list",
    "formation:matrix",
    "formation:stuck",
    "formation:verify_queue",
    "formation:targets",
    "formation:notaries",
    "formation:reminders",
    "formation:simkopdes",
    "formation:import",
    "readiness:index",
    "readiness:instruments",
    "potential:index",
    "potential:sectors",
    "taskforce:index",
    "taskforce:agency_list",
    "taskforce:decree_list",
    "taskforce:meeting_list",
    "taskforce:scorecard",
    "mentoring:index",
    "mentoring:mentor_list",
    "mentoring:checklist",
    "mentoring:visit_list",
    "mentoring:consultation_list",
    "mentoring:consultation_queue",
    "mentoring:report_list",
    "operations:index",
    "operations:partners",
    "operations:waits",
    "operations:partnership_list",
    "operations:portfolio",
    "operations:loan_list",
    "business:index",
    "business:signboards",
    "business:ba",
    "business:missing",
    "business:rat_list",
    "budget:index",
    "training:index",
    "training:coverage",
    "training:needs",
    "events:list",
    "reports:dashboard",
    "reports:report_list",
    "api_tokens:list",
]


# Lists kept as screenshots at 360 and 1366 px.
SHOTS = ("formation:reminders", "taskforce:agency_list", "operations:loan_list", "core:audit_list")

# Detail pages that hold lists: the first link of each kind found on the pages visited (so each
# is one the Dinas may open), with the event's own list pages derived from its link.
DETAILS = [
    r"/koperasi/\d+/",
    r"/tindak-lanjut/\d+/",
    r"/kesiapan/koperasi/\d+/",
    r"/kesiapan/instrumen/\d+/",
    r"/potensi/desa/[0-9.]+/",
    r"/satgas/sk/\d+/",
    r"/satgas/rapat/\d+/",
    r"/satgas/kinerja/[\w-]+/",
    r"/pendampingan/mentor/\d+/",
    r"/pendampingan/koperasi/\d+/",
    r"/pendampingan/kunjungan/\d+/",
    r"/pendampingan/konsultasi/\d+/",
    r"/pendampingan/laporan/\d+/",
    r"/operasional/koperasi/\d+/",
    r"/operasional/kemitraan/\d+/",
    r"/operasional/gerai/\d+/",
    r"/operasional/pinjaman/\d+/",
    r"/usaha/koperasi/\d+/",
    r"/usaha/laporan/\d+/",
    r"/anggaran/\d+/",
    r"/pelatihan/program/\d+/",
    r"/pelatihan/angkatan/\d+/",
    r"/acara/\d+/",
]
EVENT_PAGES = ("peserta/", "langsung/", "rencana/", "rencana/platform/", "laporan/")
LINKS = "() => [...document.querySelectorAll('main a[href]')].map((a) => a.getAttribute('href'))"


def _found(hrefs, pattern):
    for href in hrefs:
        path = href.split("?")[0].split("#")[0]
        if re.fullmatch(pattern, path):
            return path
    return None


# The check run in the page: returns a list of problems (empty when the page is fine).
CHECK = """(W) => {
  const problems = [];
  const out = (el) => { const b = el.getBoundingClientRect();
    return b.width > 0 && (b.left < -0.5 || b.right > W + 0.5); };
  const name = (el) => (el.getAttribute("data-label") || el.textContent).trim().slice(0, 40);
  if (document.documentElement.scrollWidth > W) {
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > W + 0.5
        && el.parentElement.getBoundingClientRect().right <= W + 0.5).slice(0, 3)
      .map((el) => el.tagName.toLowerCase() + "." + [...el.classList].join("."));
    problems.push("page scrolls sideways: " + document.documentElement.scrollWidth + " px ("
      + wide.join(", ") + ")");
  }
  document.querySelectorAll("main table").forEach((table, i) => {
    const wrap = table.closest(".table-wrap");
    const where = "table " + (i + 1);
    if (table.offsetParent === null) { return; }   // hidden (a closed details, a tab)
    if (wrap && wrap.classList.contains("cards")) {
      const row = table.querySelector(":scope > tbody > tr");
      if (!row) { return; }
      if (getComputedStyle(row).display !== "grid") { problems.push(where + ": not a card"); }
      row.querySelectorAll(":scope > td, :scope > th, a, button, input, select").forEach((el) => {
        const spills = el.matches("td, th") && el.scrollWidth > el.clientWidth + 1;
        if (el.offsetParent !== null && (out(el) || spills)) {
          problems.push(where + ": cut at the edge: " + name(el));
        }
      });
    } else if (wrap && wrap.classList.contains("scroll")) {
      if (out(wrap)) { problems.push(where + ": scrolling frame wider than the screen"); }
    } else if (table.classList.contains("facts")) {
      if (out(table)) { problems.push(where + ": key/value table wider than the screen"); }
    } else {
      problems.push(where + ": no phone form (.table-wrap.cards, .table-wrap.scroll or .facts)");
    }
  });
  return problems;
}"""


def _login(browser, live_server, width, height, mobile):
    context = browser.new_context(
        locale="id-ID",
        viewport={"width": width, "height": height},
        is_mobile=mobile,
        has_touch=mobile,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/akun/masuk/")
    page.locator("#id_username").fill("dinas")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page.locator("main h2").first).to_be_visible()
    return page


def test_every_list_has_a_phone_form(browser, live_server, kukar, subtests):
    started = time.monotonic()
    load_demo_data()
    print(f"demo data: {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    queue = [reverse(name) for name in LISTS] + [reverse("regions:detail", args=["64.02"])]
    assessment = Assessment.objects.order_by("pk").first()
    queue.append(reverse("readiness:assessment", args=[assessment.pk]))
    page = _login(browser, live_server, WIDTH, 740, True)
    context = page.context
    checked, missing, visited = 0, list(DETAILS), []
    while queue:
        url = queue.pop(0)
        visited.append(url)
        with subtests.test(msg=url):
            response = page.goto(live_server.url + url)
            assert response is not None and response.status == 200, response and response.status
            page.wait_for_load_state("load")
            problems = page.evaluate(CHECK, WIDTH)
            assert not problems, problems
            checked += page.locator("main table").count()
            hrefs = page.evaluate(LINKS)
            for pattern in list(missing):
                path = _found(hrefs, pattern)
                if path:
                    missing.remove(pattern)
                    queue.append(path)
                    if pattern == r"/acara/\d+/":
                        queue += [path + sub for sub in EVENT_PAGES]
    print(f"{len(visited)} pages: {time.monotonic() - started:.0f} s")
    assert not missing, missing  # every kind of detail page was reached
    assert checked > 80  # the demo data fills the lists: the check did look at tables
    context.close()
    # a few lists at both widths, the first screen only (docs/screenshots/daftar-*.png)
    for width, height, mobile in ((WIDTH, 740, True), (1366, 900, False)):
        page = _login(browser, live_server, width, height, mobile)
        for name in SHOTS:
            page.goto(live_server.url + reverse(name))
            path = SCREENSHOTS / f"daftar-{name.replace(':', '-').replace('_', '-')}-{width}.png"
            page.screenshot(path=str(path))
        page.context.close()


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
