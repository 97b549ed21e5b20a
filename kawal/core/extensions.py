"""Extension points: the one way a higher app adds to a lower app's pages or rules.

A lower app *declares* a named point (`declare("cooperative_section", key=...)`) in the module
that defines what the point accepts; a higher app *contributes* to it from its own
`contributions.py`, called by its `AppConfig.ready()`; the lower app reads `contributions(name)`
when it renders or computes. So the lower app never imports the higher one. See
docs/ARCHITECTURE.md, "Extension points".
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ExtensionPoint:
    name: str
    # Contributions with the same key replace each other (re-running ready() adds nothing twice).
    key: Callable = lambda item: item
    # Sort key of contributions(); None keeps the order of contribution.
    order: Callable | None = None
    items: dict = field(default_factory=dict)

    def add(self, item) -> None:
        self.items.setdefault(self.key(item), item)

    def all(self) -> list:
        items = list(self.items.values())
        return sorted(items, key=self.order) if self.order else items


_points: dict[str, ExtensionPoint] = {}


def declare(name: str, *, key: Callable | None = None, order: Callable | None = None):
    """Declare a point (by its owning app, at import time of the module defining it)."""
    if name not in _points:
        _points[name] = ExtensionPoint(name, key or (lambda item: item), order)
    return _points[name]


def point(name: str) -> ExtensionPoint:
    try:
        return _points[name]
    except KeyError:
        raise LookupError(f"extension point {name!r} is not declared") from None


def contribute(name: str, *items) -> None:
    """Add items to a declared point; an item whose key is already there is kept once."""
    target = point(name)
    for item in items:
        target.add(item)


def contributions(name: str) -> list:
    return point(name).all()


def declared() -> list[str]:
    return sorted(_points)


# --- The points core declares ---------------------------------------------------------------
# nav: kawal.core.nav.NavItem (menu entries); home_panel: kawal.core.nav.HomePanel.
declare("nav", key=lambda item: item.url_name, order=lambda item: item.order)
declare("home_panel", key=lambda panel: panel.template, order=lambda panel: panel.order)
# assignment_source: (user) -> iterable of village codes the user is assigned to (scope).
declare("assignment_source")
# region_names: (codes) -> {code: name}, for rows that carry a region code (the audit list).
declare("region_names")
