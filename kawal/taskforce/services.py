"""Satgas writes: letterhead, agencies, decrees and members, meetings, attendance, minutes,
decisions (each followed up through `followups.services.followup_create`)."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.accounts.models import Agency
from kawal.core.audit import audit, changes_between, snapshot
from kawal.core.formats import tanggal
from kawal.core.scope import Cap, require
from kawal.core.services import bump_version
from kawal.core.uploads import validate_upload
from kawal.followups.models import FollowUp
from kawal.followups.services import followup_create
from kawal.taskforce.models import (
    Decision,
    Decree,
    DecreeAgency,
    DecreeMember,
    Invitee,
    Letterhead,
    Meeting,
    MeetingSeries,
)

MAX_SERIES = 52


def _created(obj) -> dict:
    return {k: [None, str(v) if isinstance(v, uuid.UUID) else v] for k, v in snapshot(obj).items()}


# --- letterhead -----------------------------------------------------------------------------

LETTERHEAD_FIELDS = (
    "government",
    "office",
    "address",
    "contact",
    "city",
    "signer_title",
    "signer_name",
    "signer_nip",
)


@transaction.atomic
def letterhead_save(*, actor, region_code: str, **fields) -> Letterhead:
    require(actor, Cap.MANAGE, region_code)
    letterhead, _created_now = Letterhead.objects.get_or_create(region_id=region_code)
    before = snapshot(letterhead, list(LETTERHEAD_FIELDS))
    for name, value in fields.items():
        if name not in LETTERHEAD_FIELDS:
            raise TypeError(name)
        setattr(letterhead, name, value)
    letterhead.full_clean()
    letterhead.save()
    audit(
        actor=actor,
        action="letterhead_save",
        obj=letterhead,
        region_code=region_code,
        changes=changes_between(before, snapshot(letterhead, list(LETTERHEAD_FIELDS))),
    )
    return letterhead


# --- agencies (OPD) -------------------------------------------------------------------------


@transaction.atomic
def agency_create(
    *, actor, code: str, name: str, short_name: str, kind: str, region_code: str
) -> Agency:
    require(actor, Cap.MANAGE, region_code)
    agency = Agency(code=code, name=name, short_name=short_name, kind=kind, region_id=region_code)
    agency.full_clean()
    agency.save()
    audit(
        actor=actor,
        action="agency_create",
        obj=agency,
        region_code=region_code,
        changes=_created(agency),
    )
    return agency


AGENCY_FIELDS = ("name", "short_name", "kind", "is_active")


@transaction.atomic
def agency_update(*, actor, agency: Agency, **fields) -> Agency:
    require(actor, Cap.MANAGE, agency.region_id)
    before = snapshot(agency, list(AGENCY_FIELDS))
    for name, value in fields.items():
        if name not in AGENCY_FIELDS:
            raise TypeError(name)
        setattr(agency, name, value)
    agency.full_clean()
    agency.save()
    audit(
        actor=actor,
        action="agency_update",
        obj=agency,
        region_code=agency.region_id,
        changes=changes_between(before, snapshot(agency, list(AGENCY_FIELDS))),
    )
    return agency


# --- decree, its agencies and members -------------------------------------------------------


@transaction.atomic
def decree_create(
    *,
    actor,
    region_code: str,
    number: str,
    title: str,
    signed_on,
    valid_from,
    signed_by: str = "Bupati Kutai Kartanegara",
    valid_until=None,
    file=None,
    amends: Decree | None = None,
    note: str = "",
) -> Decree:
    """A decree; when it `amends` an earlier one, that one's agencies and members carry over."""
    require(actor, Cap.MANAGE, region_code)
    if amends is not None and amends.region_id != region_code:
        raise ValidationError({"amends": _("The amended decree belongs to another region.")})
    if valid_until and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The end of the period is before its start.")})
    decree = Decree(
        region_id=region_code,
        number=number,
        title=title,
        signed_on=signed_on,
        signed_by=signed_by,
        valid_from=valid_from,
        valid_until=valid_until,
        amends=amends,
        note=note,
        created_by=actor,
    )
    if file is not None:
        try:
            validate_upload(file, kinds=("pdf",))
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
        decree.file = file  # stored by save(), only once everything is valid
    decree.full_clean()
    try:
        decree.save()
    except Exception:
        if decree.file and getattr(decree.file, "_committed", False):
            decree.file.delete(save=False)
        raise
    if amends is not None:
        DecreeAgency.objects.bulk_create(
            DecreeAgency(
                decree=decree,
                agency_id=a.agency_id,
                duties=a.duties,
                is_leading_sector=a.is_leading_sector,
            )
            for a in amends.agencies.all()
        )
        DecreeMember.objects.bulk_create(
            DecreeMember(
                decree=decree,
                position=m.position,
                office_title=m.office_title,
                name=m.name,
                agency_id=m.agency_id,
                user_id=m.user_id,
                order=m.order,
            )
            for m in amends.members.all()
        )
    audit(
        actor=actor,
        action="decree_amend" if amends else "decree_create",
        obj=decree,
        region_code=region_code,
        changes=_created(decree),
    )
    return decree


