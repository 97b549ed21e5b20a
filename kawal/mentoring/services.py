"""Mentoring writes: mentors, caseloads, field visits, consultations, monthly reports."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kawal.core.audit import audit, changes_between, snapshot
from kawal.core.codes import covers
from kawal.core.formats import tanggal
from kawal.core.scope import (
    Cap,
    can,
    forget,
    is_board_only,
    may_edit_mentor_report,
    may_respond_to_recommendation,
    may_review_mentor_report,
    require,
    require_rule,
)
from kawal.core.services import bump_version
from kawal.core.uploads import delete_replaced, validate_upload
from kawal.followups.services import followup_create
from kawal.mentoring import rules
from kawal.mentoring.models import (
    PHOTO_KINDS,
    Assignment,
    ChecklistItem,
    Consultation,
    Mentor,
    MonthlyReport,
    Recommendation,
    Visit,
    VisitPhoto,
)


def _created(obj) -> dict:
    return {k: [None, v] for k, v in snapshot(obj).items()}


def _require_manager(user, region_code: str | None) -> None:
    """Mentors and boards do not hand out caseloads or edit the checklist: Cap.MANAGE in the
    region of the object, never derived from a caseload or a board seat elsewhere."""
    require_rule(
        can(user, Cap.MANAGE, region_code),
        _("Only the Dinas or the camat manage mentors and caseloads."),
    )


def _require_mentoring_staff(user) -> None:
    """A cooperative's own board does not record visits or consultations about itself."""
    require_rule(
        not is_board_only(user), _("Only mentors and the Dinas record visits and consultations.")
    )


# --- Mentors and caseloads -------------------------------------------------------------------


@transaction.atomic
def mentor_save(
    *,
    actor,
    user,
    kind: str,
    region_code: str,
    organisation: str = "",
    contract_start=None,
    contract_end=None,
    is_active: bool = True,
    expected_version: int | None = None,
) -> Mentor:
    """Create the mentor profile of `user`, or update it (refused if `expected_version`, the
    version the form was loaded with, is stale)."""
    require(actor, Cap.EDIT, region_code)
    _require_manager(actor, region_code)
    mentor = Mentor.objects.filter(user=user).first()
    before = snapshot(mentor) if mentor else {}
    if mentor is None:
        mentor = Mentor(user=user)
    else:
        require(actor, Cap.EDIT, mentor.region_id)
        _require_manager(actor, mentor.region_id)
    mentor.kind = kind
    mentor.region_id = region_code
    mentor.organisation = organisation
    mentor.contract_start = contract_start
    mentor.contract_end = contract_end
    mentor.is_active = is_active
    mentor.full_clean()
    changes = changes_between(before, snapshot(mentor))
    if mentor.pk:
        if not changes:
            return mentor
        bump_version(mentor, expected_version)
    mentor.save()
    audit(
        actor=actor,
        action="mentor_update" if before else "mentor_create",
        obj=mentor,
        region_code=region_code,
        changes=changes,
    )
    return mentor


def active_caseload(mentor_user) -> int:
    return Assignment.objects.filter(mentor=mentor_user, ended_on__isnull=True).count()


def caseload_warning(mentor_user) -> str | None:
    """A warning (not a refusal) when a business assistant carries more than the limit."""
    profile = Mentor.objects.filter(user=mentor_user).first()
    if profile is None or profile.kind != Mentor.Kind.BA:
        return None
    count = active_caseload(mentor_user)
    if count <= rules.CASELOAD_LIMIT_BA:
        return None
    return _(
        "%(name)s now escorts %(count)d cooperatives, more than the %(limit)d a business "
        "assistant should carry."
    ) % {"name": mentor_user, "count": count, "limit": rules.CASELOAD_LIMIT_BA}


@transaction.atomic
def assignment_start(*, actor, mentor, cooperative, started_on) -> Assignment:
    require(actor, Cap.EDIT, cooperative.village_id)
    _require_manager(actor, cooperative.village_id)
    if Assignment.objects.filter(
        mentor=mentor, cooperative=cooperative, ended_on__isnull=True
    ).exists():
        raise ValidationError(
            {"cooperative": _("This mentor is already assigned to this cooperative.")}
        )
    assignment = Assignment(mentor=mentor, cooperative=cooperative, started_on=started_on)
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    forget(mentor)
    audit(
        actor=actor,
        action="assignment_start",
        obj=cooperative,
        region_code=cooperative.village_id,
        changes={"mentor": [None, mentor.username], "started_on": [None, str(started_on)]},
    )
    return assignment


