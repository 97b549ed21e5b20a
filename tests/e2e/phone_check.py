"""The phone check of every list (used by tests/e2e/test_demo_site.py on the demo data, and
tested itself in tests/e2e/test_phone_lists.py): at 360 px no page scrolls sideways, and each
table is either a list of cards (.table-wrap.cards: the first card's cells, links and buttons
all inside the screen's width), a matrix deliberately left to scroll in its own frame
(.table-wrap.scroll), or a short key/value table (table.facts) that fits."""

import re

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


def found(hrefs, pattern):
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
