"""Formation writes: step records (with the order rules), evidence documents, targets, notaries."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.core.audit import audit, changes_between, snapshot
from kawal.core.formats import tanggal
from kawal.core.scope import Cap, can, require
from kawal.core.services import bump_version
from kawal.core.uploads import safe_filename, validate_upload
from kawal.formation import steps as pipeline
from kawal.formation.models import Notary, StepDocument, StepRecord, StepTarget

Status = StepRecord.Status


def home_region() -> str:
    """Targets and notaries are set by the Dinas of the deployment's home region."""
    return settings.KAWAL_HOME_REGION


def _step_of(cooperative, code: str) -> pipeline.Step:
    try:
        return pipeline.step_for(cooperative.scheme, code)
    except KeyError:
        raise ValidationError(
            {"step": _("This step is not part of the cooperative's scheme.")}
        ) from None


def _records(cooperative) -> dict[str, StepRecord]:
    return {r.step: r for r in StepRecord.objects.filter(cooperative=cooperative)}


def _check_order(cooperative, step: pipeline.Step, record: StepRecord, others: dict) -> None:
    """The order rules (docs/DOMAIN.md §3): a step is done only after the steps it requires."""
    if record.status == Status.SELESAI:
        for code in step.requires:
            before = others.get(code)
            required = pipeline.step_for(cooperative.scheme, code)
            if before is None or before.status != Status.SELESAI:
                raise ValidationError(
                    _("“%(step)s” cannot be completed yet: “%(required)s” must be completed first.")
                    % {"step": step.label, "required": required.label},
                    code="order",
                )
            if before.completed_on and record.completed_on:
                earliest = before.completed_on + datetime.timedelta(days=step.min_days)
                if record.completed_on < earliest:
                    if step.min_days:
                        message = _(
                            "“%(step)s” can be completed at the earliest %(days)s days after "
                            "“%(required)s” (%(date)s)."
                        )
                    else:
                        message = _(
                            "The completion date cannot be earlier than the completion of "
                            "“%(required)s” (%(date)s)."
                        )
                    raise ValidationError(
                        {
                            "completed_on": message
                            % {
                                "step": step.label,
                                "days": step.min_days,
                                "required": required.label,
                                "date": tanggal(earliest),
                            }
                        },
                        code="order",
                    )
        # A correction of the date must not overtake the completed steps that depend on it.
        for later in pipeline.dependents_of(cooperative.scheme, step.code):
            done = others.get(later.code)
            if done is None or done.status != Status.SELESAI or not done.completed_on:
                continue
            if not record.completed_on:
                continue
            latest = done.completed_on - datetime.timedelta(days=later.min_days)
            if record.completed_on > latest:
                if later.min_days:
                    message = _(
                        "“%(later)s”, completed on %(done)s, can only follow “%(step)s” after "
                        "%(days)s days: “%(step)s” must be completed on %(date)s at the latest. "
                        "Correct “%(later)s” first."
                    )
                else:
                    message = _(
                        "The completion date cannot be later than the completion of "
                        "“%(later)s” (%(done)s), which depends on this step. Correct "
                        "“%(later)s” first."
                    )
                raise ValidationError(
                    {
                        "completed_on": message
                        % {
                            "step": step.label,
                            "later": later.label,
                            "days": later.min_days,
                            "done": tanggal(done.completed_on),
                            "date": tanggal(latest),
                        }
                    },
                    code="order",
                )
    else:
        for later in pipeline.dependents_of(cooperative.scheme, step.code):
            done = others.get(later.code)
            if done is not None and done.status == Status.SELESAI:
                raise ValidationError(
                    _(
                        "“%(step)s” cannot be reopened while “%(later)s”, which depends on it, "
                        "is completed. Correct “%(later)s” first."
                    )
                    % {"step": step.label, "later": later.label},
                    code="order",
                )