@transaction.atomic
def assignment_end(*, actor, assignment: Assignment, ended_on, reason: str = "") -> Assignment:
    """End an assignment; the row stays as history (assignments are never deleted)."""
    cooperative = assignment.cooperative
    require(actor, Cap.EDIT, cooperative.village_id)
    _require_manager(actor, cooperative.village_id)
    if assignment.ended_on is not None:
        raise ValidationError(_("This assignment has already ended."))
    if ended_on < assignment.started_on:
        raise ValidationError({"ended_on": _("An assignment cannot end before it starts.")})
    assignment.ended_on = ended_on
    assignment.end_reason = reason
    assignment.full_clean(validate_constraints=False)
    assignment.save(update_fields=["ended_on", "end_reason", "updated_at"])
    forget(assignment.mentor)
    audit(
        actor=actor,
        action="assignment_end",
        obj=cooperative,
        region_code=cooperative.village_id,
        changes={"mentor": [assignment.mentor.username, None], "ended_on": [None, str(ended_on)]},
        note=reason,
    )
    return assignment


# --- Checklist --------------------------------------------------------------------------------


@transaction.atomic
def checklist_item_save(
    *, actor, region_code: str, label: str, order: int = 10, is_active=True, item=None
) -> ChecklistItem:
    require(actor, Cap.EDIT, region_code)
    _require_manager(actor, region_code)
    before = snapshot(item) if item else {}
    if item is None:
        item = ChecklistItem()
    else:
        require(actor, Cap.EDIT, item.region_id)
        _require_manager(actor, item.region_id)
    item.region_id, item.label, item.order, item.is_active = region_code, label, order, is_active
    item.full_clean()
    item.save()
    audit(
        actor=actor,
        action="checklist_item_update" if before else "checklist_item_create",
        obj=item,
        region_code=region_code,
        changes=changes_between(before, snapshot(item)),
    )
    return item


def _check_agency(agency, village_code: str, field: str) -> None:
    """A follow-up or referral goes to an agency serving the cooperative's village (its
    regency, its kecamatan or its province): an agency elsewhere would never track it."""
    if agency is not None and not covers(agency.region_id, village_code):
        raise ValidationError(
            {field: _("%(agency)s does not serve this cooperative's area.") % {"agency": agency}}
        )


# --- Field visits -----------------------------------------------------------------------------


def _check_position(lat, lng) -> None:
    if (lat is None) != (lng is None):
        raise ValidationError({"lat": _("The GPS position is incomplete.")})
    if lat is not None and not rules.inside_indonesia(lat, lng):
        raise ValidationError(
            {
                "lat": _("The GPS position (%(lat)s, %(lng)s) is outside Indonesia.")
                % {"lat": round(lat, 5), "lng": round(lng, 5)}
            }
        )


def _check_photos(photos) -> None:
    if len(photos) > rules.MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(n)d photos per visit.") % {"n": rules.MAX_PHOTOS}}
        )
    errors = []
    for photo in photos:
        try:
            validate_upload(photo, kinds=PHOTO_KINDS)
        except ValidationError as error:
            errors += [f"{photo.name}: {m}" for m in error.messages]
    if errors:
        raise ValidationError({"photos": errors})