@transaction.atomic
def decree_agency_set(
    *, actor, decree: Decree, agency: Agency, duties: str = "", is_leading_sector: bool = False
) -> DecreeAgency:
    """Add an agency to the decree or change its duties (one leading sector at most)."""
    require(actor, Cap.MANAGE, decree.region_id)
    row, created = DecreeAgency.objects.get_or_create(decree=decree, agency=agency)
    before = {"duties": row.duties, "is_leading_sector": row.is_leading_sector}
    if is_leading_sector:
        DecreeAgency.objects.filter(decree=decree, is_leading_sector=True).exclude(
            pk=row.pk
        ).update(is_leading_sector=False)
    row.duties = duties
    row.is_leading_sector = is_leading_sector
    row.full_clean()
    row.save()
    audit(
        actor=actor,
        action="decree_agency_set",
        obj=decree,
        region_code=decree.region_id,
        changes={
            "agency": [None if created else agency.code, agency.code],
            **changes_between(before, {"duties": duties, "is_leading_sector": is_leading_sector}),
        },
    )
    return row


@transaction.atomic
def decree_agency_remove(*, actor, row: DecreeAgency) -> None:
    require(actor, Cap.MANAGE, row.decree.region_id)
    audit(
        actor=actor,
        action="decree_agency_remove",
        obj=row.decree,
        region_code=row.decree.region_id,
        changes={"agency": [row.agency.code, None]},
    )
    row.delete()


@transaction.atomic
def decree_member_add(
    *,
    actor,
    decree: Decree,
    position: str,
    office_title: str,
    name: str = "",
    agency: Agency | None = None,
    user=None,
    order: int | None = None,
) -> DecreeMember:
    require(actor, Cap.MANAGE, decree.region_id)
    if order is None:
        order = DecreeMember.ORDER.index(position) * 100 + decree.members.count()
    member = DecreeMember(
        decree=decree,
        position=position,
        office_title=office_title,
        name=name,
        agency=agency,
        user=user,
        order=order,
    )
    member.full_clean()
    member.save()
    audit(
        actor=actor,
        action="decree_member_add",
        obj=decree,
        region_code=decree.region_id,
        changes={"member": [None, str(member)]},
    )
    return member


@transaction.atomic
def decree_member_remove(*, actor, member: DecreeMember) -> None:
    require(actor, Cap.MANAGE, member.decree.region_id)
    audit(
        actor=actor,
        action="decree_member_remove",
        obj=member.decree,
        region_code=member.decree.region_id,
        changes={"member": [str(member), None]},
    )
    member.delete()


