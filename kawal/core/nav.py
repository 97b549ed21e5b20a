"""Menu entries and home-page panels, registered by each app in its AppConfig.ready().

Core renders them without importing the apps that provide them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from kawal.core.scope import has_capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str
    order: int


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable  # (request) -> dict, or None to hide the panel
    order: int


_nav: list[NavItem] = []
_panels: list[HomePanel] = []


def register_nav(label, url_name: str, capability: str, order: int = 100) -> None:
    if all(item.url_name != url_name for item in _nav):
        _nav.append(NavItem(label, url_name, capability, order))
        _nav.sort(key=lambda item: item.order)


def register_home_panel(template: str, context: Callable, order: int = 100) -> None:
    if all(panel.template != template for panel in _panels):
        _panels.append(HomePanel(template, context, order))
        _panels.sort(key=lambda panel: panel.order)


def nav_for(user) -> list[NavItem]:
    return [item for item in _nav if has_capability(user, item.capability)]


def panels_for(request) -> list[tuple[str, dict]]:
    shown = []
    for panel in _panels:
        context = panel.context(request)
        if context is not None:
            shown.append((panel.template, context))
    return shown