@transaction.atomic
def visit_record(
    *,
    actor,
    cooperative,
    visit_date: datetime.date,
    purpose: str,
    findings: str = "",
    checklist: dict | None = None,
    recommendations: list[dict] | None = None,
    photos: list | None = None,
    lat: float | None = None,
    lng: float | None = None,
    gps_accuracy_m: float | None = None,
) -> Visit:
    """Record a field visit; each recommendation becomes a follow-up and a log entry.

    `checklist` maps ChecklistItem ids to "ya"/"tidak"/"na"; `recommendations` is a list of
    {"text", "owner_agency", "due_date"}. Distance and lateness flag the visit, never refuse it.
    """
    village = cooperative.village
    require(actor, Cap.EDIT, village.code)
    _require_mentoring_staff(actor)
    today = timezone.localdate()
    if visit_date > today:
        raise ValidationError({"visit_date": _("A visit cannot be in the future.")})
    _check_position(lat, lng)
    photos = list(photos or [])
    _check_photos(photos)  # before anything is written, so nothing is half-saved

    items = {
        i.pk: i
        for i in ChecklistItem.objects.filter(
            region_id__in=[village.province_code, village.regency_code, village.district_code],
            is_active=True,
        )
    }
    answers = []
    valid = {choice for choice, _label in Visit.Answer.choices}
    for item_id, answer in (checklist or {}).items():
        item = items.get(int(item_id))
        if item is None or answer not in valid:
            raise ValidationError({"checklist": _("The checklist answers are not valid.")})
        answers.append({"item": item.pk, "label": item.label, "answer": answer})
    answers.sort(key=lambda a: (items[a["item"]].order, a["item"]))
    recommendations = list(recommendations or [])
    for i, rec in enumerate(recommendations):
        _check_recommendation(i, rec, visit_date, village.code)

    visit = Visit(
        cooperative=cooperative,
        mentor=actor,
        visit_date=visit_date,
        purpose=purpose,
        findings=findings,
        checklist=answers,
        lat=lat,
        lng=lng,
        gps_accuracy_m=gps_accuracy_m,
    )
    if lat is not None and village.lat is not None:
        visit.distance_km = round(rules.haversine_km(lat, lng, village.lat, village.lng), 2)
        visit.flag_far = visit.distance_km > rules.FAR_FROM_VILLAGE_KM
    visit.flag_late = (today - visit_date).days > rules.LATE_ENTRY_DAYS
    visit.full_clean()
    visit.save()
    audit(
        actor=actor,
        action="visit_record",
        obj=visit,
        region_code=village.code,
        changes=_created(visit),
    )
    for i, rec in enumerate(recommendations):
        _recommend(actor=actor, visit=visit, index=i, **rec)
    written = []  # files are not rolled back with the transaction: delete them on failure
    try:
        for photo in photos:
            stored = VisitPhoto(visit=visit, image=photo)
            stored.save()
            written.append(stored.image)
            audit(
                actor=actor,
                action="visit_photo_add",
                obj=visit,
                region_code=village.code,
                changes={"photo": [None, stored.image.name]},
            )
    except BaseException:
        for image in written:
            image.storage.delete(image.name)
        raise
    return visit


def _check_recommendation(index, rec, visit_date, village_code) -> None:
    """Everything `_recommend` would refuse, checked before anything is written."""
    if rec["due_date"] < visit_date:
        raise ValidationError(
            {f"recommendations-{index}-due_date": _("The due date is before the visit.")}
        )
    _check_agency(rec["owner_agency"], village_code, f"recommendations-{index}-owner_agency")


def _recommend(*, actor, visit, index, text, owner_agency, due_date) -> Recommendation:
    cooperative = visit.cooperative
    _check_recommendation(
        index,
        {"due_date": due_date, "owner_agency": owner_agency},
        visit.visit_date,
        cooperative.village_id,
    )
    followup = followup_create(
        actor=actor,
        title=text[:200],
        description=_("Recommendation of the field visit on %(date)s.")
        % {"date": tanggal(visit.visit_date)}
        + ("\n\n" + text if len(text) > 200 else ""),
        owner_agency=owner_agency,
        due_date=due_date,
        region_code=cooperative.village_id,
        cooperative=cooperative,
        source=visit,
    )
    rec = Recommendation(
        cooperative=cooperative,
        visit=visit,
        text=text,
        owner_agency=owner_agency,
        due_date=due_date,
        followup=followup,
        created_by=actor,
    )
    rec.full_clean()
    rec.save()
    audit(
        actor=actor,
        action="recommendation_create",
        obj=rec,
        region_code=cooperative.village_id,
        changes=_created(rec),
    )
    return rec