def _check_evidence(step: pipeline.Step, record: StepRecord) -> None:
    today = timezone.localdate()
    errors = {}
    if record.started_on and record.started_on > today:
        errors["started_on"] = _("The start date cannot be in the future.")
    if record.completed_on and record.completed_on > today:
        errors["completed_on"] = _("The completion date cannot be in the future.")
    if record.started_on and record.completed_on and record.completed_on < record.started_on:
        errors["completed_on"] = _("The step cannot be completed before it started.")
    if record.status == Status.SELESAI:
        if not record.completed_on:
            errors.setdefault("completed_on", _("Enter the date the step was completed."))
        if step.number and not record.document_number.strip():
            errors["document_number"] = _("Enter the %(number)s.") % {"number": step.number}
        if step.needs_notary and record.notary_id is None:
            errors["notary"] = _("Choose the NPAK notary who made the deed.")
    elif record.completed_on:
        errors["completed_on"] = _("Only a completed step has a completion date.")
    if record.status == Status.BERMASALAH and not record.notes.strip():
        errors["notes"] = _("Describe the problem in the notes.")
    if errors:
        raise ValidationError(errors)


def completes_directly(actor, cooperative) -> bool:
    """The Dinas (VERIFY) and the camat (MANAGE) record a completion directly; a cooperative's
    board or a mentor submits it with its document and the Dinas's verification completes it."""
    village = cooperative.village_id
    return can(actor, Cap.VERIFY, village) or can(actor, Cap.MANAGE, village)


SUBMIT_INSTEAD = _(
    "A completed step is confirmed by the Dinas: mark the step done with its document "
    "attached; the step is completed when the Dinas verifies the document."
)


@transaction.atomic
def step_update(
    *,
    actor,
    cooperative,
    step: str,
    status: str,
    started_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    document_number: str = "",
    notary=None,
    notes: str = "",
    expected_version: int | None = None,
) -> StepRecord:
    """Record the state of one step. `expected_version` is the version the form was based on
    (0 when no record existed); a stale save is refused. Changes to a completed step are
    corrections: allowed, and audited as such."""
    require(actor, Cap.EDIT, cooperative.village_id)
    definition = _step_of(cooperative, step)
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    others = {
        r.step: r for r in StepRecord.objects.select_for_update().filter(cooperative=cooperative)
    }
    record = others.pop(step, None)
    if record is None:
        if expected_version:
            raise ValidationError(_("The step changed meanwhile; reload the page."), code="stale")
        record = StepRecord(cooperative=cooperative, step=step)
        before = {}
    else:
        if expected_version == 0:
            from kawal.core.services import STALE_MESSAGE

            raise ValidationError(STALE_MESSAGE, code="stale")
        before = snapshot(record)
    was_done = before.get("status") == Status.SELESAI
    record.status = status
    if status == Status.BELUM:
        record.started_on = None
    else:
        record.started_on = started_on or record.started_on or completed_on
    record.completed_on = completed_on if status == Status.SELESAI else None
    record.document_number = (document_number or "").strip()
    record.notary = notary
    record.notes = (notes or "").strip()
    if before.get("status") != status:
        record.moved_at = timezone.now()
    if status == Status.SELESAI and not completes_directly(actor, cooperative):
        same = was_done and all(
            before.get(key) == value
            for key, value in snapshot(
                record, ["completed_on", "document_number", "notary"]
            ).items()
        )
        if not same:  # only the notes of a completed step may change without the Dinas
            raise ValidationError({"status": SUBMIT_INSTEAD}, code="needs_verification")
    _check_evidence(definition, record)
    _check_order(cooperative, definition, record, others)
    record.full_clean(exclude=["cooperative"])
    changes = changes_between(before, snapshot(record))
    if before and not changes:
        return record
    if record.pk:
        bump_version(record, expected_version)
    record.save()
    audit(
        actor=actor,
        action="step_correct" if was_done else "step_update",
        obj=record,
        region_code=cooperative.village_id,
        changes=changes,
        note=str(definition.label),
    )
    return record


# --- Documents -----------------------------------------------------------------------------


@transaction.atomic
def document_upload(*, actor, cooperative, step: str, kind: str, file) -> StepDocument:
    """Attach evidence to a step. Uploads by someone who may not verify wait for the Dinas."""
    require(actor, Cap.EDIT, cooperative.village_id)
    _step_of(cooperative, step)
    kind = (kind or "").strip()
    if not kind:
        raise ValidationError({"kind": _("Say what the document is.")})
    try:
        validate_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    record, _created = StepRecord.objects.get_or_create(cooperative=cooperative, step=step)
    verifier = can(actor, Cap.VERIFY, cooperative.village_id)
    original = safe_filename(getattr(file, "name", "") or "berkas")
    document = StepDocument(
        record=record,
        kind=kind[:60],
        original_name=original,
        uploaded_by=actor,
        status=StepDocument.Status.VERIFIED if verifier else StepDocument.Status.SUBMITTED,
        verified_by=actor if verifier else None,
        verified_at=timezone.now() if verifier else None,
    )
    document.file.save(original, file, save=False)
    document.save()
    audit(
        actor=actor,
        action="document_upload",
        obj=document,
        region_code=cooperative.village_id,
        changes={
            "step": [None, step],
            "kind": [None, document.kind],
            "file": [None, original],
            "status": [None, document.status],
        },
    )
    return document


