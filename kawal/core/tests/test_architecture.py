"""The import direction of the apps, read from the source with `ast` (nothing is imported).

core → regions → accounts → cooperatives → followups → {domain apps} → reports → api: an app
may import a lower app, never a higher one; apps on the same level talk through followups, ids or
a selector of a lower app, except the pairs in SIDEWAYS. No app imports another app's views.
"""

import ast
from pathlib import Path

KAWAL = Path(__file__).resolve().parents[2]

LEVELS = [
    ["core"],
    ["regions"],
    ["accounts"],
    ["cooperatives"],
    ["followups"],
    [
        "formation",
        "readiness",
        "potential",
        "taskforce",
        "mentoring",
        "operations",
        "business",
        "training",
        "budget",
        "events",
    ],
    ["reports"],
    ["api"],
]
LEVEL = {app: n for n, apps in enumerate(LEVELS) for app in apps}

# Same-level reads that are allowed, each with its reason: (importer, imported) -> why.
SIDEWAYS = {
    ("readiness", "formation"): "the registry facts of a score include the formation steps",
    ("potential", "readiness"): "potential contributes a readiness resolver (its Facts type)",
    ("mentoring", "readiness"): "a mentor's caseload shows each cooperative's latest score",
    ("business", "mentoring"): "a BA reads and checks its caseload; missing reports per BA",
    ("business", "formation"): "the signboard and RAT rules need the legal-entity date",
    ("business", "events"): "a RAT's attendance list is an event's registration and check-in",
    ("training", "budget"): "a programme's funding line; a batch commits its cost (budget: ids)",
    ("training", "readiness"): "training needs from the latest assessment's gaps",
    ("training", "mentoring"): "training needs from the topics of walk-in consultations",
    ("training", "events"): "a batch's days are events (sessions); attendance is their check-in",
}

# Test modules may import lower or same-level apps; these few exercise a lower app's mechanism
# through the higher apps that feed it (module -> why).
TESTS_REACHING_UP = {
    "kawal/core/tests/test_audit.py": "audit rows are written by a real service",
    "kawal/core/tests/test_history.py": "history sentences of real cooperatives and regions",
    "kawal/core/tests/test_import_flow.py": "the import flow run on real cooperative imports",
    "kawal/core/tests/test_scope.py": "assignment sources come from cooperatives and mentoring",
    "kawal/core/tests/test_spreadsheets.py": "a column spec that looks up villages",
    "kawal/cooperatives/tests/test_import_access.py": "the list filters formation contributes",
    "kawal/cooperatives/tests/test_scheme_changes_and_reimports.py": "formation steps on re-import",
    "kawal/cooperatives/tests/test_views.py": "the sections formation contributes",
    "kawal/followups/tests/test_followups.py": "follow-ups of a mentoring assignment",
}

SKIPPED_DIRS = {"migrations", "locale", "static", "templates", "__pycache__"}
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _modules():
    for path in sorted(KAWAL.rglob("*.py")):
        parts = path.relative_to(KAWAL).parts
        if len(parts) < 2 or SKIPPED_DIRS & set(parts):
            continue  # kawal/settings.py, kawal/urls.py assemble every app
        yield parts[0], "tests" in parts or parts[-1] == "conftest.py", path


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted module) for every import and every lazy model reference ("app.Model")."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # `from kawal.x import views`
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in RELATION_FIELDS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    label = first.value.split(".")[0]
                    if label in LEVEL:
                        found.append((node.lineno, f"kawal.{label}.models"))
    return found


def violations(app: str, is_test: bool, source: str, name: str = "<source>") -> list[str]:
    """Import-direction problems of one module of `app`."""
    problems = []
    reaching_up = is_test and name in TESTS_REACHING_UP
    for line, module in sorted(set(_imports(ast.parse(source, filename=name)))):
        parts = module.split(".")
        if parts[0] != "kawal" or len(parts) < 2 or parts[1] not in LEVEL:
            continue
        other = parts[1]
        where = f"{name}:{line} imports {module}"
        if other != app and len(parts) > 2 and parts[2] == "views":
            problems.append(f"{where}: another app's views")
        if other == app or app not in LEVEL:
            continue
        if LEVEL[other] > LEVEL[app] and not reaching_up:
            problems.append(f"{where}: {other} is above {app}")
        elif LEVEL[other] == LEVEL[app] and not is_test and (app, other) not in SIDEWAYS:
            problems.append(f"{where}: {other} is on the same level as {app}")
    return list(
        dict.fromkeys(p.rsplit(" imports ", 1)[0] + ": " + p.split(": ", 1)[1] for p in problems)
    )


def test_every_app_has_a_level():
    apps = {p.name for p in KAWAL.iterdir() if (p / "apps.py").exists()}
    assert apps - LEVEL.keys() == set()


def test_no_app_imports_a_higher_app_a_sideways_app_or_another_apps_views():
    problems = []
    for app, is_test, path in _modules():
        name = str(path.relative_to(KAWAL.parent))
        problems += violations(app, is_test, path.read_text(encoding="utf-8"), name)
    assert problems == []


def test_every_allowance_is_still_needed():
    # An allowance nobody uses any more is removed, so the lists stay short and true.
    used_sideways, used_tests = set(), set()
    for app, is_test, path in _modules():
        name = str(path.relative_to(KAWAL.parent))
        for _line, module in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            parts = module.split(".")
            if parts[0] != "kawal" or len(parts) < 2 or parts[1] not in LEVEL or app not in LEVEL:
                continue
            if not is_test and (app, parts[1]) in SIDEWAYS:
                used_sideways.add((app, parts[1]))
            if is_test and LEVEL[parts[1]] > LEVEL[app]:
                used_tests.add(name)
    assert set(SIDEWAYS) - used_sideways == set()
    assert set(TESTS_REACHING_UP) - used_tests == set()


def test_core_imports_no_domain_app():
    for app, is_test, path in _modules():
        if app == "core" and not is_test:
            source = path.read_text(encoding="utf-8")
            assert not [
                m
                for _l, m in _imports(ast.parse(source))
                if m.startswith("kawal.") and m.split(".")[1] not in {"core"}
            ], path


def test_the_check_catches_each_kind_of_violation():
    # given modules that break each rule, then each is reported; a lower import is not
    assert violations("core", False, "from kawal.regions.models import Region")
    assert violations("regions", False, "import kawal.cooperatives.selectors")
    assert violations("formation", False, "from kawal.mentoring import selectors")
    assert violations("formation", False, "from kawal.cooperatives.views import apply_errors")
    assert violations("formation", False, "from kawal.cooperatives import views")
    assert violations("core", False, 'x = models.ForeignKey("regions.Region", on_delete=None)')
    assert violations("regions", True, "from kawal.formation.models import StepRecord")
    assert not violations("formation", False, "from kawal.cooperatives.models import Cooperative")
    assert not violations("readiness", False, "from kawal.formation.models import StepRecord")
    assert not violations("mentoring", True, "from kawal.formation.models import StepRecord")
