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

A page may carry a fixed context that the file itself does not hold (the cooperative of a KMP's
own Excel book comes from the URL): the kind declares `bind(user, params)`, which checks the
params against the user's scope (Http404 outside it) and returns the kind bound to them. The
params are kept with the job, and every step — upload, import by token, status, the worker —
binds again, so a grant withdrawn between the dry run and the commit stops the import.
"""

import contextvars
import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
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
    read: Callable | None = None  # (upload, kind) -> Preview; default: .xlsx (first sheet) or .csv
    # (user, params: dict) -> the ImportKind bound to the page's fixed context; Http404 when the
    # user may not import there. None: the kind needs no context.
    bind: Callable | None = None
    accept: tuple[str, ...] = ("xlsx", "csv")  # file types offered by the page


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
    items = list(items)
    phase = "checking" if dry else "writing"
    for done, item in enumerate(items):
        if done % PROGRESS_EVERY == 0:
            _report(done, len(items), phase)
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


def in_batches(items: Iterable, write_batch: Callable, *, size: int = 2000) -> None:
    """The bulk counterpart of `each_row`, for a service that writes many items at once and
    raises RowErrors keyed by its items' keys (e.g. `potential.services.commodities_save`).
    Each batch runs in a savepoint; a dry run gathers the refusals of every batch, a commit
    stops at the first. Progress is reported per batch."""
    errors: dict = {}
    dry = _dry_run.get()
    items = list(items)
    phase = "checking" if dry else "writing"
    for start in range(0, len(items), size):
        _report(start, len(items), phase)
        try:
            with transaction.atomic():
                write_batch(items[start : start + size])
        except RowErrors as refused:
            for key, found in refused.errors.items():
                errors.setdefault(key, []).extend(found)
            if not dry:
                break
    if errors:
        raise RowErrors(errors)


def read(kind: ImportKind, upload) -> sp.Preview:
    if kind.read is not None:
        return kind.read(upload, kind)
    return sp.read_table(upload, kind.columns, max_rows=kind.max_rows)


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


# --- progress (a small file beside the upload: visible across processes and transactions) ---

_progress = contextvars.ContextVar("kawal_import_progress", default=None)
PROGRESS_EVERY = 200


def _report(done: int, total: int, phase: str) -> None:
    path = _progress.get()
    if path is not None:
        Path(path).write_text(json.dumps({"done": done, "total": total, "phase": phase}))


def read_progress(job) -> dict:
    try:
        return json.loads(_progress_path(job).read_text())
    except (OSError, ValueError):
        return {"done": 0, "total": 0, "phase": "reading"}


# --- jobs: the file kept under an opaque token; run in the request or in the worker ----------


def _store_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _file_path(job) -> Path:
    return _store_dir() / f"{job.token}.upload"


def _progress_path(job) -> Path:
    return _store_dir() / f"{job.token}.progress"


def _discard(job) -> None:
    for path in (_file_path(job), _progress_path(job)):
        path.unlink(missing_ok=True)


def purge_expired() -> int:
    """Delete jobs (and their files) past their expiry; returns how many."""
    from kawal.core.models import ImportJob

    expired = list(ImportJob.objects.filter(expires_at__lt=timezone.now()))
    for job in expired:
        _discard(job)
    ImportJob.objects.filter(pk__in=[j.pk for j in expired]).delete()
    return len(expired)


def job_create(*, user, flow: str, kind: ImportKind, upload, context: dict | None = None):
    """Keep the upload server-side under a new opaque token."""
    from kawal.core.models import ImportJob

    purge_expired()
    job = ImportJob(
        token=secrets.token_urlsafe(32),
        user=user,
        flow=flow,
        kind=kind.code,
        context=context or {},
        file_name=(getattr(upload, "name", "") or "")[-255:],
        size=getattr(upload, "size", 0) or 0,
        expires_at=timezone.now() + timedelta(seconds=settings.KAWAL_IMPORT_KEEP_SECONDS),
    )
    upload.seek(0)
    with open(_file_path(job), "wb") as target:
        while chunk := upload.read(1024 * 1024):
            target.write(chunk)
    job.save()
    return job


def job_get(*, user, token: str):
    """The user's own unexpired job; 404 for anyone else's, unknown or expired tokens."""
    from kawal.core.models import ImportJob

    job = ImportJob.objects.filter(
        token=token or "", user=user, expires_at__gte=timezone.now()
    ).first()
    if job is None:
        raise Http404
    return job


def kinds_of(job) -> dict:
    return import_string(job.flow)


def bound(kind: ImportKind, user, context: dict | None) -> ImportKind:
    """The kind bound to the page's fixed context, checked against `user`'s scope (Http404)."""
    if kind.bind is None:
        return kind
    return kind.bind(user, dict(context or {}))


def kind_of(job, user) -> ImportKind:
    """The job's kind, bound again to the job's context for `user` (every step checks scope)."""
    return bound(kinds_of(job)[job.kind], user, job.context)


def job_start(job, *, commit: bool) -> None:
    """Run the job now (small files) or enqueue it for the worker (above the threshold)."""
    job.commit = commit
    job.in_worker = job.size > settings.KAWAL_IMPORT_WORKER_BYTES
    job.status = job.Status.QUEUED
    job.result = {}
    job.save(update_fields=["commit", "in_worker", "status", "result"])
    _progress_path(job).unlink(missing_ok=True)
    if job.in_worker:
        from kawal.core.tasks import run_import_job

        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    else:
        job_run(job)


def job_run(job) -> None:
    """Execute a job's dry run or commit (in the request, or in the worker's task)."""
    from django.contrib.auth import get_user_model

    job.status = job.Status.RUNNING
    job.save(update_fields=["status"])
    user = get_user_model().objects.get(pk=job.user_id)
    kind = kinds_of(job)[job.kind]
    token = _progress.set(str(_progress_path(job)))
    try:
        kind = bound(kind, user, job.context)
        with open(_file_path(job), "rb") as handle:
            upload = File(handle, name=job.file_name)
            upload.size = job.size
            outcome = run(kind, upload, user, commit=job.commit)
    except FileNotFoundError:
        outcome = Outcome(preview=sp.Preview(columns=kind.columns))
        outcome.preview.file_errors.append(_("The uploaded file has expired; upload it again."))
    except Http404:  # the context left the user's scope since the upload
        outcome = Outcome(preview=sp.Preview(columns=kind.columns))
        outcome.preview.file_errors.append(_("You may no longer import here."))
    finally:
        _progress.reset(token)
    job.result = _serialise(outcome)
    if outcome.committed:
        job.status = job.Status.DONE
        _discard(job)  # used: the file goes
    elif outcome.preview.ok:
        job.status = job.Status.CHECKED
    else:
        job.status = job.Status.FAILED
    job.save(update_fields=["status", "result"])


MAX_SHOWN_ERROR_ROWS = 500


def _serialise(outcome: Outcome) -> dict:
    preview = outcome.preview
    return {
        "file_errors": [str(e) for e in preview.file_errors],
        "warnings": [str(w) for w in preview.warnings],
        "rows": len(preview.rows),
        "error_count": len(preview.error_rows),
        "error_rows": [
            {"line": r.line, "errors": [str(e) for e in r.errors]}
            for r in preview.error_rows[:MAX_SHOWN_ERROR_ROWS]
        ],
        "result": outcome.result if isinstance(outcome.result, dict | int) else None,
        "committed": outcome.committed,
    }


class StoredPreview:
    """A job's stored result, shaped like a Preview for components/import_preview.html."""

    def __init__(self, result: dict):
        self.file_errors = result.get("file_errors", [])
        self.warnings = result.get("warnings", [])
        self.rows = range(result.get("rows", 0))
        self.error_rows = [
            sp.Row(line=r["line"], values={}, errors=r["errors"])
            for r in result.get("error_rows", [])
        ]
        self.error_count = result.get("error_count", len(self.error_rows))
        self.ok = not self.file_errors and bool(self.rows) and not self.error_count
        self.result = result.get("result")


