"""Every import page's kinds: a kind whose rows name a village takes the place columns (codes
in any form, names, SIMKOPDES ids, with the ministry's header aliases) and places its rows
through the one helper, `regions.services.place_villages` (docs/imports.md)."""

import re
from pathlib import Path

import pytest
from django.utils.module_loading import import_string

from kawal.core import spreadsheets as sp
from kawal.regions import reconcile
from kawal.regions import services as region_services

KAWAL = Path(__file__).resolve().parents[2]
PLACE_KEYS = {c.key for c in reconcile.PLACE_COLUMNS}


def flows() -> list[str]:
    """The dotted paths every `import_page(...)` of the code base passes as its flow."""
    found = set()
    for path in KAWAL.rglob("*.py"):
        if "tests" not in path.parts:
            found |= set(re.findall(r'flow="(kawal\.[\w.]+)"', path.read_text(encoding="utf-8")))
    return sorted(found)


def kinds_with_villages():
    for flow in flows():
        for code, kind in import_string(flow).items():
            if any(c.key == "kode_desa" for c in kind.columns):
                yield pytest.param(kind, id=f"{flow.split('.')[1]}-{code}")


def test_the_flows_are_found():
    assert len(flows()) >= 8
    assert len(list(kinds_with_villages())) >= 13


@pytest.mark.parametrize("kind", list(kinds_with_villages()))
def test_a_kind_with_villages_takes_the_place_columns(kind):
    assert {c.key for c in kind.columns} >= PLACE_KEYS
    code = next(c for c in kind.columns if c.key == "kode_desa")
    assert code is reconcile.PLACE_COLUMNS[0]  # any code form, and not required (names will do)


class Placed(Exception):
    pass


@pytest.mark.parametrize("kind", list(kinds_with_villages()))
def test_a_kind_with_villages_places_its_rows_through_the_one_helper(kind, admin_user, monkeypatch):
    def place_villages(preview, *, user, source, cap=None):
        raise Placed(source)

    monkeypatch.setattr(region_services, "place_villages", place_villages)
    preview = sp.Preview(
        columns=kind.columns, rows=[sp.Row(line=2, values={"kode_desa": "64.02.06.1001"})]
    )
    with pytest.raises(Placed):
        kind.check(preview, admin_user)
