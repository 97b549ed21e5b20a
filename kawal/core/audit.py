"""Audit rows, written by services inside their transaction."""

import datetime
import decimal
import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from kawal.core.codes import ancestors
from kawal.core.models import AuditEvent
from kawal.core.nik import mask_nik, mask_phone

# Personal data is never stored readable in the audit trail: NIKs, and every phone-like field
# (phone, phone_2, office_phone, mobile, hp, hp1, telepon, whatsapp…), whatever the model.
PHONE_FIELD = re.compile(r"(^|_)(phone|mobile|hp|telepon|telp|whatsapp|wa)(_?\d+)?($|_)")
NIK_FIELD = re.compile(r"(^|_)nik($|_)")


def masker_for(name: str):
    if NIK_FIELD.search(name):
        return mask_nik
    if PHONE_FIELD.search(name):
        return mask_phone
    return None


def _masked(name: str, value):
    masker = masker_for(name)
    if masker is None or not value or not isinstance(value, str) or "*" in value:
        return value
    return masker(value)


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def snapshot(obj, fields: list[str] | None = None) -> dict:
    """The object's concrete field values as JSON-friendly data (foreign keys as ids)."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"id", "created_at", "updated_at", "version"}:
            continue
        if fields is not None and field.name not in fields:
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.DecimalField) and value is not None:
            value = _as_stored(field, value)
        values[field.name] = _masked(field.name, _plain(value))
    return values


def _as_stored(field, value):
    """A decimal with the places the column keeps: 30 read from a file and 30.00 read from the
    database are one value, so saving it again is not a change."""
    try:
        return field.to_python(value).quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
    except (ValidationError, decimal.InvalidOperation):
        return value


def changes_between(before: dict, after: dict) -> dict:
    """{field: [old, new]} for every field whose value changed."""
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def region_columns(region_code: str | None) -> dict:
    """The region columns of an audit row: the code and its copied ancestor codes."""
    if not region_code:
        return {"region_code": None, "province_code": "", "regency_code": "", "district_code": ""}
    return {"region_code": region_code, **ancestors(region_code)}


def audit(
    *, actor, action: str, obj, region_code: str | None, changes: dict | None = None, note=""
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        **region_columns(region_code),
        changes=_masked_changes(changes or {}),
        note=note,
    )


def _masked_changes(changes: dict) -> dict:
    """Every value of a changes dict masked by its key: [old, new] pairs, lists of values
    (several phones of one notary) and single values alike."""
    return {key: _mask_value(key, value) for key, value in changes.items()}


def _mask_value(key: str, value):
    if isinstance(value, list | tuple):
        return [_mask_value(key, v) for v in value]
    return _masked(key, _plain(value))


def audit_many(*, actor, action: str, items, region_code: str | None = None, note="") -> int:
    """One audit row per (object, changes) of a bulk write, inserted together (bulk imports);
    an item (object, changes, region_code) names its own region. Phone numbers in the changes
    are masked like in `audit`."""
    items = list(items)
    if not items:
        return 0
    content_type = ContentType.objects.get_for_model(items[0][0], for_concrete_model=False)
    rows = []
    for obj, changes, *own_region in items:
        rows.append(
            AuditEvent(
                actor=actor if getattr(actor, "pk", None) else None,
                action=action,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                **region_columns(own_region[0] if own_region else region_code),
                changes=_masked_changes(changes or {}),
                note=note,
            )
        )
    AuditEvent.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
