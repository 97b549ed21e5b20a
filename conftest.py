"""Shared test fixtures: Kukar regions loaded once, users with grants, cooperatives, agencies,
follow-ups and a small PDF upload."""

import contextlib
import datetime

import pytest
from django.utils import timezone

from kawal.core.scope import Role


def pytest_configure(config):
    """Hash test passwords with a fast algorithm: the real PBKDF2 cost (about a million rounds
    per login or new user) would otherwise be a large part of the suite's time."""
    import tempfile

    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded evidence goes to a directory of this test process (one per xdist worker), never
    # into the developer's var/media.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="kawal-test-media-")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Keep each `xdist_group` on one worker under `--dist loadgroup`.

    pytest-xdist 3.8 marks a group by appending `@<group>` to the item's `_nodeid`, but pytest 9
    keeps the id in `_id` (a NodeId), so the suffix was lost and the demo group was spread over
    both workers: each loaded the whole demo data set (about 200 s of a CI run). This puts the
    suffix where pytest 9 reads it; it does nothing when xdist already did it."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        if names and "@" not in item.nodeid.rsplit("]", 1)[-1] and hasattr(item, "_id"):
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")


# Migrations that write reference rows (not only schema). The suite builds its tables straight
# from the models (`--no-migrations` in pyproject's addopts: migrating each worker's database was
# a large part of the run), so these seeds run here instead; `make lint` checks that the models
# and migrations agree, and CI applies every migration to an empty SQLite and PostgreSQL database.
SEED_MIGRATIONS = (
    "kawal.operations.migrations.0002_default_loan_ceiling",
    "kawal.potential.migrations.0002_standard_list",
)


def reseed() -> None:
    """Put back what the session set up before any test, after a flush: the reference rows and
    Kutai Kartanegara's regions (both idempotent)."""
    import importlib

    from django.apps import apps

    from kawal.regions.models import Region
    from kawal.regions.services import load_kukar

    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)
    if not Region.objects.filter(code="64.02").exists():
        load_kukar()


@contextlib.contextmanager
def demo_data_loaded(django_db_blocker, reuse: bool = False):
    """The full demo data set in the test database for the span of one module (loading it is
    the slowest step of a test run, so the few modules that need it load it once and only read
    it); afterwards the database is flushed and reseeded. Yields what the command printed.

    On SQLite the loaded database is also kept in a file (tests/demo_copy.py); with `reuse`, a
    module that only needs the data (the browser tests) copies that file in instead of loading
    again, and yields "". `make test` loads it first, so `make e2e` after it reuses it."""
    import io

    from django.core.management import call_command
    from django.db import connection

    from tests import demo_copy

    out = io.StringIO()
    with django_db_blocker.unblock():
        copy = demo_copy.location() if connection.vendor == "sqlite" else None
        if reuse and copy is not None and copy.exists():
            demo_copy.restore(copy)
        else:
            reseed()  # an earlier transactional test may have flushed the regions and seeds
            call_command("demo_data", stdout=out)
            if copy is not None:
                demo_copy.keep(copy)
    try:
        yield out.getvalue()
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            reseed()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL the test connections do not wait for the WAL to reach the disk at each
    commit (`synchronous_commit=off`, a per-session setting, not the server's): the demo data
    set alone commits tens of thousands of small transactions. A crash could lose the last
    commits of a throwaway test database, nothing else; every statement still runs."""
    from django.db import connections

    for alias in connections:
        settings_dict = connections[alias].settings_dict
        if "postgresql" in settings_dict["ENGINE"]:
            options = settings_dict.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """Seed reference rows when the tables were built without migrations, and load Kutai
    Kartanegara's real regions once into the test database."""
    import importlib

    from django.apps import apps

    from kawal.regions.services import load_kukar

    with django_db_blocker.unblock():
        if request.config.getoption("nomigrations", False):
            for module in SEED_MIGRATIONS:
                importlib.import_module(module).seed(apps, None)
        load_kukar()


@pytest.fixture
def kukar(db):
    """Kukar's regions, reloaded if a transactional test flushed them."""
    from kawal.regions.models import Region
    from kawal.regions.services import load_kukar

    if not Region.objects.filter(code="64.02").exists():
        load_kukar()
    return Region.objects.get(code="64.02")


@pytest.fixture
def make_user(kukar):
    """make_user(role, region_code, username=None, agency=None): a user with one grant."""
    from kawal.accounts.models import Grant, User

    counter = {"n": 0}

    def make(role=Role.ADMIN_DINAS, region_code="64.02", username=None, agency=None, **extra):
        counter["n"] += 1
        user = User.objects.create_user(
            username or f"{role}-{counter['n']}",
            password="test-pass-123!",
            agency=agency,
            **extra,
        )
        Grant.objects.create(user=user, role=role, region_id=region_code)
        return user

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN_DINAS, "64.02", username="dinas-test")


@pytest.fixture
def make_cooperative(kukar):
    """make_cooperative(village_code): a KMP for that village, created directly."""
    from kawal.cooperatives.models import Cooperative
    from kawal.regions.models import Region

    def make(village_code="64.02.06.1001", **fields):
        village = Region.objects.get(code=village_code)
        fields.setdefault("name", f"Koperasi Desa Merah Putih {village.name}")
        return Cooperative.objects.create(village=village, **fields)

    return make


@pytest.fixture
def make_agency(kukar):
    def make(code="dpmd", short_name=None, region_code="64.02", **extra):
        from kawal.accounts.models import Agency

        return Agency.objects.create(
            code=code,
            name=extra.pop("name", f"Dinas {code.upper()}"),
            short_name=short_name or code.upper(),
            region_id=region_code,
            **extra,
        )

    return make


@pytest.fixture
def make_followup(admin_user):
    from kawal.followups.services import followup_create

    def make(agency, title="Kirim data lahan", due=None, region_code="64.02", **extra):
        return followup_create(
            actor=admin_user,
            title=title,
            owner_agency=agency,
            due_date=due or timezone.localdate() + datetime.timedelta(days=7),
            region_code=region_code,
            **extra,
        )

    return make


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def pdf_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name="bukti.pdf", content=PDF):
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make
