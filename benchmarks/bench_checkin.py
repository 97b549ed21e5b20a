"""The check-in surge (`benchmarks/checkin`) inside the common runner: it needs PostgreSQL and
gunicorn of its own, so it runs as a subprocess (its own throwaway database) and reports here.
Without a reachable PostgreSQL it reports nothing. Correctness (none lost, none doubled) fails
the run; speed is reported against the budget."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(small: bool) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = [sys.executable, "-m", "benchmarks.checkin", "--json", out.name]
        if small:
            cmd.append("--small")
        subprocess.run(cmd, cwd=ROOT, check=True)
        text = Path(out.name).read_text()
    if not text:
        return []  # skipped: no PostgreSQL
    result = json.loads(text)
    load, verify = result["load"], result["verify"]
    rows = [
        {"name": "check-ins per second (>= 1,000)", "value": load["rate"], "unit": "/s"},
        {"name": "check-in latency p50", "value": load["p50_ms"], "unit": "ms"},
        {"name": "check-in latency p99", "value": load["p99_ms"], "unit": "ms"},
        {
            "name": "lost + doubled check-ins",
            "value": verify["lost"] + verify["doubled"],
            "unit": "",
            "budget": 0.5,
        },
    ]
    if result["pgbench"].get("tps"):
        rows.append(
            {
                "name": "pgbench same SQL [baseline]",
                "value": result["pgbench"]["tps"],
                "unit": "tps",
            }
        )
        rows.append({"name": "ours / pgbench (>= 0.25)", "value": result["ratio"], "unit": "x"})
    return rows
