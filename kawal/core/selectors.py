from django.contrib.contenttypes.models import ContentType

from kawal.core.codes import is_valid_code, level_of
from kawal.core.extensions import contributions
from kawal.core.models import AuditEvent
from kawal.core.scope import Cap, scoped


def audit_list(*, user, q: str = "", region_code: str = "", action: str = ""):
    """The audit trail the user may read: its regions only; national rows for national users."""
    columns = AuditEvent.REGION_COLUMNS
    events = scoped(AuditEvent.objects.all(), user, Cap.VIEW_AUDIT, columns=columns)
    if region_code and is_valid_code(region_code):
        events = events.filter(**{columns[level_of(region_code)]: region_code})
    if action:
        events = events.filter(action=action)
    if q:
        events = events.filter(object_repr__icontains=q)
    return events.select_related("actor", "content_type")


def with_region_names(events) -> list:
    """The events with `region_name` set, read in one query per resolver (the regions app
    contributes the `region_names` resolver; core cannot import it)."""
    events = list(events)
    codes = {e.region_code for e in events if e.region_code}
    names = {}
    for resolve in contributions("region_names"):
        names.update(resolve(codes) if codes else {})
    for event in events:
        event.region_name = names.get(event.region_code, "")
    return events


def audit_for_object(*, user, obj):
    """The "Riwayat" of one object; the caller has already checked the object is in scope."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEvent.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")
