"""A loaded demo data set kept between runs on SQLite, so that it is loaded once per change of
the code and day rather than by every run that needs it: `make test` (kawal/api/tests/
test_demo.py) loads it and keeps a copy; the browser tests on the demo data and the benchmarks'
demo template copy it in. The copy is a whole SQLite database built by the test setup (tables
from the models, which `make lint` checks against the migrations), in the temporary folder."""

import hashlib
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def location() -> Path:
    """The copy's file. Its name is a digest of everything that shapes the data: every file
    under kawal/ (code, migrations, region data), the pinned dependencies, the Python version,
    and the day (the demo's dates follow today). Any change there names another file, so a
    stale copy is never read."""
    from django.utils import timezone

    digest = hashlib.sha256(f"{sys.version}|{timezone.localdate()}".encode())
    for file in sorted([ROOT / "pyproject.toml", *(ROOT / "kawal").rglob("*")]):
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return Path(tempfile.gettempdir()) / f"kawal-test-demo-{digest.hexdigest()[:16]}.sqlite3"


def keep(copy: Path) -> None:
    """Copy the test database (Django's default connection) into `copy`: written aside, then
    renamed, so a reader never sees half a file; older copies go."""
    from django.db import connection

    for old in copy.parent.glob("kawal-test-demo-*.sqlite3"):
        old.unlink(missing_ok=True)
    aside = copy.with_name(f"{copy.name}.{os.getpid()}")
    target = sqlite3.connect(aside)
    try:
        connection.ensure_connection()
        connection.connection.backup(target)
    finally:
        target.close()
    os.replace(aside, copy)


def restore(copy: Path) -> None:
    """Replace the whole test database with `copy` (same tables: both were built from the same
    models by the test setup)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    ContentType.objects.clear_cache()  # the copy's ids, not those this process has seen
