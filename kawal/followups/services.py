"""Follow-up writes. Other apps create their follow-ups only through `followup_create`."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from kawal.core.audit import audit, snapshot
from kawal.core.scope import Cap, require
from kawal.followups.models import FollowUp


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
) -> FollowUp:
    require(actor, Cap.EDIT, region_code)
    followup = FollowUp(
        title=title,
        description=description,
        owner_agency=owner_agency,
        owner_user=owner_user,
        due_date=due_date,
        region_id=region_code,
        cooperative=cooperative,
        created_by=actor,
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