# --- meetings -------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    actor,
    region_code: str,
    title: str,
    starts_at: datetime.datetime,
    duration_minutes: int = 120,
    place: str = "",
    video_link: str = "",
    agenda: str = "",
    agencies=(),
    users=(),
    repeat: int = 1,
    interval_days: int = 14,
    letter_number: str = "",
) -> list[Meeting]:
    """One meeting, or a series of `repeat` meetings every `interval_days` days."""
    require(actor, Cap.MANAGE, region_code)
    errors = {}
    if not place and not video_link:
        errors["place"] = _("Give a place or a video link.")
    if not 1 <= repeat <= MAX_SERIES:
        errors["repeat"] = _("A series has between 1 and %(n)s meetings.") % {"n": MAX_SERIES}
    if repeat > 1 and not 1 <= interval_days <= 366:
        errors["interval_days"] = _("The interval is between 1 and 366 days.")
    if not 15 <= duration_minutes <= 12 * 60:
        errors["duration_minutes"] = _("A meeting lasts between 15 minutes and 12 hours.")
    if errors:
        raise ValidationError(errors)
    series = None
    if repeat > 1:
        series = MeetingSeries.objects.create(
            region_id=region_code, title=title, interval_days=interval_days
        )
    meetings = []
    for i in range(repeat):
        start = starts_at + datetime.timedelta(days=i * interval_days)
        meeting = Meeting(
            region_id=region_code,
            series=series,
            title=title if repeat == 1 else f"{title} ({i + 1}/{repeat})",
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=duration_minutes),
            place=place,
            video_link=video_link,
            agenda=agenda,
            letter_number=letter_number if i == 0 else "",
            created_by=actor,
        )
        meeting.full_clean()
        meeting.save()
        Invitee.objects.bulk_create(
            [Invitee(meeting=meeting, agency=a) for a in agencies]
            + [Invitee(meeting=meeting, user=u, agency_id=u.agency_id) for u in users]
        )
        audit(
            actor=actor,
            action="meeting_schedule",
            obj=meeting,
            region_code=region_code,
            changes=_created(meeting),
        )
        meetings.append(meeting)
    return meetings


MEETING_FIELDS = ("title", "starts_at", "ends_at", "place", "video_link", "agenda", "letter_number")


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, expected_version=None, **fields) -> Meeting:
    require(actor, Cap.MANAGE, meeting.region_id)
    before = snapshot(meeting, list(MEETING_FIELDS))
    for name, value in fields.items():
        if name not in MEETING_FIELDS:
            raise TypeError(name)
        setattr(meeting, name, value)
    if meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    meeting.full_clean()
    bump_version(meeting, expected_version)
    meeting.save()
    audit(
        actor=actor,
        action="meeting_update",
        obj=meeting,
        region_code=meeting.region_id,
        changes=changes_between(before, snapshot(meeting, list(MEETING_FIELDS))),
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str = "") -> Meeting:
    require(actor, Cap.MANAGE, meeting.region_id)
    if meeting.status == Meeting.Status.SELESAI:
        raise ValidationError(_("A meeting that was held cannot be cancelled."))
    bump_version(meeting, None)
    old = meeting.status
    meeting.status = Meeting.Status.DIBATALKAN
    meeting.save(update_fields=["status", "version", "updated_at"])
    audit(
        actor=actor,
        action="meeting_cancel",
        obj=meeting,
        region_code=meeting.region_id,
        changes={"status": [old, meeting.status]},
        note=reason,
    )
    return meeting