@transaction.atomic
def recommendation_respond(
    *, actor, recommendation: Recommendation, response: str, expected_version: int | None = None
) -> Recommendation:
    village_code = recommendation.cooperative.village_id
    require(actor, Cap.EDIT, village_code)
    require_rule(
        may_respond_to_recommendation(actor, village_code),
        _("Only the cooperative's board (pengurus) answers here."),
    )
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": _("Write the board's response.")})
    before = snapshot(recommendation, ["board_response"])
    bump_version(recommendation, expected_version)
    recommendation.board_response = response
    recommendation.responded_at = timezone.now()
    recommendation.responded_by = actor
    recommendation.full_clean()
    recommendation.save(
        update_fields=["board_response", "responded_at", "responded_by", "updated_at"]
    )
    audit(
        actor=actor,
        action="recommendation_respond",
        obj=recommendation,
        region_code=village_code,
        changes=changes_between(before, snapshot(recommendation, ["board_response"])),
    )
    return recommendation


# --- Walk-in consultations --------------------------------------------------------------------


def _check_consultation_agencies(village_code, referral_agency, followup) -> None:
    _check_agency(referral_agency, village_code, "referral_agency")
    if followup:
        _check_agency(followup["owner_agency"], village_code, "followup_agency")


def _consultation_followup(actor, consultation, followup: dict | None) -> None:
    if not followup:
        return
    followup_create(
        actor=actor,
        title=followup["title"][:200],
        description=consultation.question[:1000],
        owner_agency=followup["owner_agency"],
        due_date=followup["due_date"],
        region_code=consultation.cooperative.village_id,
        cooperative=consultation.cooperative,
        source=consultation,
    )


@transaction.atomic
def consultation_create(
    *,
    actor,
    cooperative,
    visitor_name: str,
    visitor_role: str,
    topic: str,
    question: str,
    advice: str = "",
    referral_agency=None,
    date: datetime.date | None = None,
    followup: dict | None = None,
) -> Consultation:
    """Front-desk entry. Without advice the visitor waits in today's queue."""
    require(actor, Cap.EDIT, cooperative.village_id)
    _require_mentoring_staff(actor)
    today = timezone.localdate()
    date = date or today
    if date > today:
        raise ValidationError({"date": _("A consultation cannot be in the future.")})
    _check_consultation_agencies(cooperative.village_id, referral_agency, followup)
    consultation = Consultation(
        cooperative=cooperative,
        date=date,
        visitor_name=visitor_name.strip(),
        visitor_role=visitor_role,
        topic=topic,
        question=question,
        advice=advice,
        referral_agency=referral_agency,
        created_by=actor,
    )
    if advice.strip():
        consultation.served_by, consultation.served_at = actor, timezone.now()
    consultation.full_clean()
    consultation.save()
    audit(
        actor=actor,
        action="consultation_create",
        obj=consultation,
        region_code=cooperative.village_id,
        changes=_created(consultation),
    )
    _consultation_followup(actor, consultation, followup)
    return consultation


@transaction.atomic
def consultation_serve(
    *, actor, consultation: Consultation, advice: str, referral_agency=None, followup=None
) -> Consultation:
    """Record the advice given to a waiting visitor (takes it off the queue).

    The row is locked and read again: of two people serving the same visitor at once, the
    second is refused instead of overwriting the advice and duplicating the follow-up.
    """
    require(actor, Cap.EDIT, consultation.cooperative.village_id)
    _require_mentoring_staff(actor)
    if not advice.strip():
        raise ValidationError({"advice": _("Write the advice given.")})
    _check_consultation_agencies(consultation.cooperative.village_id, referral_agency, followup)
    current = (
        Consultation.objects.select_for_update()
        .only("pk", "served_at", "served_by")
        .get(pk=consultation.pk)
    )
    if not current.is_waiting:
        raise ValidationError(
            _("This visitor was already served by %(name)s; the advice was not changed.")
            % {"name": current.served_by or "-"}
        )
    before = snapshot(consultation)
    consultation.advice = advice
    consultation.referral_agency = referral_agency
    consultation.served_by, consultation.served_at = actor, timezone.now()
    consultation.full_clean()
    consultation.save()
    audit(
        actor=actor,
        action="consultation_serve",
        obj=consultation,
        region_code=consultation.cooperative.village_id,
        changes=changes_between(before, snapshot(consultation)),
    )
    _consultation_followup(actor, consultation, followup)
    return consultation


