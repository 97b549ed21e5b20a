"""The UI is Indonesian: every app's catalogue is complete, compiled, and up to date."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

from kawal.core.management.commands.kawal_messages import kawal_app_dirs

CATALOGUES = sorted(
    p for app in kawal_app_dirs() for p in (app / "locale").glob("id/LC_MESSAGES/django.po")
)


def test_every_app_with_strings_has_a_catalogue():
    with_strings = {p.parents[3].name for p in CATALOGUES}
    for app in kawal_app_dirs():
        sources = [*app.rglob("*.py"), *app.rglob("*.html")]
        uses_gettext = any(
            "translate" in s.read_text(encoding="utf-8")
            or "gettext" in s.read_text(encoding="utf-8")
            for s in sources
            if "tests" not in s.parts and "migrations" not in s.parts
        )
        if uses_gettext:
            assert app.name in with_strings, f"{app.name} has no locale/id catalogue"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_catalogue_is_complete_and_compiled(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:5]}"
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))

    def texts(entries):
        return {(e.msgctxt, e.msgid): e.msgstr or dict(e.msgstr_plural) for e in entries if e.msgid}

    assert texts(compiled) == texts(catalogue), "the .mo is older than the .po: run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (CI installs it)")
@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_catalogue_holds_every_source_string(po_path, tmp_path):
    app_dir = po_path.parents[3]
    copy = tmp_path / app_dir.name
    shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    here = Path.cwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["id"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(here)
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/id/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(po_path)) if not e.obsolete}
    assert fresh <= committed, (
        f"new strings not in the catalogue: {sorted(fresh - committed)[:5]}; run `make messages`"
    )
