"""The demo data set, loaded once for this module (loading it is the slowest step of the suite,
so every test that needs it lives here, and `xdist_group` keeps the module on one worker): it
fills every app and labels itself as demo; every printed login works; each demo role, from its
home page, reaches every link of the home page and the menu, and every link of the pages those
lead to (two levels), without a dead end (no 404, no 500, and no link offered that then refuses
with 403); and every number on a home card that links somewhere equals the count of the list it
links to."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

import conftest as root

ROLES = [
    "dinas",
    "sekda",
    "satgas.dpmd",
    "camat.tenggarong",
    "pendamping",
    "pengurus.tanahdatar",
    "auditor",
    "ba.muarabadak",
    "pmo.kukar",
]
# Links of one URL pattern (same route, same query keys) followed per page level: enough to
# meet every kind of page without opening all 237 cooperatives.
PER_PATTERN = 2
SKIP_PREFIXES = ("/static/", "/django-admin/", "/akun/keluar/", "/i18n/")


pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The full demo data set, loaded once for this module (yields what the command printed)."""
    with root.demo_data_loaded(django_db_blocker) as printed:
        yield printed


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.cards: list[tuple[str, str]] = []  # (href, number) of stat cards
        self._card_href = None
        self._in_value = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if self._card_href == "":
                self._card_href = attrs["href"]
        if tag == "div" and "stat" in (attrs.get("class") or "").split():
            self._card_href = ""
        if tag == "span" and attrs.get("class") == "stat-value":
            self._in_value = True

    def handle_data(self, data):
        if self._in_value:
            if self._card_href:
                self.cards.append((self._card_href, data.strip()))
            self._in_value = False
            self._card_href = None


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def _local(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _pattern(url: str) -> tuple:
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    return route, tuple(sorted(key for key, _v in parse_qsl(parts.query)))


def _login(client, username):
    from kawal.accounts.models import User

    client.force_login(User.objects.get(username=username))


def _check(client, url: str, found_on: str, problems: list) -> str | None:
    response = client.get(url)
    status = response.status_code
    if status in (403, 404) or status >= 500:
        problems.append(f"{status} {url}  (linked from {found_on})")
        return None
    if status in (301, 302) and "/akun/masuk/" in response.get("Location", ""):
        problems.append(f"login asked again {url}  (linked from {found_on})")
        return None
    is_html = response.get("Content-Type", "").startswith("text/html")
    return response.content.decode() if status == 200 and is_html else None


def test_demo_fills_kukar_and_every_printed_login_works(
    demo, kukar, client, django_assert_max_num_queries
):
    from kawal.cooperatives.models import Cooperative
    from kawal.core.demo import DEMO_PASSWORD

    printed = re.findall(r"^  (\S+)\s{2,}", demo.split("Demo logins", 1)[1], re.M)
    assert Cooperative.objects.filter(village__regency_code="64.02").count() == 237
    assert {"dinas", "camat.tenggarong", "pendamping", "pengurus.tanahdatar"} <= set(printed)
    for username in printed:
        client.logout()
        home = client.post(
            "/akun/masuk/", {"username": username, "password": DEMO_PASSWORD}, follow=True
        )
        assert home.context["user"].username == username
        assert home.status_code == 200, username
        assert b"DATA DEMO" in home.content  # synthetic data is labelled on every page

    # The home page gathers every app's panel; on the full demo it stays within the page budget.
    client.logout()
    client.post("/akun/masuk/", {"username": "dinas", "password": DEMO_PASSWORD})
    with django_assert_max_num_queries(20):
        assert client.get("/").status_code == 200

    again = io.StringIO()
    call_command("demo_data", "--if-empty", stdout=again)
    assert "already present" in again.getvalue()
    assert Cooperative.objects.count() == 237


@pytest.mark.parametrize("username", ROLES)
def test_no_link_from_a_roles_home_page_leads_to_a_dead_end(demo, kukar, client, username):
    # given a demo user on its home page (panels and menu)
    _login(client, username)
    home = client.get("/")
    assert home.status_code == 200
    problems: list[str] = []
    seen = {"/"}
    level = [("/", link) for link in _parse(home.content.decode()).links]
    # when every link is followed, and the links of the pages reached are followed once more
    for depth in (1, 2):
        taken: dict[tuple, int] = {}
        following = []
        for found_on, href in level:
            url = _local(found_on, href)
            if url is None or url in seen:
                continue
            key = _pattern(url)
            if taken.get(key, 0) >= PER_PATTERN:
                continue
            taken[key] = taken.get(key, 0) + 1
            seen.add(url)
            html = _check(client, url, found_on, problems)
            if html is not None and depth == 1:
                following += [(url, link) for link in _parse(html).links]
        level = following
    # then none answered "not found", "not allowed" or an error
    assert problems == [], f"{username}:\n" + "\n".join(problems)
    assert len(seen) > 10


def _number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def _count(response) -> int | None:
    """How many rows the page lists: the count of its one paginated list, or of its rows."""
    from django.core.paginator import Page

    if not response.context:
        return None
    values = {}
    for layer in response.context:
        for flat in layer.dicts if hasattr(layer, "dicts") else [layer]:
            values.update({k: v for k, v in flat.items() if isinstance(k, str)})
    pages = {id(v): v for v in values.values() if isinstance(v, Page)}
    if len(pages) == 1:
        return next(iter(pages.values())).paginator.count
    rows = values.get("rows")
    return len(rows) if rows is not None else None


@pytest.mark.parametrize("username", ROLES)
def test_every_number_on_a_home_card_equals_the_list_it_links_to(demo, kukar, client, username):
    # given a demo user's home page
    _login(client, username)
    cards = _parse(client.get("/").content.decode()).cards
    # when each card's link is opened
    wrong = []
    for href, shown in cards:
        response = client.get(href, follow=True)
        counted = _count(response) if response.status_code == 200 else None
        # then the page lists exactly as many rows as the card says
        if counted != _number(shown):
            wrong.append(f"{href}: card {shown}, list {counted}")
    assert wrong == [], f"{username}:\n" + "\n".join(wrong)
