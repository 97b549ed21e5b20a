"""Benchmarks (`make bench`; `make bench-small` in CI so none of them rots).

Each `bench_*.py` module here has `run(small: bool) -> list[Result]`. The runner gives every
module a fresh database: a temporary SQLite file, or with `--pg` a throwaway PostgreSQL database
on the server of `DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/postgres). It prints a
table and writes JSON to benchmarks/results/. Numbers are compared with a baseline measured in
the same run, because these machines are noisy; budgets come from docs/ARCHITECTURE.md §5.
"""

import argparse
import importlib
import json
import os
import platform
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


def _run_module(name, args, connections, dj_database_url) -> list[dict]:
    """One bench module on a fresh, migrated database, so modules cannot disturb each other."""
    from django.core.management import call_command

    url, drop = _setup_database(args.pg)
    connections.close_all()
    connections["default"].settings_dict.update(
        {k: v for k, v in dj_database_url.parse(url).items() if k in ("NAME", "HOST", "PORT")}
    )
    try:
        call_command("migrate", verbosity=0)
        module = importlib.import_module(f"benchmarks.{name}")
        return module.run(small=args.small)
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
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the bench modules drive pages with Django's test client
    drop()  # the first database only served to start Django; each module gets its own

    names = args.only or sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    rows = []
    for name in names:
        rows += [dict(r, bench=name) for r in _run_module(name, args, connections, dj_database_url)]
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