@transaction.atomic
def step_submit_completion(
    *,
    actor,
    cooperative,
    step: str,
    completed_on: datetime.date | None,
    file,
    kind: str = "",
    document_number: str = "",
    notary=None,
    started_on: datetime.date | None = None,
    notes: str = "",
) -> StepDocument:
    """A board (or mentor) reports a step done: the step stays "proses" and the document, with
    the claimed date, number and notary, waits for the Dinas. Verifying it completes the step
    (document_verify); rejecting it leaves the step open with the reason."""
    require(actor, Cap.EDIT, cooperative.village_id)
    definition = _step_of(cooperative, step)
    others = {
        r.step: r for r in StepRecord.objects.select_for_update().filter(cooperative=cooperative)
    }
    record = others.pop(step, None) or StepRecord(cooperative=cooperative, step=step)
    if record.status == Status.SELESAI:
        raise ValidationError(_("This step is already completed."), code="done")
    if (
        record.pk
        and record.documents.filter(
            completes_step=True, status=StepDocument.Status.SUBMITTED
        ).exists()
    ):
        raise ValidationError(
            _("A completion of this step is already waiting for the Dinas's verification."),
            code="pending",
        )
    if file is None:
        raise ValidationError({"file": _("Attach the document that shows the step was completed.")})
    # The claim must already pass the rules that the completion will be held to.
    claim = StepRecord(
        cooperative=cooperative,
        step=step,
        status=Status.SELESAI,
        started_on=started_on or record.started_on or completed_on,
        completed_on=completed_on,
        document_number=(document_number or "").strip(),
        notary=notary,
    )
    _check_evidence(definition, claim)
    _check_order(cooperative, definition, claim, others)
    before = snapshot(record) if record.pk else {}
    if record.status != Status.PROSES:
        record.moved_at = timezone.now()
    record.status = Status.PROSES
    record.started_on = claim.started_on
    if notes.strip():
        record.notes = notes.strip()
    record.full_clean(exclude=["cooperative"])
    changes = changes_between(before, snapshot(record))
    if record.pk and changes:
        bump_version(record, None)
    record.save()
    if changes:
        audit(
            actor=actor,
            action="step_update",
            obj=record,
            region_code=cooperative.village_id,
            changes=changes,
            note=str(definition.label),
        )
    kind = (kind or "").strip() or str(
        definition.documents[0] if definition.documents else definition.label
    )
    try:
        validate_upload(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    original = safe_filename(getattr(file, "name", "") or "berkas")
    document = StepDocument(
        record=record,
        kind=kind[:60],
        original_name=original,
        uploaded_by=actor,
        status=StepDocument.Status.SUBMITTED,
        completes_step=True,
        claimed_completed_on=claim.completed_on,
        claimed_number=claim.document_number,
        claimed_notary=notary,
    )
    document.file.save(original, file, save=False)
    document.save()
    audit(
        actor=actor,
        action="step_submit",
        obj=document,
        region_code=cooperative.village_id,
        changes={
            "step": [None, step],
            "kind": [None, document.kind],
            "file": [None, original],
            "completed_on": [None, str(claim.completed_on)],
            "document_number": [None, claim.document_number],
            "notary": [None, str(notary) if notary else None],
        },
        note=str(definition.label),
    )
    return document


@transaction.atomic
def document_verify(*, actor, document, approve: bool, reason: str = "") -> StepDocument:
    cooperative = document.record.cooperative
    require(actor, Cap.VERIFY, cooperative.village_id)
    locked = StepDocument.objects.select_for_update().get(pk=document.pk)
    if locked.status != StepDocument.Status.SUBMITTED:
        raise ValidationError(_("This document has already been checked."), code="decided")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    before = snapshot(locked, ["status", "reason"])
    locked.status = StepDocument.Status.VERIFIED if approve else StepDocument.Status.REJECTED
    locked.reason = "" if approve else reason
    locked.verified_by = actor
    locked.verified_at = timezone.now()
    locked.save()
    audit(
        actor=actor,
        action="document_verify" if approve else "document_reject",
        obj=locked,
        region_code=cooperative.village_id,
        changes=changes_between(before, snapshot(locked, ["status", "reason"])),
    )
    if approve and locked.completes_step:
        # The Dinas's verification completes the step with the submitted values; a rule broken
        # meanwhile (e.g. a required step reopened) refuses the verification as a whole.
        record = StepRecord.objects.get(pk=locked.record_id)
        if record.status != Status.SELESAI:
            step_update(
                actor=actor,
                cooperative=cooperative,
                step=record.step,
                status=Status.SELESAI,
                started_on=record.started_on,
                completed_on=locked.claimed_completed_on,
                document_number=locked.claimed_number,
                notary=locked.claimed_notary,
                notes=record.notes,
                expected_version=record.version,
            )
    return locked


# --- Targets -------------------------------------------------------------------------------


@transaction.atomic
def target_set(*, actor, scheme: str, step: str, due_date: datetime.date | None) -> StepTarget:
    """Set (or, with no date, remove) the Dinas's target date for a step of a scheme."""
    require(actor, Cap.VERIFY, home_region())
    if scheme not in pipeline.STEPS_BY_SCHEME or step not in {
        s.code for s in pipeline.steps_for(scheme)
    }:
        raise ValidationError(_("This step is not part of the scheme."))
    target = StepTarget.objects.filter(scheme=scheme, step=step).first()
    old = str(target.due_date) if target else None
    if due_date is None:
        if target is None:
            return None
        pk = target.pk
        target.delete()
        target.pk = pk
        audit(
            actor=actor,
            action="target_remove",
            obj=target,
            region_code=home_region(),
            changes={"due_date": [old, None]},
        )
        return None
    if target is None:
        target = StepTarget(scheme=scheme, step=step)
    target.due_date = due_date
    target.full_clean()
    if old == str(due_date):
        return target
    target.save()
    audit(
        actor=actor,
        action="target_set",
        obj=target,
        region_code=home_region(),
        changes={"due_date": [old, str(due_date)]},
    )
    return target


# --- Notaries ------------------------------------------------------------------------------

NOTARY_FIELDS = (
    "name",
    "seat",
    "province",
    "ahu_number",
    "appointment_decree",
    "training_certificate",
    "email",
    "phone",
    "phone_2",
    "office_phone",
    "address",
    "is_active",
)


@transaction.atomic
def notary_save(*, actor, notary: Notary | None = None, expected_version=None, **fields):
    require(actor, Cap.VERIFY, home_region())
    extra = set(fields) - set(NOTARY_FIELDS)
    if extra:
        raise TypeError(f"unknown fields: {sorted(extra)}")
    creating = notary is None
    notary = notary or Notary()
    before = {} if creating else snapshot(notary)
    for key, value in fields.items():
        setattr(notary, key, value.strip() if isinstance(value, str) else value)
    notary.full_clean()
    changes = changes_between(before, snapshot(notary))
    if not creating and not changes:
        return notary
    if not creating:
        bump_version(notary, expected_version)
    notary.save()
    audit(
        actor=actor,
        action="notary_create" if creating else "notary_update",
        obj=notary,
        region_code=home_region(),
        changes=changes,
    )
    return notary


# --- Reminders (system task: no actor) -----------------------------------------------------


@transaction.atomic
def reminders_build(*, on: datetime.date, days: int = 7) -> dict:
    """Write the reminder list of day `on`: every step, per cooperative, that passes its target
    within `days` days or has passed it. Idempotent: a second run the same day replaces the
    list. Run by the daily task (formation.tasks.daily_reminders) as the system, so it has no
    actor and no permission check; it writes no personal data."""
    from kawal.cooperatives.models import Cooperative
    from kawal.formation.models import Reminder
    from kawal.formation.selectors import due_steps

    found = due_steps(cooperatives=Cooperative.objects.all(), on=on, days=days)
    Reminder.objects.filter(run_on=on).delete()
    Reminder.objects.bulk_create(
        [
            Reminder(cooperative_id=pk, step=step, due_date=due, run_on=on)
            for pk, step, due in found
        ],
        batch_size=2000,
    )
    overdue = sum(1 for _pk, _step, due in found if due < on)
    return {
        "run_on": str(on),
        "reminders": len(found),
        "overdue": overdue,
        "cooperatives": len({pk for pk, _step, _due in found}),
    }
