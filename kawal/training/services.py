"""Training writes: programmes, batches (and their budget commitment), participants,
invitations, attendance per day, completion and test scores.

Money goes through `kawal.budget.services` (training reads and commits budget; budget knows
nothing of training except the ids it is given). Attendance goes through
`kawal.events.services`: each day of a batch is a session, an event of kind "training session"
whose registrants are the batch's participants (events knows the batch only by id).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.budget import selectors as budget_selectors
from kawal.budget import services as budget_services
from kawal.cooperatives.models import Officer
from kawal.core.audit import audit, changes_between, snapshot
from kawal.core.scope import Cap, can, require
from kawal.core.services import bump_version
from kawal.events import services as event_services
from kawal.events.models import Event
from kawal.regions.models import Region
from kawal.training.models import (
    Batch,
    Module,
    Participant,
    Programme,
    Seat,
    Session,
    TargetGroup,
)

PROGRAMME_FIELDS = (
    "title",
    "modules",
    "target_groups",
    "method",
    "cost_per_participant",
    "description",
)
BATCH_FIELDS = ("number", "start_date", "end_date", "venue", "capacity", "trainers")
MAX_DAYS = 14
# A session's event: the subject that names the batch, and the hours of a training day.
SESSION_SUBJECT = "training.batch"
DAY_STARTS = datetime.time(8, 0)
DAY_ENDS = datetime.time(17, 0)


def _clean_programme(programme: Programme, actor) -> None:
    bad = [m for m in programme.modules if m not in Module.values]
    if bad or not programme.modules:
        raise ValidationError({"modules": _("Choose at least one module from the list.")})
    if not programme.target_groups or any(
        t not in TargetGroup.values for t in programme.target_groups
    ):
        raise ValidationError({"target_groups": _("Choose at least one target group.")})
    budget_services.rupiah_amount(
        programme.cost_per_participant, "cost_per_participant", allow_zero=True
    )
    line = programme.budget_line
    if line is not None and not can(actor, Cap.VIEW, line.region_id):
        raise ValidationError({"budget_line": _("That budget line is outside your region.")})
    programme.full_clean()


@transaction.atomic
def programme_create(*, actor, region_code: str, budget_line=None, **fields) -> Programme:
    require(actor, Cap.MANAGE, region_code)
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    programme = Programme(region_id=region_code, budget_line=budget_line, **fields)
    _clean_programme(programme, actor)
    programme.save()
    audit(
        actor=actor,
        action="training_programme_create",
        obj=programme,
        region_code=region_code,
        changes={k: [None, v] for k, v in snapshot(programme).items()},
    )
    return programme


@transaction.atomic
def programme_update(
    *, actor, programme: Programme, expected_version: int, budget_line=None, **fields
) -> Programme:
    require(actor, Cap.MANAGE, programme.region_id)
    bump_version(programme, expected_version)
    before = snapshot(programme)
    for name, value in fields.items():
        if name not in PROGRAMME_FIELDS:
            raise TypeError(name)
        setattr(programme, name, value)
    programme.budget_line = budget_line
    _clean_programme(programme, actor)
    programme.save()
    audit(
        actor=actor,
        action="training_programme_update",
        obj=programme,
        region_code=programme.region_id,
        changes=changes_between(before, snapshot(programme)),
    )
    return programme


def _districts(programme: Programme, codes) -> list[Region]:
    codes = sorted(set(codes or []))
    if not codes:
        raise ValidationError({"districts": _("Choose the kecamatan this batch serves.")})
    found = list(Region.objects.filter(code__in=codes, level=3))
    region = programme.region_id
    if len(found) != len(codes) or any(not d.code.startswith(region + ".") for d in found):
        raise ValidationError(
            {"districts": _("Every kecamatan served must lie inside the organiser's region.")}
        )
    return found


def _clean_batch(batch: Batch) -> None:
    if batch.start_date and batch.end_date:
        if batch.end_date < batch.start_date:
            raise ValidationError({"end_date": _("The last day cannot be before the first day.")})
        if (batch.end_date - batch.start_date).days + 1 > MAX_DAYS:
            raise ValidationError(
                {"end_date": _("A batch lasts at most %(n)s days.") % {"n": MAX_DAYS}}
            )
    batch.full_clean(exclude=["districts"])


def _session_fields(batch: Batch, day: datetime.date, n: int) -> dict:
    zone = timezone.get_current_timezone()
    title = _("%(programme)s · batch %(number)s · day %(n)s") % {
        "programme": batch.programme.title,
        "number": batch.number,
        "n": n,
    }
    return {
        "title": str(title)[:200],
        "kind": Event.Kind.TRAINING,
        "format": Event.Format.OFFLINE,
        "region_id": batch.region_id,
        "starts_at": datetime.datetime.combine(day, DAY_STARTS, zone),
        "ends_at": datetime.datetime.combine(day, DAY_ENDS, zone),
        "organiser": str(batch.region.name)[:200],
        "subject_type": SESSION_SUBJECT,
        "subject_id": str(batch.pk),
    }


def _person(participant: Participant) -> dict:
    officer = participant.officer
    return {
        "key": f"officer:{participant.officer_id}",
        "name": officer.name,
        "position": officer.get_position_display(),
        "phone": officer.phone,
        "cooperative": participant.cooperative,
    }


def _enrol(actor, sessions, participants) -> None:
    """Register participants for sessions (events) and keep the seat that links them."""
    participants = list(participants)
    if not participants:
        return
    for session in sessions:
        seated = set(session.seats.values_list("participant_id", flat=True))
        todo = [p for p in participants if p.pk not in seated]
        if not todo:
            continue
        found = event_services.registrants_enrol(
            actor=actor, event=session.event, people=[_person(p) for p in todo]
        )
        Seat.objects.bulk_create(
            [
                Seat(participant=p, session=session, registrant=found[f"officer:{p.officer_id}"])
                for p in todo
            ]
        )


def _sync_sessions(actor, batch: Batch) -> None:
    """One session (an event) per day of the batch, every participant registered for each.

    A day dropped by new dates loses its session (the caller has refused it when someone was
    present that day); a new day gets one; the others keep theirs, renamed if need be. A
    cancelled batch (never attended) keeps none.
    """
    existing = {s.day: s for s in batch.sessions.select_related("event")}
    days = [] if batch.status == Batch.Status.CANCELLED else batch.days
    for day, session in existing.items():
        if day not in days:
            event = session.event
            session.seats.all().delete()
            session.delete()
            event_services.event_delete(actor=actor, event=event)
    new = []
    for n, day in enumerate(days, start=1):
        fields = _session_fields(batch, day, n)
        session = existing.get(day)
        if session is None:
            event = event_services.event_create(actor=actor, **fields)
            new.append(Session.objects.create(batch=batch, day=day, event=event))
        elif session.event.title != fields["title"]:
            event_services.event_update(
                actor=actor, event=session.event, version=None, title=fields["title"]
            )
    _enrol(actor, new, batch.participants.select_related("officer", "cooperative"))


def _attended(participants) -> Q:
    """Seats of `participants` (a queryset or list) with an attendance row in events."""
    return Q(participant__in=participants, registrant__attendance__isnull=False)


@transaction.atomic
def batch_create(*, actor, programme: Programme, districts, venue_region=None, **fields) -> Batch:
    require(actor, Cap.MANAGE, programme.region_id)
    unknown = set(fields) - set(BATCH_FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    served = _districts(programme, districts)
    if programme.batches.filter(number=fields.get("number")).exists():
        raise ValidationError({"number": _("This programme already has a batch with that number.")})
    batch = Batch(
        programme=programme, region_id=programme.region_id, venue_region=venue_region, **fields
    )
    _clean_batch(batch)
    batch.save()
    batch.districts.set(served)
    _sync_sessions(actor, batch)
    audit(
        actor=actor,
        action="training_batch_create",
        obj=batch,
        region_code=batch.region_id,
        changes={
            **{k: [None, v] for k, v in snapshot(batch).items()},
            "districts": [None, [d.code for d in served]],
        },
    )
    return batch


def _active_count(batch: Batch) -> int:
    return batch.participants.exclude(invitation=Participant.Invitation.DECLINED).count()


@transaction.atomic
def batch_update(
    *, actor, batch: Batch, expected_version: int, districts, venue_region=None, **fields
) -> Batch:
    require(actor, Cap.MANAGE, batch.region_id)
    bump_version(batch, expected_version)
    before = snapshot(batch)
    before_districts = sorted(batch.districts.values_list("code", flat=True))
    for name, value in fields.items():
        if name not in BATCH_FIELDS:
            raise TypeError(name)
        setattr(batch, name, value)
    batch.venue_region = venue_region
    served = _districts(batch.programme, districts)
    _clean_batch(batch)
    taken = _active_count(batch)
    if batch.capacity < taken:
        raise ValidationError(
            {
                "capacity": _(
                    "%(taken)s participants are already invited; the capacity cannot be lower."
                )
                % {"taken": taken}
            }
        )
    codes = [d.code for d in served]
    outside = batch.participants.exclude(cooperative__village__district_code__in=codes)
    if outside.exists():
        raise ValidationError(
            {"districts": _("Some invited participants come from a kecamatan you removed.")}
        )
    if (
        Seat.objects.filter(session__batch=batch, registrant__attendance__isnull=False)
        .exclude(session__day__range=(batch.start_date, batch.end_date))
        .exists()
    ):
        raise ValidationError(
            {"start_date": _("Attendance was already taken on a day outside the new dates.")}
        )
    batch.save()
    batch.districts.set(served)
    _sync_sessions(actor, batch)
    changes = changes_between(before, snapshot(batch))
    if before_districts != sorted(codes):
        changes["districts"] = [before_districts, sorted(codes)]
    audit(
        actor=actor,
        action="training_batch_update",
        obj=batch,
        region_code=batch.region_id,
        changes=changes,
    )
    return batch


@transaction.atomic
def batch_commit_budget(*, actor, batch: Batch, committed_on: datetime.date | None = None):
    """Commit the batch's cost (capacity × cost per participant) on the programme's line."""
    require(actor, Cap.MANAGE, batch.region_id)
    programme = batch.programme
    if programme.budget_line_id is None:
        raise ValidationError(_("The programme has no funding line."))
    if budget_selectors.commitments_for(ref_app="training", ref_ids=[batch.pk]):
        raise ValidationError(_("This batch's cost is already committed."))
    amount = batch.capacity * programme.cost_per_participant
    commitment = budget_services.commitment_create(
        actor=actor,
        line=programme.budget_line,
        amount=amount,
        description=str(batch)[:200],
        committed_on=committed_on or batch.start_date,
        ref_app="training",
        ref_id=batch.pk,
    )
    audit(
        actor=actor,
        action="training_batch_commit_budget",
        obj=batch,
        region_code=batch.region_id,
        changes={"commitment": [None, commitment.pk], "amount": [None, amount]},
    )
    return commitment


def _lock_batch(batch: Batch) -> Batch:
    return Batch.objects.select_for_update().select_related("programme").get(pk=batch.pk)


@transaction.atomic
def participants_add(*, actor, batch: Batch, officer_ids, invited_on: datetime.date) -> list:
    """Invite officers to a batch: all of them or none.

    Each must be an active officer of a cooperative in a kecamatan the batch serves, not yet in
    the batch, and the batch must keep within its capacity.
    """
    require(actor, Cap.MANAGE, batch.region_id)
    batch = _lock_batch(batch)
    if batch.status != Batch.Status.PLANNED:
        raise ValidationError(_("Participants can be added only to a planned batch."))
    ids = sorted(set(int(i) for i in officer_ids))
    if not ids:
        raise ValidationError(_("Choose at least one officer."))
    officers = list(Officer.objects.filter(pk__in=ids).select_related("cooperative__village"))
    if len(officers) != len(ids):
        raise ValidationError(_("One of the chosen officers does not exist."))
    served = set(batch.districts.values_list("code", flat=True))
    errors = []
    already = set(
        batch.participants.filter(officer_id__in=ids).values_list("officer_id", flat=True)
    )
    for officer in officers:
        village = officer.cooperative.village
        if not can(actor, Cap.VIEW, village.code):
            raise ValidationError(_("One of the chosen officers does not exist."))
        if village.district_code not in served:
            errors.append(
                _("%(name)s (%(coop)s) is from outside the kecamatan this batch serves.")
                % {"name": officer.name, "coop": officer.cooperative.name}
            )
        elif not officer.is_active:
            errors.append(_("%(name)s is no longer an active officer.") % {"name": officer.name})
        elif officer.pk in already:
            errors.append(_("%(name)s is already in this batch.") % {"name": officer.name})
    if errors:
        raise ValidationError(errors)
    taken = _active_count(batch)
    if taken + len(officers) > batch.capacity:
        raise ValidationError(
            _(
                "The batch holds %(capacity)s people and %(taken)s are already invited: "
                "%(asked)s more would go over capacity (room left: %(left)s)."
            )
            % {
                "capacity": batch.capacity,
                "taken": taken,
                "asked": len(officers),
                "left": max(batch.capacity - taken, 0),
            },
            code="over_capacity",
        )
    bump_version(batch, batch.version)
    Participant.objects.bulk_create(
        [
            Participant(
                batch=batch, officer=o, cooperative_id=o.cooperative_id, invited_on=invited_on
            )
            for o in officers
        ]
    )
    created = list(
        batch.participants.filter(officer_id__in=ids)
        .select_related("officer", "cooperative")
        .order_by("pk")
    )
    _enrol(actor, batch.sessions.select_related("event"), created)
    audit(
        actor=actor,
        action="training_participants_add",
        obj=batch,
        region_code=batch.region_id,
        changes={"officers": [None, ids]},
    )
    return created


@transaction.atomic
def participant_set_invitation(*, actor, participant: Participant, invitation: str):
    batch = _lock_batch(participant.batch)
    require(actor, Cap.MANAGE, batch.region_id)
    if invitation not in Participant.Invitation.values:
        raise ValidationError({"invitation": _("Choose an answer from the list.")})
    participant = Participant.objects.get(pk=participant.pk)
    old = participant.invitation
    if old == invitation:
        return participant
    if old == Participant.Invitation.DECLINED and _active_count(batch) >= batch.capacity:
        raise ValidationError(_("The batch is full; this person cannot be taken back in."))
    if (
        invitation == Participant.Invitation.DECLINED
        and Seat.objects.filter(_attended([participant])).exists()
    ):
        raise ValidationError(_("This person was already present on a day of the batch."))
    participant.invitation = invitation
    participant.save(update_fields=["invitation", "updated_at"])
    audit(
        actor=actor,
        action="training_invitation",
        obj=participant,
        region_code=batch.region_id,
        changes={"invitation": [old, invitation]},
    )
    return participant


@transaction.atomic
def attendance_set(*, actor, participant: Participant, day: datetime.date, present: bool) -> bool:
    """Mark one participant present (or not) on one day of the batch; returns `present`."""
    batch = participant.batch
    require(actor, Cap.EDIT, batch.region_id)
    if batch.status == Batch.Status.CANCELLED:
        raise ValidationError(_("This batch was cancelled."))
    if day not in batch.days:
        raise ValidationError(_("That day is not one of the batch's days."))
    if participant.invitation == Participant.Invitation.DECLINED:
        raise ValidationError(_("This person declined the invitation."))
    seat = (
        Seat.objects.filter(participant=participant, session__day=day)
        .select_related("registrant", "registrant__event")
        .first()
    )
    if seat is None:  # a participant of a batch whose sessions predate it: register it now
        _enrol(actor, batch.sessions.filter(day=day).select_related("event"), [participant])
        seat = Seat.objects.select_related("registrant", "registrant__event").get(
            participant=participant, session__day=day
        )
    changed = event_services.attendance_record(
        actor=actor, registrant=seat.registrant, present=present
    )
    if not changed:
        return present
    audit(
        actor=actor,
        action="training_attendance",
        obj=participant,
        region_code=batch.region_id,
        changes={str(day): [not present, present]},
    )
    return present


@transaction.atomic
def participant_result(
    *, actor, participant: Participant, completed: bool, pre_score=None, post_score=None
) -> Participant:
    require(actor, Cap.EDIT, participant.batch.region_id)
    before = snapshot(participant, ["completed", "pre_score", "post_score"])
    for name, value in (("pre_score", pre_score), ("post_score", post_score)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100
        ):
            raise ValidationError({name: _("A test score is a whole number from 0 to 100.")})
    if completed and not Seat.objects.filter(_attended([participant])).exists():
        raise ValidationError(
            {"completed": _("Someone who was never present cannot have completed the training.")}
        )
    participant.completed = completed
    participant.pre_score = pre_score
    participant.post_score = post_score
    participant.full_clean()
    participant.save(update_fields=["completed", "pre_score", "post_score", "updated_at"])
    audit(
        actor=actor,
        action="training_participant_result",
        obj=participant,
        region_code=participant.batch.region_id,
        changes=changes_between(
            before, snapshot(participant, ["completed", "pre_score", "post_score"])
        ),
    )
    return participant


@transaction.atomic
def batch_close(*, actor, batch: Batch, expected_version: int) -> int:
    """Finish a batch: whoever was present every day has completed it. Returns how many."""
    require(actor, Cap.MANAGE, batch.region_id)
    batch = _lock_batch(batch)
    bump_version(batch, expected_version)
    if batch.status != Batch.Status.PLANNED:
        raise ValidationError(_("Only a planned batch can be finished."))
    n_days = len(batch.days)
    present = Count("seats", filter=Q(seats__registrant__attendance__isnull=False))
    full = [p.pk for p in batch.participants.annotate(n=present).filter(n__gte=n_days)]
    batch.participants.filter(pk__in=full).update(completed=True)
    batch.status = Batch.Status.DONE
    batch.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="training_batch_close",
        obj=batch,
        region_code=batch.region_id,
        changes={
            "status": [Batch.Status.PLANNED, Batch.Status.DONE],
            "completed": [None, len(full)],
        },
    )
    return len(full)


@transaction.atomic
def batch_cancel(*, actor, batch: Batch, expected_version: int, reason: str) -> Batch:
    require(actor, Cap.MANAGE, batch.region_id)
    batch = _lock_batch(batch)
    bump_version(batch, expected_version)
    if batch.status != Batch.Status.PLANNED:
        raise ValidationError(_("Only a planned batch can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the batch is cancelled.")})
    if Seat.objects.filter(session__batch=batch, registrant__attendance__isnull=False).exists():
        raise ValidationError(_("Attendance was already taken; finish the batch instead."))
    batch.status = Batch.Status.CANCELLED
    batch.save(update_fields=["status", "updated_at"])
    _sync_sessions(actor, batch)  # nobody attended: its session events go
    for commitment in budget_selectors.commitments_for(
        ref_app="training", ref_ids=[batch.pk]
    ).values():
        budget_services.commitment_cancel(actor=actor, commitment=commitment, reason=reason)
    audit(
        actor=actor,
        action="training_batch_cancel",
        obj=batch,
        region_code=batch.region_id,
        changes={"status": [Batch.Status.PLANNED, Batch.Status.CANCELLED]},
        note=reason,
    )
    return batch
