"""Extract the translatable strings of every Kawal app into its own Indonesian catalogue
(`kawal/<app>/locale/id/LC_MESSAGES/django.po`), then compile them.

Per-app catalogues keep each app's strings next to its code. The compiled `.mo` files are
committed, so running the app needs no gettext tools; this command (`make messages`) does.
"""

import os
from pathlib import Path

import polib
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

PLURAL_FORMS = "nplurals=1; plural=0;"  # Indonesian has one form


def kawal_app_dirs() -> list[Path]:
    return [Path(c.path) for c in apps.get_app_configs() if c.name.startswith("kawal.")]


def compile_catalogue(po_path: Path) -> None:
    catalogue = polib.pofile(str(po_path))
    catalogue.metadata["Plural-Forms"] = PLURAL_FORMS
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.save()
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))


class Command(BaseCommand):
    help = "Update and compile the Indonesian catalogue of every Kawal app."

    def add_arguments(self, parser):
        parser.add_argument("--app", action="append", help="only this app label (repeatable)")

    def handle(self, *args, app=None, **options):
        here = Path.cwd()
        for app_dir in kawal_app_dirs():
            if app and app_dir.name not in app:
                continue
            if not any(app_dir.rglob("*.html")) and not _has_gettext(app_dir):
                continue
            (app_dir / "locale").mkdir(exist_ok=True)
            os.chdir(app_dir)
            try:
                call_command(
                    _makemessages_without_guessing(),
                    locale=["id"],
                    no_obsolete=True,
                    add_location="file",
                    verbosity=0,
                )
            finally:
                os.chdir(here)
            for po_path in (app_dir / "locale").rglob("*.po"):
                compile_catalogue(po_path)
                missing = [e.msgid for e in polib.pofile(str(po_path)) if not e.translated()]
                if missing:
                    self.stdout.write(f"{po_path}: {len(missing)} untranslated")


def _makemessages_without_guessing():
    # msgmerge's fuzzy matching fills new strings with a neighbour's translation; a wrong
    # Indonesian text is worse than an obviously missing one (the i18n test catches those).
    from django.core.management.commands.makemessages import Command as MakeMessages

    command = MakeMessages()
    command.msgmerge_options = [*MakeMessages.msgmerge_options, "--no-fuzzy-matching"]
    return command


def _has_gettext(app_dir: Path) -> bool:
    return any("gettext" in p.read_text(encoding="utf-8") for p in app_dir.rglob("*.py"))