# --- the page ------------------------------------------------------------------------------


def import_page(
    request,
    kinds: dict,
    *,
    flow: str,
    template="core/import.html",
    done_url=None,
    error_status=200,
    params: dict | None = None,
    extra: dict | None = None,
):
    """The import page of every app: choose the kind, upload and check (dry run), then import
    the checked file by its token. GET ?jenis=<code>&templat=1 downloads an empty template.

    `flow` is the dotted path of `kinds` (the worker finds the import by it). `params` is the
    page's fixed context for kinds that `bind` one (e.g. {"koperasi": pk} from the URL); it is
    kept with the job and checked again at every step. `extra` goes to the template."""
    from kawal.core.xlsx import xlsx_response

    params = params or {}
    code = request.POST.get("jenis") or request.GET.get("jenis") or next(iter(kinds))
    kind = kinds.get(code) or next(iter(kinds.values()))
    if request.GET.get("templat"):  # ?jenis=<kind>&templat=1, or ?templat=<kind>
        kind = kinds.get(request.GET["templat"], kind)
        return xlsx_response(f"templat-{kind.code}.xlsx", sp.template_rows(kind.columns), [])
    kind = bound(kind, request.user, params)
    context = {"kinds": kinds, "kind": kind, "columns": kind.columns, **(extra or {})}
    if request.method != "POST":
        return render(request, template, context)
    commit = request.POST.get("aksi") == "impor"
    upload = request.FILES.get("berkas")
    if upload is not None:
        job = job_create(user=request.user, flow=flow, kind=kind, upload=upload, context=params)
    elif request.POST.get("token"):
        job = job_get(user=request.user, token=request.POST["token"])
        stale = job.flow != flow or job.kind != kind.code or job.context != params
        if stale or job.status in (job.Status.QUEUED, job.Status.RUNNING):
            return redirect(f"{request.path}?jenis={kind.code}")
    else:
        context["error"] = _("Choose a file.")
        return render(request, template, context, status=error_status)
    with transaction.atomic():
        job_start(job, commit=commit)
    if job.status == job.Status.DONE:
        _announce(request, job)
        return redirect(done_url or f"{request.path}?jenis={kind.code}")
    context.update(job_context(job))
    status = error_status if job.status == job.Status.FAILED else 200
    return render(request, template, context, status=status)


def job_context(job) -> dict:
    preview = StoredPreview(job.result) if job.result else None
    busy = job.status in (job.Status.QUEUED, job.Status.RUNNING)
    return {
        "job": job,
        "busy": busy,
        "progress": read_progress(job) if busy else None,
        "preview": preview,
        "outcome": preview,
    }


def job_status(request, token: str):
    """The htmx-polled progress of a job running in the worker (core:import_status)."""
    job = job_get(user=request.user, token=token)
    kinds = kinds_of(job)
    kind = kind_of(job, request.user)
    if job.status == job.Status.DONE:
        _announce(request, job)
        response = render(request, "core/import.html#result", {"job": job, "kind": kind})
        response["HX-Refresh"] = "true"
        return response
    context = {"kinds": kinds, "kind": kind, **job_context(job)}
    return render(request, "core/import.html#result", context)


def _announce(request, job) -> None:
    result = job.result.get("result")
    messages.success(request, summary(result))
    for warning in (result or {}).get("warnings", []) if isinstance(result, dict) else []:
        messages.warning(request, warning)


def summary(result) -> str:
    if isinstance(result, dict):
        return (
            _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % result
        )
    return _("%(n)d rows imported.") % {"n": result or 0}