@transaction.atomic
def invitee_add(*, actor, meeting: Meeting, agency: Agency | None = None, user=None) -> Invitee:
    require(actor, Cap.MANAGE, meeting.region_id)
    if agency is None and user is None:
        raise ValidationError(_("Choose an agency or a person to invite."))
    if user is not None:
        exists = meeting.invitees.filter(user=user).exists()
    else:
        exists = meeting.invitees.filter(agency=agency, user__isnull=True).exists()
    if exists:
        raise ValidationError(_("%(who)s is already invited.") % {"who": user or agency})
    invitee = Invitee(meeting=meeting, agency=agency or getattr(user, "agency", None), user=user)
    invitee.full_clean(validate_constraints=False)
    invitee.save()
    audit(
        actor=actor,
        action="invitee_add",
        obj=meeting,
        region_code=meeting.region_id,
        changes={"invitee": [None, str(invitee)]},
    )
    return invitee


def _find_invitee(meeting: Meeting, *, invitee_id=None, agency=None, user=None) -> Invitee:
    rows = meeting.invitees.select_related("agency", "user")
    if invitee_id is not None:
        try:
            invitee_id = int(str(invitee_id).strip())
            if not 0 < invitee_id < 2**63:
                raise ValueError(invitee_id)
        except ValueError:
            raise ValidationError(
                _("Unknown invitee: %(id)s.") % {"id": str(invitee_id)[:20]}, code="bad_invitee"
            ) from None
        found = rows.filter(pk=invitee_id).first()
    elif user is not None:
        found = rows.filter(user=user).first()
    elif agency is not None:
        found = rows.filter(agency=agency, user__isnull=True).first()
    else:
        found = None
    if found is None:
        who = user or agency or invitee_id
        raise ValidationError(
            _("%(who)s was not invited to this meeting: invite them first, then record attendance.")
            % {"who": who}
        )
    return found


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, entries: list[dict]) -> list[Invitee]:
    """Attendance of invitees: entries of {invitee_id | agency | user, attendance,
    represented_by, and optionally shown: (attendance, represented_by) as the form showed them}.
    Anyone not invited is refused and nothing is saved.

    Several secretaries may fill in the list at once: a row whose stored value moved on since
    the form was shown is left as stored when this form did not touch it, and refused as a
    conflict when both changed it (the meeting row is locked while the list is saved)."""
    require(actor, Cap.MANAGE, meeting.region_id)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if meeting.status == Meeting.Status.DIBATALKAN:
        raise ValidationError(_("The meeting was cancelled."))
    if meeting.starts_at > timezone.now() + datetime.timedelta(hours=12):
        raise ValidationError(_("Attendance can be recorded only on the day of the meeting."))
    changed, errors = [], []
    for entry in entries:
        try:
            invitee = _find_invitee(
                meeting,
                invitee_id=entry.get("invitee_id"),
                agency=entry.get("agency"),
                user=entry.get("user"),
            )
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        status = entry.get("attendance") or ""
        if status not in Invitee.Attendance.values and status != "":
            errors.append(_("Unknown attendance value: %(v)s") % {"v": status})
            continue
        represented_by = (entry.get("represented_by") or "").strip()
        if status == Invitee.Attendance.DIWAKILI and not represented_by:
            errors.append(_("%(who)s: say who represented them.") % {"who": invitee})
            continue
        if status != Invitee.Attendance.DIWAKILI:
            represented_by = ""
        stored = (invitee.attendance, invitee.represented_by)
        shown = entry.get("shown")
        if shown is not None:
            shown = (shown[0] or "", (shown[1] or "").strip())
            if shown[0] != Invitee.Attendance.DIWAKILI:
                shown = (shown[0], "")
        if shown is not None and shown != stored and (status, represented_by) != stored:
            if (status, represented_by) == shown:
                continue  # not touched here; keep what someone else saved meanwhile
            errors.append(
                _(
                    "%(who)s: someone else changed this attendance to “%(now)s” meanwhile. "
                    "Check it and save again."
                )
                % {"who": invitee, "now": invitee.get_attendance_display() or "—"}
            )
            continue
        if stored != (status, represented_by):
            invitee.attendance = status
            invitee.represented_by = represented_by
            changed.append(invitee)
    if errors:
        raise ValidationError(errors)
    for invitee in changed:
        invitee.save(update_fields=["attendance", "represented_by"])
    if changed:
        audit(
            actor=actor,
            action="attendance_record",
            obj=meeting,
            region_code=meeting.region_id,
            changes={str(i): [None, i.attendance or "-"] for i in changed},
        )
    return changed


