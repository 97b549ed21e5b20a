"""Mentoring writes."""

from django.db import transaction

from kawal.core.audit import audit
from kawal.core.scope import Cap, require
from kawal.mentoring.models import Assignment


@transaction.atomic
def assignment_start(*, actor, mentor, cooperative, started_on) -> Assignment:
    require(actor, Cap.EDIT, cooperative.village_id)
    assignment = Assignment(mentor=mentor, cooperative=cooperative, started_on=started_on)
    assignment.full_clean()
    assignment.save()
    audit(
        actor=actor,
        action="assignment_start",
        obj=cooperative,
        region_code=cooperative.village_id,
        changes={"mentor": [None, mentor.username]},
    )
    return assignment
