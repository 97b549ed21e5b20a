"""The one import flow of every spreadsheet or CSV import: read → check → dry run → commit.

An import declares an `ImportKind`: its columns, a `check(preview, user)` that runs the app's
own rules row by row and returns what the commit needs ("prepared"), and an
`apply(actor=…, rows=prepared)` that writes through the services. Both the dry run and the
commit then go through `run()`:

* the dry run executes `apply` inside a transaction that is rolled back, with a savepoint per
  row (`each_row`), so every rule of the commit — the services' own checks, the database's
  constraints, rules between rows of the same file — has run and every failing row is listed
  with its line number. A commit can therefore not fail on a rule the dry run passed (unless
  someone changed the data in between, which the commit then reports with the line);
* the commit executes the same `apply` in one transaction: every row or none.

`natural_key` documents how a row finds the record it updates (docs/imports.md lists them);
re-importing the same file changes nothing.
"""

import contextvars
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kawal.core import spreadsheets as sp


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: object
    columns: Sequence[sp.Column]
    check: Callable  # (preview, user) -> prepared rows for apply; adds row errors to preview
    apply: Callable  # (*, actor, rows) -> result (dict of counts, or a number of rows)
    natural_key: object = ""
    max_rows: int = sp.LIMITS.max_rows
    read: Callable | None = None  # (upload, kind) -> Preview; default: the first .xlsx sheet


@dataclass
class Outcome:
    preview: sp.Preview
    committed: bool = False
    result: object = None
    messages: list[str] = field(default_factory=list)


class RowErrors(ValidationError):
    """Raised by `each_row`: {line: [messages]} for the rows a write refused. It is a
    ValidationError (messages prefixed by the line), for callers outside the import flow."""

    def __init__(self, errors: dict):
        super().__init__(
            [
                (_("line %(line)s: %(error)s") % {"line": line, "error": m})
                if line is not None
                else m
                for line, found in errors.items()
                for m in found
            ]
        )
        self.errors = errors


_dry_run = contextvars.ContextVar("kawal_import_dry_run", default=False)


def messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            m if name == "__all__" else f"{name}: {m}"
            for name, found in error.message_dict.items()
            for m in found
        ]
    return list(error.messages)


def each_row(items: Iterable, write: Callable, *, line: Callable) -> None:
    """Write item by item. In a dry run each item gets its own savepoint so that a refused row
    does not hide the next ones; at the commit the first refusal stops (and rolls back) all.
    Refusals are raised together as RowErrors, keyed by `line(item)`."""
    errors: dict = {}
    dry = _dry_run.get()
    for item in items:
        try:
            if dry:
                with transaction.atomic():
                    write(item)
            else:
                write(item)
        except ValidationError as error:
            errors.setdefault(line(item), []).extend(messages_of(error))
            if not dry:
                break
    if errors:
        raise RowErrors(errors)


def read(kind: ImportKind, upload) -> sp.Preview:
    if kind.read is not None:
        return kind.read(upload, kind)
    return sp.read_xlsx(upload, kind.columns, max_rows=kind.max_rows)


def run(kind: ImportKind, upload, user, *, commit: bool) -> Outcome:
    """Dry run (commit=False) or commit one file; nothing is written unless committed."""
    preview = read(kind, upload)
    outcome = Outcome(preview=preview)
    if preview.file_errors:
        return outcome
    prepared = kind.check(preview, user)
    if not preview.ok:
        return outcome
    token = _dry_run.set(not commit)
    try:
        with transaction.atomic():
            try:
                outcome.result = kind.apply(actor=user, rows=prepared)
            except RowErrors as refused:
                _attach(preview, refused.errors)
            except ValidationError as error:
                preview.file_errors.extend(messages_of(error))
            if commit and preview.ok:
                outcome.committed = True
            else:
                transaction.set_rollback(True)
    finally:
        _dry_run.reset(token)
    return outcome


def _attach(preview: sp.Preview, errors: dict) -> None:
    by_line = {row.line: row for row in preview.rows}
    for line, found in errors.items():
        row = by_line.get(line)
        if row is None:
            preview.file_errors.extend(found)
        else:
            row.errors.extend(found)


# --- the page ------------------------------------------------------------------------------


def import_page(
    request, kinds: dict, *, template: str = "core/import.html", done_url=None, error_status=200
):
    """The import page of every app: choose the kind, upload, dry run, then commit.

    GET ?jenis=<code>&templat=1 downloads an empty template of the kind's columns."""
    from kawal.core.xlsx import xlsx_response

    code = request.POST.get("jenis") or request.GET.get("jenis") or next(iter(kinds))
    kind = kinds.get(code) or next(iter(kinds.values()))
    if request.GET.get("templat"):
        return xlsx_response(f"templat-{kind.code}.xlsx", sp.template_rows(kind.columns), [])
    context = {"kinds": kinds, "kind": kind, "columns": kind.columns}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("berkas")
        if upload is None:
            context["error"] = _("Choose a file.")
            return render(request, template, context, status=error_status)
        outcome = run(kind, upload, request.user, commit=request.POST.get("aksi") == "impor")
        context["preview"] = outcome.preview
        context["outcome"] = outcome
        if outcome.committed:
            messages.success(request, summary(outcome.result))
            return redirect(done_url or f"{request.path}?jenis={kind.code}")
        if not outcome.preview.ok:
            status = error_status
    return render(request, template, context, status=status)


def summary(result) -> str:
    if isinstance(result, dict):
        return (
            _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % result
        )
    return _("%(n)d rows imported.") % {"n": result or 0}