@transaction.atomic
def minutes_record(
    *, actor, meeting: Meeting, minutes: str, chair: str = "", expected_version=None
) -> Meeting:
    """The notulen; recording them marks the meeting as held."""
    require(actor, Cap.MANAGE, meeting.region_id)
    if meeting.status == Meeting.Status.DIBATALKAN:
        raise ValidationError(_("The meeting was cancelled."))
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes.")})
    if meeting.starts_at > timezone.now() + datetime.timedelta(hours=12):
        raise ValidationError(
            {"minutes": _("Minutes can be recorded only once the meeting is held.")}
        )
    before = snapshot(meeting, ["minutes", "chair", "status"])
    meeting.minutes = minutes.strip()
    meeting.chair = chair.strip()
    meeting.status = Meeting.Status.SELESAI
    bump_version(meeting, expected_version)
    meeting.full_clean()
    meeting.save()
    audit(
        actor=actor,
        action="minutes_record",
        obj=meeting,
        region_code=meeting.region_id,
        changes=changes_between(before, snapshot(meeting, ["minutes", "chair", "status"])),
    )
    return meeting


@transaction.atomic
def decision_record(*, actor, meeting: Meeting, text: str, actions: list[dict]) -> Decision:
    """A decision and its follow-ups. Every action needs an owner agency and a due date that is
    not before the meeting; all are saved, or none.

    actions: [{"owner_agency", "due_date", "title" (default: the decision), "owner_user",
    "description", "region_code" (default: the meeting's region)}]
    """
    require(actor, Cap.MANAGE, meeting.region_id)
    text = (text or "").strip()
    errors: dict[str, list] = {}
    if not text:
        errors.setdefault("text", []).append(_("Write the decision."))
    if meeting.status == Meeting.Status.DIBATALKAN:
        errors.setdefault("text", []).append(_("The meeting was cancelled."))
    if not actions:
        errors.setdefault("actions", []).append(
            _("A decision needs at least one follow-up with an owner agency and a due date.")
        )
    meeting_day = timezone.localtime(meeting.starts_at).date()
    for i, action in enumerate(actions, start=1):
        if action.get("owner_agency") is None:
            errors.setdefault("actions", []).append(
                _("Follow-up %(n)s: choose the owner agency.") % {"n": i}
            )
        due = action.get("due_date")
        if due is None:
            errors.setdefault("actions", []).append(
                _("Follow-up %(n)s: set a due date.") % {"n": i}
            )
        elif due < meeting_day:
            errors.setdefault("actions", []).append(
                _("Follow-up %(n)s: the due date is before the meeting (%(day)s).")
                % {"n": i, "day": tanggal(meeting_day)}
            )
    if errors:
        raise ValidationError(errors)
    # Two secretaries recording decisions at once would both take max+1: lock the meeting row
    # so that numbering is one at a time (the unique constraint stays as the last guard).
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    number = (
        meeting.decisions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    decision = Decision(meeting=meeting, number=number, text=text, created_by=actor)
    decision.full_clean()
    decision.save()
    audit(
        actor=actor,
        action="decision_record",
        obj=meeting,
        region_code=meeting.region_id,
        changes={f"decision {number}": [None, text[:200]]},
    )
    for action in actions:
        followup_create(
            actor=actor,
            title=(action.get("title") or text)[:200],
            description=action.get("description") or "",
            owner_agency=action["owner_agency"],
            owner_user=action.get("owner_user"),
            due_date=action["due_date"],
            region_code=action.get("region_code") or meeting.region_id,
            source=decision,
            source_kind=FollowUp.SourceKind.MEETING,
        )
    return decision
