"""Every permission rule lives in `kawal.core.scope`: no app refuses on its own, compares roles,
or defines its own `may_*` rule or visibility filter. A rule an app needs is added to scope
(fed plain values such as ids and codes) and the app asks it."""

import ast
import re
from pathlib import Path

KAWAL = Path(__file__).resolve().parents[2]
RULE_NAME = re.compile(r"^_*(may_\w+|\w+_visible_q|read_q)$")
ROLE_MEMBER = re.compile(r"^[A-Z][A-Z0-9_]*$")
COMPARISONS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)


def _is_scope(path: Path) -> bool:
    rel = path.relative_to(KAWAL).as_posix()
    return rel == "core/scope.py" or rel.startswith("core/scope/")


def _sources():
    for path in sorted(KAWAL.rglob("*.py")):
        parts = path.relative_to(KAWAL).parts
        if "tests" in parts or "migrations" in parts or _is_scope(path):
            continue
        yield path


def _names_permission_denied(node) -> bool:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id == "PermissionDenied"
    return isinstance(node, ast.Attribute) and node.attr == "PermissionDenied"


def _is_role_operand(node) -> bool:
    """`x.role` or a `Role.MEMBER` (also inside a tuple/list/set of them)."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_role_operand(e) for e in node.elts)
    if not isinstance(node, ast.Attribute):
        return False
    if node.attr == "role":
        return True
    return (
        isinstance(node.value, ast.Name)
        and node.value.id == "Role"
        and bool(ROLE_MEMBER.match(node.attr))
    )


def violations(source: str, name: str = "<source>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Raise) and node.exc is not None:
            if _names_permission_denied(node.exc):
                found.append(f"{where} raises PermissionDenied")
        elif isinstance(node, ast.Compare):
            if any(isinstance(op, COMPARISONS) for op in node.ops) and any(
                _is_role_operand(operand) for operand in [node.left, *node.comparators]
            ):
                found.append(f"{where} compares roles")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and RULE_NAME.match(
            node.name
        ):
            found.append(f"{where} defines the rule {node.name}()")
    return found


def test_no_permission_rule_lives_outside_scope():
    # given every module of the project except scope, tests and migrations
    found = []
    for path in _sources():
        found += violations(path.read_text(), str(path.relative_to(KAWAL.parent)))
    # then none refuses, compares roles or defines a rule of its own
    assert found == [], "move these rules into kawal/core/scope.py:\n" + "\n".join(found)


def test_the_scan_sees_each_kind_of_violation():
    # given a module breaking each placement rule once
    source = """
from django.core.exceptions import PermissionDenied

def may_close(user, obj):
    return True

def helper(user, grant):
    if grant.role == "satgas":
        raise PermissionDenied("no")
    if any(g.role in (Role.PENGURUS, Role.ADMIN_DINAS) for g in user_grants(user)):
        raise PermissionDenied
    return Role.CAMAT != grant

def thing_visible_q(user):
    pass

def read_q(user):
    pass
"""
    # when scanned
    found = violations(source)
    # then every break is reported
    assert sum("raises PermissionDenied" in f for f in found) == 2
    assert sum("compares roles" in f for f in found) == 3
    assert sum("defines the rule" in f for f in found) == 3


def test_the_scan_leaves_ordinary_code_alone():
    # given code that names roles without comparing them, and catches PermissionDenied
    source = """
def label(user, grant):
    try:
        roles = [Role(grant.role).label for r in Role.values if r in Role.values]
    except PermissionDenied:
        roles = []
    return Grant(role=Role.CAMAT), roles
"""
    # then it is not reported
    assert violations(source) == []


def test_scope_itself_is_excluded_and_scanned_files_exist():
    # given the scanned set
    scanned = {p.relative_to(KAWAL).as_posix() for p in _sources()}
    # then it covers the apps but not the permission module
    assert "core/scope.py" not in scanned
    assert "followups/services.py" in scanned and "mentoring/selectors.py" in scanned
