"""Hooks through which higher apps (formation, readiness, ...) add to the cooperative pages.

The cooperatives app sits below them in the import direction, so it cannot import them; they
register here in their AppConfig.ready(), like core.nav does for menus and home panels.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


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
    """

    key: str
    label: str
    q: Callable


_sections: dict[str, Section] = {}
_facts: dict[str, Fact] = {}
_filters: dict[str, ListFilter] = {}
_columns: dict[str, ListColumn] = {}


def register_section(section: Section) -> None:
    _sections[section.key] = section


def register_list_filter(list_filter: ListFilter) -> None:
    _filters[list_filter.param] = list_filter


def register_list_column(column: ListColumn) -> None:
    _columns[column.key] = column


def register_fact(fact: Fact) -> None:
    _facts[fact.key] = fact


def fact(key: str) -> Fact | None:
    """The registered fact, or None when the app that owns it is not installed."""
    return _facts.get(key)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: s.order)


def list_filters() -> list[ListFilter]:
    return sorted(_filters.values(), key=lambda f: f.order)


def list_columns() -> list[ListColumn]:
    return sorted(_columns.values(), key=lambda c: c.order)
