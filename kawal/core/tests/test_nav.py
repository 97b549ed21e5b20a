"""The grouped menu: entries grouped by task, an entry without a group still shown, the current
page marked."""

from kawal.core import extensions
from kawal.core.nav import NavItem, menu_for
from kawal.core.scope import Cap, Role


def _labels(menu):
    return [entry.label for entry in menu]


def test_menu_groups_the_dinas_entries_into_a_few_drop_downs(admin_user):
    # given the Dinas, which may use every entry
    menu = menu_for(admin_user, "/")
    # then the bar holds a handful of places, not one per entry
    assert len(menu) <= 8
    koperasi = next(entry for entry in menu if entry.label == "Koperasi")
    assert koperasi.is_group
    assert "/koperasi/" in [link.url for link in koperasi.links]


def test_an_entry_without_a_group_stands_on_its_own_in_the_bar(admin_user, monkeypatch):
    # given a new app's entry with no group (a dashboard, say) and one with an unknown group
    point = extensions.point("nav")
    monkeypatch.setattr(point, "items", dict(point.items))
    extensions.contribute("nav", NavItem("Dasbor uji", "core:home", Cap.VIEW, order=1))
    extensions.contribute(
        "nav", NavItem("Lain uji", "core:health", Cap.VIEW, order=2, group="tidak-dikenal")
    )
    # when the menu is built
    menu = menu_for(admin_user, "/")
    # then both are links of their own in the bar, first by their order
    assert [(e.label, e.url, e.is_group) for e in menu[:2]] == [
        ("Dasbor uji", "/", False),
        ("Lain uji", "/sehat/", False),
    ]


def test_the_current_page_is_marked_by_its_longest_menu_url(admin_user):
    # given a page under the cooperative import (which starts with the cooperative list's URL)
    menu = menu_for(admin_user, "/koperasi/impor/")
    current = [link.url for entry in menu for link in entry.links if link.current]
    # then only the import entry is current, and its group says so
    assert current == ["/koperasi/impor/"]
    assert [entry.label for entry in menu if entry.current] == ["Data"]


def test_the_rendered_menu_marks_the_page_and_needs_no_inline_script(client, admin_user):
    client.force_login(admin_user)
    html = client.get("/koperasi/").content.decode()
    assert '<a href="/koperasi/" aria-current="page">' in html
    assert "onclick" not in html and "<details" in html


def test_a_group_with_one_usable_entry_is_a_plain_link(make_user):
    # given the auditor, who may read but not manage: no import review, no user admin
    auditor = make_user(Role.AUDITOR, "64.02")
    menu = menu_for(auditor, "/")
    pendampingan = next(entry for entry in menu if entry.label == "Pendampingan")
    assert not pendampingan.is_group
    labels = [link.label for entry in menu for link in entry.links]
    assert "Pengguna" not in labels


def test_home_panels_put_each_roles_own_work_first_and_drop_what_it_cannot_act_on(
    rf, make_user, make_agency, monkeypatch
):
    from kawal.core.nav import HomePanel, panels_for

    # given three panels: a summary, the agency's own work, and one an agency cannot act on
    point = extensions.point("home_panel")
    monkeypatch.setattr(point, "items", {})
    shown = lambda name: lambda request: {"name": name}  # noqa: E731
    extensions.contribute(
        "home_panel",
        HomePanel("summary.html", shown("summary"), order=10),
        HomePanel("owes.html", shown("owes"), order=40, placement={"satgas": 1}),
        HomePanel("caseload.html", shown("caseload"), order=30, placement={"satgas": None}),
    )
    request = rf.get("/")
    # when an agency member and the Dinas open their home page
    agency = make_agency("dpmd")
    request.user = make_user(Role.SATGAS, "64.02", agency=agency)
    dinas = make_user(Role.ADMIN_DINAS, "64.02")
    # then the agency member sees what it owes first, and not what it cannot act on
    assert [t for t, _c in panels_for(request)] == ["owes.html", "summary.html"]
    # and the Dinas keeps every panel in its usual order
    request.user = dinas
    assert [t for t, _c in panels_for(request)] == ["summary.html", "caseload.html", "owes.html"]