# --- BA monthly reports -----------------------------------------------------------------------


def _own_report(actor, report: MonthlyReport) -> None:
    require(actor, Cap.VIEW, report.region_id)
    require_rule(
        may_edit_mentor_report(actor, report.mentor_id),
        _("Only the mentor who writes the report may change it."),
    )


@transaction.atomic
def report_save(
    *,
    actor,
    month: datetime.date,
    activities: str,
    issues: str = "",
    cooperatives=(),
    attachment=None,
    report: MonthlyReport | None = None,
    expected_version: int | None = None,
) -> MonthlyReport:
    """Create or edit the actor's own report while it is a draft or returned."""
    profile = Mentor.objects.filter(user=actor).first()
    require_rule(profile is not None, _("Only registered mentors write monthly reports."))
    month = rules.first_of_month(month)
    if month > rules.first_of_month(timezone.localdate()):
        raise ValidationError({"month": _("A report cannot be for a future month.")})
    if report is None:
        if MonthlyReport.objects.filter(mentor=actor, month=month).exists():
            raise ValidationError({"month": _("There is already a report for this month.")})
        report = MonthlyReport(mentor=actor, region_id=profile.region_id, month=month)
        before = {}
    else:
        before = snapshot(report)
        if report.status not in (MonthlyReport.Status.DRAFT, MonthlyReport.Status.RETURNED):
            raise ValidationError(_("A submitted report can no longer be changed."))
        bump_version(report, expected_version)
    _own_report(actor, report)
    report.month, report.activities, report.issues = month, activities, issues
    old_attachment = report.attachment.name if report.attachment else ""
    if attachment:
        report.attachment = attachment
    reached_before = (
        sorted(report.cooperatives_reached.values_list("pk", flat=True)) if report.pk else []
    )
    report.full_clean(validate_constraints=False)
    report.save()
    delete_replaced(report.attachment, old_attachment)
    report.cooperatives_reached.set(cooperatives)
    reached_after = sorted(report.cooperatives_reached.values_list("pk", flat=True))
    changes = changes_between(before, snapshot(report))
    if reached_before != reached_after:
        changes["cooperatives_reached"] = [reached_before, reached_after]
    audit(
        actor=actor,
        action="report_update" if before else "report_create",
        obj=report,
        region_code=report.region_id,
        changes=changes,
    )
    return report


@transaction.atomic
def report_submit(*, actor, report: MonthlyReport, expected_version: int | None = None):
    _own_report(actor, report)
    if report.status not in (MonthlyReport.Status.DRAFT, MonthlyReport.Status.RETURNED):
        raise ValidationError(_("Only a draft or a returned report can be submitted."))
    bump_version(report, expected_version)
    now = timezone.now()
    old = report.status
    report.status = MonthlyReport.Status.SUBMITTED
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.save(update_fields=["status", "submitted_at", "first_submitted_at", "updated_at"])
    audit(
        actor=actor,
        action="report_submit",
        obj=report,
        region_code=report.region_id,
        changes={"status": [old, report.status]},
    )
    return report


@transaction.atomic
def report_review(
    *,
    actor,
    report: MonthlyReport,
    accept: bool,
    reason: str = "",
    expected_version: int | None = None,
):
    require(actor, Cap.VERIFY, report.region_id)
    require_rule(
        may_review_mentor_report(actor, report.mentor_id),
        _("A mentor does not review its own report."),
    )
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the report is returned.")})
    bump_version(report, expected_version)
    report.status = MonthlyReport.Status.ACCEPTED if accept else MonthlyReport.Status.RETURNED
    report.return_reason = "" if accept else reason.strip()
    report.reviewed_at, report.reviewed_by = timezone.now(), actor
    report.save(
        update_fields=["status", "return_reason", "reviewed_at", "reviewed_by", "updated_at"]
    )
    audit(
        actor=actor,
        action="report_accept" if accept else "report_return",
        obj=report,
        region_code=report.region_id,
        changes={"status": [MonthlyReport.Status.SUBMITTED, report.status]},
        note=report.return_reason,
    )
    return report
