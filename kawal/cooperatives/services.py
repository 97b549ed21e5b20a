"""Cooperative writes."""

from django.db import transaction

from kawal.cooperatives.models import Cooperative
from kawal.core.audit import audit, snapshot
from kawal.core.scope import Cap, require


@transaction.atomic
def cooperative_create(
    *, actor, village, name: str, scheme: str = Cooperative.Scheme.PENDIRIAN_BARU
):
    require(actor, Cap.EDIT, village.code)
    cooperative = Cooperative(village=village, name=name, scheme=scheme)
    cooperative.full_clean()
    cooperative.save()
    audit(
        actor=actor,
        action="cooperative_create",
        obj=cooperative,
        region_code=village.code,
        changes={k: [None, v] for k, v in snapshot(cooperative).items()},
    )
    return cooperative
