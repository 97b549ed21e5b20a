"""Follow-up writes. Other apps create their follow-ups only through `followup_create`."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.core.audit import audit, changes_between, snapshot
from kawal.core.codes import covers
from kawal.core.scope import (
    Cap,
    may_edit_followup,
    may_manage_followup,
    require,
    require_rule,
)
from kawal.core.services import bump_version
from kawal.core.uploads import shorten_name, validate_upload
from kawal.followups.models import OPEN_STATUSES, Evidence, FollowUp

Status = FollowUp.Status
SourceKind = FollowUp.SourceKind

# Which status may follow which; "dibatalkan" and re-opening are for whoever runs the programme
# in the region (Cap.MANAGE: the Dinas or the camat) only.
TRANSITIONS = {
    Status.BARU: {Status.DIKERJAKAN, Status.SELESAI, Status.DIBATALKAN},
    Status.DIKERJAKAN: {Status.SELESAI, Status.DIBATALKAN, Status.BARU},
    Status.SELESAI: {Status.DIKERJAKAN},
    Status.DIBATALKAN: {Status.BARU},
}
EDIT_ONLY_TARGETS = {Status.DIBATALKAN}

# The source's model name tells where a follow-up came from (mentoring visits, consultations,
# readiness assessments, meeting decisions); callers may also say it outright.
_KIND_HINTS = (
    ("decision", SourceKind.MEETING),
    ("meeting", SourceKind.MEETING),
    ("visit", SourceKind.VISIT),
    ("consult", SourceKind.CONSULTATION),
    ("assess", SourceKind.ASSESSMENT),
)


def source_kind_of(source) -> str:
    if source is None:
        return SourceKind.MANUAL
    name = source._meta.model_name
    return next((kind for hint, kind in _KIND_HINTS if hint in name), SourceKind.OTHER)


def _require_edit(actor, followup: FollowUp) -> None:
    from kawal.followups.selectors import followup_visible

    allowed = may_edit_followup(actor, followup.region_id, followup.owner_agency_id)
    if not allowed and not followup_visible(user=actor, followup=followup):
        raise Http404
    require_rule(allowed, _("Only the owner agency or the Dinas may change this follow-up."))


def agency_serves(agency, region_code: str) -> bool:
    """An agency owns follow-ups of its own regency: its region covers the region concerned, or
    it sits inside the same regency (a kecamatan office given a regency-wide task)."""
    if not region_code or not agency.region_id:
        return False
    return covers(agency.region_id, region_code) or (
        len(agency.region_id) >= 5 and agency.region_id[:5] == region_code[:5]
    )


def _check_required(owner_agency, due_date, region_code: str) -> None:
    errors = {}
    if owner_agency is None:
        errors["owner_agency"] = _("Choose the agency that owns this follow-up.")
    elif not agency_serves(owner_agency, region_code):
        errors["owner_agency"] = _(
            "%(agency)s does not serve this region: choose an agency of the same regency."
        ) % {"agency": owner_agency.short_name}
    if due_date in (None, ""):
        errors["due_date"] = _("Set a due date.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def followup_create(
    *,
    actor,
    title: str,
    owner_agency,
    due_date,
    region_code: str,
    description: str = "",
    owner_user=None,
    cooperative=None,
    source=None,
    source_kind: str | None = None,
) -> FollowUp:
    # Follow-ups entered by hand are the programme's own (Cap.MANAGE); those that come out of a
    # visit, a consultation or an assessment are created on behalf of its mentor or assessor,
    # who holds Cap.EDIT on the village (the caller has checked its own rights on the source).
    require(actor, Cap.MANAGE if source is None else Cap.EDIT, region_code)
    _check_required(owner_agency, due_date, region_code)
    followup = FollowUp(
        title=title,
        description=description,
        owner_agency=owner_agency,
        owner_user=owner_user,
        due_date=due_date,
        region_id=region_code,
        cooperative=cooperative,
        created_by=actor,
        source_kind=source_kind or source_kind_of(source),
    )
    if source is not None:
        followup.source_type = ContentType.objects.get_for_model(source)
        followup.source_id = source.pk
    followup.full_clean()
    followup.save()
    audit(
        actor=actor,
        action="followup_create",
        obj=followup,
        region_code=region_code,
        changes={k: [None, v] for k, v in snapshot(followup).items()},
    )
    return followup


EDITABLE = ("title", "description", "owner_agency", "owner_user", "due_date")


@transaction.atomic
def followup_update(*, actor, followup: FollowUp, expected_version=None, **fields) -> FollowUp:
    """Change what, who or when (the Dinas or camat only: an agency cannot move its own
    deadline, nor may a board or a mentor)."""
    require(actor, Cap.MANAGE, followup.region_id)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    _check_required(
        fields.get("owner_agency", followup.owner_agency),
        fields.get("due_date", followup.due_date),
        followup.region_id,
    )
    before = snapshot(followup, list(EDITABLE))
    for name, value in fields.items():
        setattr(followup, name, value)
    followup.full_clean()
    bump_version(followup, expected_version)
    followup.save()
    changes = changes_between(before, snapshot(followup, list(EDITABLE)))
    audit(
        actor=actor,
        action="followup_update",
        obj=followup,
        region_code=followup.region_id,
        changes=changes,
    )
    return followup


@transaction.atomic
def evidence_add(*, actor, followup: FollowUp, file=None, note: str = "") -> Evidence:
    """Attach a file (PDF/JPEG/PNG, checked by content) and/or a note as evidence."""
    _require_edit(actor, followup)
    note = (note or "").strip()
    if file is None and not note:
        raise ValidationError({"file": _("Attach a file or write a note describing the evidence.")})
    if file is not None:
        try:
            validate_upload(file)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
    evidence = Evidence(
        followup=followup,
        note=note,
        original_name=(shorten_name(file.name, 200) if file is not None else ""),
        created_by=actor,
    )
    if file is not None:
        evidence.file.save(file.name, file, save=False)
    evidence.save()
    audit(
        actor=actor,
        action="evidence_add",
        obj=followup,
        region_code=followup.region_id,
        changes={"evidence": [None, evidence.original_name or note[:80]]},
    )
    return evidence


@transaction.atomic
def followup_set_status(
    *, actor, followup: FollowUp, status: str, note: str = "", expected_version=None
) -> FollowUp:
    """Move a follow-up along baru → dikerjakan → selesai; "selesai" needs evidence first."""
    _require_edit(actor, followup)
    old = followup.status
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == old:
        raise ValidationError({"status": _("The follow-up already has this status.")})
    if status not in TRANSITIONS[old]:
        raise ValidationError(
            {
                "status": _("A follow-up cannot go from %(old)s to %(new)s.")
                % {"old": Status(old).label, "new": Status(status).label}
            }
        )
    reopening = old not in OPEN_STATUSES
    if status in EDIT_ONLY_TARGETS or reopening:
        require_rule(
            may_manage_followup(actor, followup.region_id),
            _("Only the Dinas or the camat may cancel or re-open a follow-up."),
        )
    if status == Status.SELESAI and not followup.evidence.exists():
        raise ValidationError(
            {
                "status": _(
                    "A follow-up can only be marked done with evidence: attach a file or note."
                )
            }
        )
    bump_version(followup, expected_version)
    followup.status = status
    followup.closed_at = None if status in OPEN_STATUSES else timezone.now()
    followup.full_clean()
    followup.save(update_fields=["status", "closed_at", "version", "updated_at"])
    audit(
        actor=actor,
        action="followup_status",
        obj=followup,
        region_code=followup.region_id,
        changes={"status": [old, status]},
        note=note,
    )
    return followup


@transaction.atomic
def followup_report(
    *,
    actor,
    followup: FollowUp,
    status: str = "",
    comment: str = "",
    file=None,
    evidence_note: str = "",
    expected_version=None,
) -> FollowUp:
    """One form on the detail page: add evidence and/or change the status, all or nothing."""
    _require_edit(actor, followup)
    has_evidence = file is not None or bool((evidence_note or "").strip())
    changes_status = bool(status) and status != followup.status
    if not has_evidence and not changes_status:
        raise ValidationError(
            {"status": _("Nothing to save: add evidence or choose a new status.")}
        )
    evidence = None
    try:
        if has_evidence:
            evidence = evidence_add(actor=actor, followup=followup, file=file, note=evidence_note)
        if changes_status:
            followup_set_status(
                actor=actor,
                followup=followup,
                status=status,
                note=comment,
                expected_version=expected_version,
            )
    except Exception:
        # The rows roll back with the transaction; the stored file must go too.
        if evidence is not None and evidence.file:
            evidence.file.delete(save=False)
        raise
    return followup
