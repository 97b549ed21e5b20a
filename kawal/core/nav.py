"""Menu entries and home-page panels: what apps contribute to core's `nav` and `home_panel`
extension points (kawal.core.extensions) from their contributions.py.

Core renders them without importing the apps that provide them.

The menu is grouped by task: a NavItem names one of the groups below (`group="koperasi"`), and
the menu shows each group as one drop-down. An item without a group (or with a group core does
not know) stands on its own in the bar, so a new app's entry always appears. A group holding a
single entry the user may use is shown as that entry, without a drop-down.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kawal.core.extensions import contributions
from kawal.core.scope import has_capability, home_focus


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str
    order: int = 100
    group: str = ""  # a key of NAV_GROUPS; empty: an entry of its own in the bar


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    order: int


NAV_GROUPS = {
    group.key: group
    for group in (
        NavGroup("koperasi", _("Cooperatives"), 20),
        NavGroup("satgas", _("Satgas"), 30),
        NavGroup("pendampingan", _("Mentoring"), 40),
        NavGroup("usaha", _("Business"), 50),
        NavGroup("program", _("Training & events"), 60),
        NavGroup("data", _("Data"), 90),
    )
}


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable  # (request) -> dict, or None to hide the panel
    order: int = 100
    # Its place per home focus (kawal.core.scope.home_focus: "pengurus", "pendamping",
    # "satgas", "pimpinan", "camat"): a number puts the role's own work first, None hides a
    # panel the role cannot act on; a focus not named here keeps `order`.
    placement: dict | None = None

    def order_for(self, focus: str):
        if self.placement and focus in self.placement:
            return self.placement[focus]
        return self.order


def nav_for(user) -> list[NavItem]:
    return [item for item in contributions("nav") if has_capability(user, item.capability)]


@dataclass
class MenuLink:
    label: str
    url: str
    current: bool = False


@dataclass
class MenuEntry:
    """One place in the bar: a link (`links` has one) or a drop-down group."""

    label: str
    order: int
    links: list[MenuLink] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return len(self.links) > 1

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)

    @property
    def url(self) -> str:
        return self.links[0].url


def _current_url(urls: list[str], path: str) -> str | None:
    """The menu URL the page at `path` belongs to: the longest one that starts it."""
    best = None
    for url in urls:
        if url == "/" and path != "/":
            continue
        if path.startswith(url) and (best is None or len(url) > len(best)):
            best = url
    return best


def menu_for(user, path: str) -> list[MenuEntry]:
    """The grouped menu of `user`, with the page at `path` marked as current."""
    entries: dict[str, MenuEntry] = {}
    for item in nav_for(user):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        group = NAV_GROUPS.get(item.group)
        if group is None:
            entry = entries.setdefault(
                f"item:{item.url_name}", MenuEntry(str(item.label), item.order)
            )
        else:
            entry = entries.setdefault(
                f"group:{group.key}", MenuEntry(str(group.label), group.order)
            )
        entry.links.append(MenuLink(str(item.label), url))
    current = _current_url([link.url for e in entries.values() for link in e.links], path)
    for entry in entries.values():
        for link in entry.links:
            link.current = link.url == current
    return sorted(entries.values(), key=lambda entry: entry.order)


def panels_for(request) -> list[tuple[str, dict]]:
    """The home panels, in the order that suits the user's roles (its own work first)."""
    focus = home_focus(request.user)
    ranked = []
    for panel in contributions("home_panel"):
        order = panel.order_for(focus)
        if order is not None:
            ranked.append((order, panel))
    shown = []
    for _order, panel in sorted(ranked, key=lambda pair: pair[0]):
        context = panel.context(request)
        if context is not None:
            shown.append((panel.template, context))
    return shown
