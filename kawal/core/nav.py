"""Menu entries and home-page panels: what apps contribute to core's `nav` and `home_panel`
extension points (kawal.core.extensions) from their contributions.py.

Core renders them without importing the apps that provide them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from kawal.core.extensions import contributions
from kawal.core.scope import has_capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable  # (request) -> dict, or None to hide the panel
    order: int = 100


def nav_for(user) -> list[NavItem]:
    return [item for item in contributions("nav") if has_capability(user, item.capability)]


def panels_for(request) -> list[tuple[str, dict]]:
    shown = []
    for panel in contributions("home_panel"):
        context = panel.context(request)
        if context is not None:
            shown.append((panel.template, context))
    return shown
