"""Benchmarks (`make bench`; `make bench-small` in CI so none of them rots).

Each `bench_*.py` module here has `run(small: bool) -> list[Result]`. The runner gives every
module a fresh database: a temporary SQLite file, or with `--pg` a throwaway PostgreSQL database
on the server of `DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/postgres), copied
from one migrated once per run (or from the demo template, for modules with `USES_DEMO`). It prints a
table and writes JSON to benchmarks/results/. Numbers are compared with a baseline measured in
the same run, because these machines are noisy; budgets come from docs/ARCHITECTURE.md §5.
"""

import argparse
import importlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))


def _setup_database(pg: bool) -> tuple[str, callable]:
    if not pg:
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        return f"sqlite:///{path}", lambda: None
    import psycopg

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"kawal_bench_{uuid.uuid4().hex[:8]}"
    base = server.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return f"{base}/{name}", drop


def _use_database(url, connections, dj_database_url) -> None:
    connections.close_all()
    connections["default"].settings_dict.update(
        {k: v for k, v in dj_database_url.parse(url).items() if k in ("NAME", "HOST", "PORT")}
    )


def _copy_database(template_url: str, pg: bool) -> tuple[str, callable]:
    """A fresh database holding what the template holds: a file copy on SQLite, `CREATE DATABASE
    … TEMPLATE` on PostgreSQL. Much cheaper than loading the demo again."""
    if not pg:
        url, drop = _setup_database(pg)
        shutil.copyfile(template_url.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
        return url, drop
    import psycopg

    base, template = template_url.rsplit("/", 1)
    name = f"kawal_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    def drop():
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return f"{base}/{name}", drop


class MigratedTemplate:
    """An empty database with every migration applied, made once per run and copied for every
    module that does not use the demo (migrating each module's database was most of the small
    run); the demo template starts from a copy of it too."""

    def __init__(self, args, connections, dj_database_url):
        self.args, self.connections, self.parse = args, connections, dj_database_url
        self.url = self.drop = None

    def database(self) -> tuple[str, callable]:
        from django.core.management import call_command

        if self.url is None:
            self.url, self.drop = _setup_database(self.args.pg)
            _use_database(self.url, self.connections, self.parse)
            call_command("migrate", verbosity=0)
            self.connections.close_all()
        return _copy_database(self.url, self.args.pg)

    def close(self) -> None:
        if self.drop:
            self.connections.close_all()
            self.drop()


class DemoTemplate:
    """The Kukar regions and the full demo data set, loaded once per run and copied for every
    module that declares `USES_DEMO = True` (five modules measure pages on the demo; loading it
    five times was most of `make bench-small`). On SQLite, when `make test` has kept a copy of
    the demo loaded by this code on this day (tests/demo_copy.py), that copy is the template."""

    def __init__(self, args, connections, dj_database_url, migrated: MigratedTemplate):
        self.args, self.connections, self.parse = args, connections, dj_database_url
        self.migrated = migrated
        self.url = self.drop = None

    def database(self) -> tuple[str, callable]:
        from django.core.management import call_command

        from tests import demo_copy

        if self.url is None:
            kept = None if self.args.pg else demo_copy.location()
            if kept is not None and kept.exists():
                print(f"demo: the copy kept by make test ({kept})")
                self.url, self.drop = _copy_database(f"sqlite:///{kept}", pg=False)
            else:
                self.url, self.drop = self.migrated.database()
                _use_database(self.url, self.connections, self.parse)
                call_command("load_regions", verbosity=0)
                call_command("demo_data", verbosity=0)
                self.connections.close_all()
        return _copy_database(self.url, self.args.pg)

    def close(self) -> None:
        if self.drop:
            self.connections.close_all()
            self.drop()


def _run_module(
    name, args, connections, dj_database_url, migrated: MigratedTemplate, demo: DemoTemplate
) -> list[dict]:
    """One bench module on a fresh database (a copy of the migrated or of the demo template), so
    modules cannot disturb each other."""
    module = importlib.import_module(f"benchmarks.{name}")
    uses_demo = getattr(module, "USES_DEMO", False)
    url, drop = demo.database() if uses_demo else migrated.database()
    _use_database(url, connections, dj_database_url)
    try:
        started = time.perf_counter()
        rows = module.run(small=args.small)
        print(f"  {name}: {time.perf_counter() - started:.1f} s", flush=True)
        return rows
    finally:
        connections.close_all()
        drop()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="small sizes, for CI")
    parser.add_argument("--pg", action="store_true", help="run on PostgreSQL")
    parser.add_argument("only", nargs="*", help="bench module names (default: all)")
    args = parser.parse_args()

    url, drop = _setup_database(args.pg)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.settings")
    os.environ.setdefault("KAWAL_VAR_DIR", tempfile.mkdtemp())
    import dj_database_url
    import django
    from django.db import connections

    django.setup()
    from django.conf import settings

    # The demo's users and the modules' own users are created with passwords; the real PBKDF2
    # cost (about half a second each) is not what any benchmark measures (pages are opened with
    # force_login), so hash as the test suite does.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the bench modules drive pages with Django's test client
    drop()  # the first database only served to start Django; each module gets its own

    names = args.only or sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    rows = []
    migrated = MigratedTemplate(args, connections, dj_database_url)
    demo = DemoTemplate(args, connections, dj_database_url, migrated)
    try:
        for name in names:
            found = _run_module(name, args, connections, dj_database_url, migrated, demo)
            rows += [dict(r, bench=name) for r in found]
    finally:
        demo.close()
        migrated.close()
    engine = "postgresql" if args.pg else "sqlite"
    print(f"\n{'bench':<16} {'measure':<44} {'value':>12} {'unit':<6} {'budget':>8}  ratio")
    for r in rows:
        budget = r.get("budget")
        ratio = f"{r['value'] / budget:.2f}" if budget else ""
        print(
            f"{r['bench']:<16} {r['name']:<44} {r['value']:>12.3f} {r['unit']:<6} "
            f"{budget if budget is not None else '':>8}  {ratio}"
        )
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"{stamp}-{engine}{'-small' if args.small else ''}.json"
    out.write_text(
        json.dumps(
            {
                "engine": engine,
                "small": args.small,
                "python": platform.python_version(),
                "rows": rows,
            },
            indent=2,
        )
    )
    print(f"\nwritten: {out.relative_to(ROOT)}")
    over = [r for r in rows if r.get("budget") and r["value"] > r["budget"] and not args.small]
    for r in over:
        print(f"OVER BUDGET: {r['bench']} {r['name']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
