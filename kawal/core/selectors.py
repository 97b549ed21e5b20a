from django.contrib.contenttypes.models import ContentType

from kawal.core.codes import ANCESTOR_FIELD, is_valid_code, level_of
from kawal.core.models import AuditEvent
from kawal.core.scope import Cap, scoped


def audit_list(*, user, q: str = "", region_code: str = "", action: str = ""):
    """The audit trail the user may read: its regions only; national rows for national users."""
    events = scoped(AuditEvent.objects.all(), user, Cap.VIEW_AUDIT, path="region")
    if region_code and is_valid_code(region_code):
        field = ANCESTOR_FIELD[level_of(region_code)]
        events = events.filter(**{f"region__{field}": region_code})
    if action:
        events = events.filter(action=action)
    if q:
        events = events.filter(object_repr__icontains=q)
    # Village boundaries are large JSON; the list needs only the region's name.
    return events.select_related("actor", "region", "content_type").defer("region__boundary")


def audit_for_object(*, user, obj):
    """The "Riwayat" of one object; the caller has already checked the object is in scope."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return AuditEvent.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("actor")
