"""The extension points of the cooperative pages, for higher apps (formation, readiness, ...).

The cooperatives app sits below them in the import direction, so it cannot import them; they
contribute `Section`, `ListFilter` and `ListColumn` items from their contributions.py through
kawal.core.extensions, like menus and home panels. `Fact` (a yes/no fact in SQL) and
`ObstacleSource` (what holds a cooperative back, with its explanation) let one higher app read
what another knows without importing it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from kawal.core.extensions import contributions, declare


@dataclass(frozen=True)
class Section:
    """A block on the cooperative page: `context(request, cooperative)` → dict, or None."""

    key: str
    template: str
    context: Callable
    order: int = 100


@dataclass(frozen=True)
class ListFilter:
    """A filter of the cooperative list: a <select> named `param`.

    `choices(user)` → [(value, label)]; `apply(queryset, value, user, params)` → queryset
    (`params`: all the list's query parameters, for filters that combine two of them).
    """

    param: str
    label: str
    choices: Callable
    apply: Callable
    order: int = 100


@dataclass(frozen=True)
class ListColumn:
    """A column of the cooperative list and export.

    `annotate(user, rows)` sets attributes on the page's rows in a constant number of queries;
    `template` renders one cell with `row` in the context; `export(row)` gives the XLSX value(s).
    """

    key: str
    header: str
    template: str
    annotate: Callable
    export_headers: tuple = field(default_factory=tuple)
    export: Callable | None = None
    order: int = 100


@dataclass(frozen=True)
class Fact:
    """A yes/no fact about a cooperative that another app owns (e.g. "has its legal entity").

    `q()` → a Q on Cooperative (usually an Exists), so readers can count and filter in SQL.
    `url(cooperative_id)` (optional) → the page where the owner explains the fact for one
    cooperative, so a reader can link to the record behind it.
    """

    key: str
    label: str
    q: Callable
    url: Callable | None = None


@dataclass(frozen=True)
class Obstacle:
    """One thing that stands between a cooperative and running, as the app that owns it says.

    `code` is the owner's own code for it (readers may map codes they know, and must ignore the
    others); `label` and `detail` are for people; `since` when known; `url` the record behind it.
    """

    source: str
    code: str
    label: str
    detail: str = ""
    since: object = None
    url: str = ""


@dataclass(frozen=True)
class ObstacleSource:
    """An app that knows what holds cooperatives back (e.g. operations).

    `obstacles(user, cooperative_ids)` → {cooperative id: [Obstacle]}, only for cooperatives in
    the user's scope, in a constant number of queries (callers pass a page or a kecamatan).
    """

    key: str
    label: str
    obstacles: Callable


COOPERATIVE_SECTION = "cooperative_section"
COOPERATIVE_LIST_FILTER = "cooperative_list_filter"
COOPERATIVE_LIST_COLUMN = "cooperative_list_column"
COOPERATIVE_FACT = "cooperative_fact"
COOPERATIVE_OBSTACLE = "cooperative_obstacle"

declare(COOPERATIVE_SECTION, key=lambda s: s.key, order=lambda s: s.order)
declare(COOPERATIVE_LIST_FILTER, key=lambda f: f.param, order=lambda f: f.order)
declare(COOPERATIVE_LIST_COLUMN, key=lambda c: c.key, order=lambda c: c.order)
declare(COOPERATIVE_FACT, key=lambda f: f.key)
declare(COOPERATIVE_OBSTACLE, key=lambda s: s.key)


def fact(key: str) -> Fact | None:
    """The contributed fact, or None when the app that owns it is not installed."""
    return next((f for f in contributions(COOPERATIVE_FACT) if f.key == key), None)


def obstacle_sources() -> list[ObstacleSource]:
    """The apps that say what holds cooperatives back (none when no such app is installed)."""
    return contributions(COOPERATIVE_OBSTACLE)


def sections() -> list[Section]:
    return contributions(COOPERATIVE_SECTION)


def list_filters() -> list[ListFilter]:
    return contributions(COOPERATIVE_LIST_FILTER)


def list_columns() -> list[ListColumn]:
    return contributions(COOPERATIVE_LIST_COLUMN)
