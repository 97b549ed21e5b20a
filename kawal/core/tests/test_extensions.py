import pytest

from kawal.core import extensions
from kawal.core.extensions import contribute, contributions, declare
from kawal.core.nav import nav_for


def test_contributions_come_back_ordered_and_once(monkeypatch):
    # given a point ordered by number, with one item contributed twice
    monkeypatch.setattr(extensions, "_points", {})
    declare("example", key=lambda item: item[0], order=lambda item: item[1])
    contribute("example", ("b", 2), ("a", 1))
    contribute("example", ("b", 2))
    # then each comes once, in the declared order
    assert contributions("example") == [("a", 1), ("b", 2)]


def test_an_undeclared_point_fails_loudly():
    with pytest.raises(LookupError):
        contribute("no_such_point", object())


def test_every_app_contributes_through_its_ready(admin_user):
    # the menu holds entries contributed by core, regions, cooperatives and formation
    names = [item.url_name for item in nav_for(admin_user)]
    assert {"core:audit_list", "regions:map", "cooperatives:list", "formation:matrix"} <= set(names)
    assert "cooperative_section" in extensions.declared()
