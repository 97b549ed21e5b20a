"""Cooperative, officer and outlet writes: permission first, validation, audit, atomic."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.cooperatives.models import OUTLET_KBLI, Cooperative, Officer, Outlet
from kawal.core.audit import audit, changes_between, snapshot
from kawal.core.nik import normalize_phone
from kawal.core.scope import Cap, can, require
from kawal.core.services import bump_version

COOPERATIVE_FIELDS = (
    "name",
    "is_syariah",
    "scheme",
    "business_type",
    "address",
    "lat",
    "lng",
    "registration_number",
    "simpanan_pokok",
    "simpanan_wajib",
    "hibah",
    "members_male",
    "members_female",
    "simkopdes_id",
)
OFFICER_FIELDS = (
    "body",
    "position",
    "name",
    "sex",
    "nik",
    "phone",
    "term_start",
    "term_end",
    "is_village_official",
    "is_village_head",
    "is_bpd_member",
    "family_ties",
    "is_active",
)
OUTLET_FIELDS = (
    "outlet_type",
    "other_label",
    "kbli",
    "status",
    "progress_pct",
    "has_internet",
    "has_electricity",
    "has_clean_water",
    "land_area_m2",
    "land_ownership",
    "lat",
    "lng",
)


def _unknown(fields: dict, allowed) -> None:
    extra = set(fields) - set(allowed)
    if extra:
        raise TypeError(f"unknown fields: {sorted(extra)}")


def _check_village_free(village, exclude_pk=None) -> None:
    """One cooperative per village: neither its own nor inside a joint cooperative."""
    if village.level != 4:
        raise ValidationError({"village": _("A cooperative belongs to a desa or kelurahan.")})
    own = Cooperative.objects.filter(village=village).exclude(pk=exclude_pk).first()
    if own is not None:
        raise ValidationError(
            {
                "village": _("%(village)s already has a cooperative: %(name)s.")
                % {"village": village.display_name, "name": own.name}
            }
        )
    joint = Cooperative.objects.filter(joint_villages=village).exclude(pk=exclude_pk).first()
    if joint is not None:
        raise ValidationError(
            {
                "village": _("%(village)s is already covered by the joint cooperative %(name)s.")
                % {"village": village.display_name, "name": joint.name}
            }
        )


@transaction.atomic
def cooperative_create(
    *, actor, village, name: str, scheme: str = Cooperative.Scheme.PENDIRIAN_BARU, **fields
) -> Cooperative:
    require(actor, Cap.EDIT, village.code)
    _unknown(fields, COOPERATIVE_FIELDS)
    _check_village_free(village)
    cooperative = Cooperative(village=village, name=name.strip(), scheme=scheme, **fields)
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


SCHEME_LOCKED = _(
    "The scheme cannot be changed once a formation step has been started or completed: the "
    "steps and their order depend on it. Ask the Dinas or the camat to change it."
)


def _check_scheme_change(actor, cooperative, new_scheme) -> None:
    """A scheme decides the steps and their order rules (docs/DOMAIN.md §3). Once any step record is
    past "belum", only someone who runs the programme (Cap.MANAGE) may switch it."""
    if new_scheme is None or new_scheme == cooperative.scheme or cooperative.pk is None:
        return
    if can(actor, Cap.MANAGE, cooperative.village_id):
        return
    steps = getattr(cooperative, "steps", None)  # formation's StepRecord, when installed
    if steps is not None and steps.exclude(status="belum").exists():
        raise ValidationError({"scheme": SCHEME_LOCKED}, code="scheme_locked")


@transaction.atomic
def cooperative_update(*, actor, cooperative, expected_version: int | None = None, **fields):
    require(actor, Cap.EDIT, cooperative.village_id)
    _unknown(fields, COOPERATIVE_FIELDS)
    if "scheme" in fields:
        _check_scheme_change(actor, cooperative, fields["scheme"])
    before = snapshot(cooperative)
    for key, value in fields.items():
        setattr(cooperative, key, value.strip() if isinstance(value, str) else value)
    cooperative.full_clean(exclude=["village"])
    changes = changes_between(before, snapshot(cooperative))
    if not changes:
        return cooperative
    bump_version(cooperative, expected_version)
    cooperative.save()
    audit(
        actor=actor,
        action="cooperative_update",
        obj=cooperative,
        region_code=cooperative.village_id,
        changes=changes,
    )
    return cooperative


@transaction.atomic
def cooperative_set_joint_villages(*, actor, cooperative, villages) -> Cooperative:
    """Record a joint cooperative: the other small villages it covers (docs/DOMAIN.md §3)."""
    require(actor, Cap.EDIT, cooperative.village_id)
    villages = list(villages)
    for village in villages:
        require(actor, Cap.EDIT, village.code)
        if village.code == cooperative.village_id:
            raise ValidationError(
                {"joint_villages": _("The main village cannot also be a joint village.")}
            )
        _check_village_free(village, exclude_pk=cooperative.pk)
    before = sorted(cooperative.joint_villages.values_list("code", flat=True))
    after = sorted(v.code for v in villages)
    if before == after:
        return cooperative
    cooperative.joint_villages.set(villages)
    bump_version(cooperative, None)
    audit(
        actor=actor,
        action="cooperative_joint_villages",
        obj=cooperative,
        region_code=cooperative.village_id,
        changes={"joint_villages": [before, after]},
    )
    return cooperative


# --- Officers ------------------------------------------------------------------------------


def _clean_person(fields: dict) -> dict:
    if "nik" in fields:
        fields["nik"] = re.sub(r"\s", "", fields["nik"] or "")
    if fields.get("phone"):
        try:
            fields["phone"] = normalize_phone(fields["phone"])
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None
    for key in ("name", "family_ties"):
        if isinstance(fields.get(key), str):
            fields[key] = fields[key].strip()
    return fields


def _check_officer(officer: Officer) -> None:
    body_positions = {
        Officer.Body.PENGURUS: {
            Officer.Position.KETUA,
            Officer.Position.WAKIL_KETUA_USAHA,
            Officer.Position.WAKIL_KETUA_ANGGOTA,
            Officer.Position.SEKRETARIS,
            Officer.Position.BENDAHARA,
            Officer.Position.ANGGOTA,
        },
        Officer.Body.PENGAWAS: {Officer.Position.KETUA_PENGAWAS, Officer.Position.ANGGOTA},
    }
    if officer.position not in body_positions.get(officer.body, set()):
        raise ValidationError({"position": _("This position does not belong to the chosen body.")})
    if officer.term_start and officer.term_end and officer.term_end < officer.term_start:
        raise ValidationError({"term_end": _("The term cannot end before it starts.")})
    if officer.nik:
        clash = Officer.objects.filter(
            cooperative_id=officer.cooperative_id, nik=officer.nik, is_active=True
        ).exclude(pk=officer.pk)
        if officer.is_active and clash.exists():
            raise ValidationError(
                {"nik": _("This NIK is already recorded for another officer of this cooperative.")}
            )


@transaction.atomic
def officer_create(*, actor, cooperative, **fields) -> Officer:
    require(actor, Cap.EDIT, cooperative.village_id)
    _unknown(fields, OFFICER_FIELDS)
    officer = Officer(cooperative=cooperative, **_clean_person(fields))
    officer.full_clean()
    _check_officer(officer)
    officer.save()
    audit(
        actor=actor,
        action="officer_create",
        obj=officer,
        region_code=cooperative.village_id,
        changes={k: [None, v] for k, v in snapshot(officer).items()},
    )
    return officer


@transaction.atomic
def officer_update(*, actor, officer, expected_version: int | None = None, **fields) -> Officer:
    region = officer.cooperative.village_id
    require(actor, Cap.EDIT, region)
    _unknown(fields, OFFICER_FIELDS)
    before = snapshot(officer)
    for key, value in _clean_person(fields).items():
        setattr(officer, key, value)
    officer.full_clean()
    _check_officer(officer)
    changes = changes_between(before, snapshot(officer))
    if not changes:
        return officer
    bump_version(officer, expected_version)
    officer.save()
    audit(actor=actor, action="officer_update", obj=officer, region_code=region, changes=changes)
    return officer


# --- Outlets -------------------------------------------------------------------------------


def _check_outlet(outlet: Outlet) -> None:
    if outlet.outlet_type == Outlet.Type.LAINNYA:
        if not outlet.other_label.strip():
            raise ValidationError({"other_label": _("Name the other type of outlet.")})
    elif outlet.kbli and outlet.kbli not in OUTLET_KBLI.get(outlet.outlet_type, ()):
        raise ValidationError(
            {
                "kbli": _(
                    "KBLI %(kbli)s does not belong to this outlet type; expected one of %(codes)s."
                )
                % {"kbli": outlet.kbli, "codes": ", ".join(OUTLET_KBLI[outlet.outlet_type])}
            }
        )
    if outlet.kbli and not re.fullmatch(r"\d{5}", outlet.kbli):
        raise ValidationError({"kbli": _("A KBLI code has 5 digits.")})
    if outlet.status == Outlet.Status.BEROPERASI and outlet.progress_pct < 100:
        outlet.progress_pct = 100  # an operating outlet is built


@transaction.atomic
def outlet_create(*, actor, cooperative, **fields) -> Outlet:
    require(actor, Cap.EDIT, cooperative.village_id)
    _unknown(fields, OUTLET_FIELDS)
    outlet = Outlet(cooperative=cooperative, **fields)
    outlet.full_clean()
    _check_outlet(outlet)
    outlet.save()
    audit(
        actor=actor,
        action="outlet_create",
        obj=outlet,
        region_code=cooperative.village_id,
        changes={k: [None, v] for k, v in snapshot(outlet).items()},
    )
    return outlet


@transaction.atomic
def outlet_update(*, actor, outlet, expected_version: int | None = None, **fields) -> Outlet:
    region = outlet.cooperative.village_id
    require(actor, Cap.EDIT, region)
    _unknown(fields, OUTLET_FIELDS)
    before = snapshot(outlet)
    for key, value in fields.items():
        setattr(outlet, key, value)
    outlet.full_clean()
    _check_outlet(outlet)
    changes = changes_between(before, snapshot(outlet))
    if not changes:
        return outlet
    bump_version(outlet, expected_version)
    outlet.save()
    audit(actor=actor, action="outlet_update", obj=outlet, region_code=region, changes=changes)
    return outlet


# --- Bulk import (spreadsheets) ------------------------------------------------------------


def _bulk_audit(actor, action: str, items) -> None:
    """One audit row per (object, changes), written in bulk inside the caller's transaction."""
    from django.contrib.contenttypes.models import ContentType

    from kawal.core.audit import region_columns
    from kawal.core.models import AuditEvent

    events = []
    for obj, region_code, changes in items:
        events.append(
            AuditEvent(
                actor=actor if getattr(actor, "pk", None) else None,
                action=action,
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                **region_columns(region_code),
                changes=changes,
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=2000)


@dataclass
class PreparedImport:
    """Cooperatives checked by `cooperative_import_prepare`, ready for `_import_write`."""

    actor: object
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)  # (cooperative, changes)
    errors: dict = field(default_factory=dict)  # row index -> [messages]
    total: int = 0


_NEW_FIELDS = {name: Cooperative._meta.get_field(name) for name in COOPERATIVE_FIELDS}


def _clean_new(fields: dict) -> dict:
    """Validate the values of a new cooperative field by field (as full_clean does for them;
    the fields not given keep their valid defaults, the village was checked by the caller)."""
    values, errors = {}, {}
    for name in ("name", *fields):
        if name in values:
            continue
        try:
            values[name] = _NEW_FIELDS[name].clean(fields.get(name, ""), None)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return values


IMPORT_FORBIDDEN = _(
    "Only the Dinas or the camat may import data for this village (bulk imports run the programme)."
)


def cooperative_import_prepare(*, actor, rows: list[tuple[object, dict]]) -> PreparedImport:
    """Check rows of (village Region, {field: value}) as cooperative_create/update would:
    permission, one cooperative per village (joint villages included), model validation.
    Nothing is written; errors are collected per row index for the import preview."""
    prepared = PreparedImport(actor=actor, total=len(rows))
    codes = [village.code for village, _fields in rows]
    existing = {c.village_id: c for c in Cooperative.objects.filter(village_id__in=codes)}
    joint = set(
        Cooperative.joint_villages.through.objects.filter(region_id__in=codes).values_list(
            "region_id", flat=True
        )
    )
    for index, (village, fields) in enumerate(rows):
        _unknown(fields, COOPERATIVE_FIELDS)
        try:
            require(actor, Cap.MANAGE, village.code)
            cooperative = existing.get(village.code)
            if cooperative is None:
                if village.level != 4:
                    raise ValidationError(_("A cooperative belongs to a desa or kelurahan."))
                if village.code in joint:
                    raise ValidationError(
                        _("%(village)s is already covered by a joint cooperative.")
                        % {"village": village.display_name}
                    )
                prepared.created.append((village, _clean_new(fields)))
            else:
                if "scheme" in fields:
                    _check_scheme_change(actor, cooperative, fields["scheme"])
                before = snapshot(cooperative, list(fields))
                for key, value in fields.items():
                    setattr(cooperative, key, value)
                cooperative.full_clean(exclude=["village"], validate_unique=False)
                changes = changes_between(before, snapshot(cooperative, list(fields)))
                if changes:
                    prepared.updated.append((cooperative, changes))
        except ValidationError as error:
            prepared.errors[index] = error.messages
        except (PermissionDenied, Http404):
            prepared.errors[index] = [str(IMPORT_FORBIDDEN)]
    return prepared


def _insert_many(model, columns: list[str], rows: list[list], chunk: int = 400) -> None:
    """INSERT rows of plain, already database-ready values, many rows per statement.

    bulk_create prepares every value of every field through the field API, which costs more
    than the database itself at 80,000 rows; the callers here pass values that need no
    preparation (text, numbers, booleans, codes, one adapted timestamp, one JSON value).
    `chunk` keeps a statement under SQLite's limit on parameters.
    """
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    group = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # psycopg pipelines executemany: fastest there
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES {group}", rows)
            return
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([group] * len(part))
            cursor.execute(sql, [value for row in part for value in row])


def _import_write(prepared: PreparedImport) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from kawal.core.audit import region_columns
    from kawal.core.models import AuditEvent

    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    fields = [f for f in Cooperative._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    defaults.update(created_at=stamp, updated_at=stamp, version=1)
    columns = [f.column for f in fields]
    names = [f.attname for f in fields]
    rows = []
    for village, values in prepared.created:
        row = dict(defaults, village_id=village.code)
        row.update(values)
        rows.append([row[name] for name in names])
    _insert_many(Cooperative, columns, rows)
    codes = [village.code for village, _values in prepared.created]
    created = []
    for start in range(0, len(codes), 5000):
        created += Cooperative.objects.filter(village_id__in=codes[start : start + 5000]).only(
            "pk", "name", "village"
        )

    updated = [c for c, _changes in prepared.updated]
    for cooperative in updated:
        cooperative.version += 1
        cooperative.updated_at = now
    # Only the fields each row changes (rows grouped by the set of fields they change).
    groups: dict[tuple, list] = {}
    for cooperative, changes in prepared.updated:
        groups.setdefault(tuple(sorted(changes)), []).append(cooperative)
    for names, group in groups.items():
        Cooperative.objects.bulk_update(group, [*names, "version", "updated_at"], batch_size=2000)

    # One audit row per cooperative, as cooperative_create/update write them.
    content_type = ContentType.objects.get_for_model(Cooperative).pk
    actor = prepared.actor.pk if getattr(prepared.actor, "pk", None) else None
    changes_field = AuditEvent._meta.get_field("changes")
    audit_rows = [(c, changes) for c, changes in prepared.updated] + [
        (c, {"name": [None, c.name], "village": [None, c.village_id]}) for c in created
    ]
    _insert_many(
        AuditEvent,
        [
            "created_at",
            "actor_id",
            "action",
            "content_type_id",
            "object_id",
            "object_repr",
            "region_code",
            "province_code",
            "regency_code",
            "district_code",
            "changes",
            "note",
        ],
        [
            [
                stamp,
                actor,
                "cooperative_import",
                content_type,
                str(c.pk),
                str(c)[:200],
                *region_columns(c.village_id).values(),
                changes_field.get_db_prep_save(changes, connection),
                "",
            ]
            for c, changes in audit_rows
        ],
    )
    return {
        "created": len(created),
        "updated": len(updated),
        "unchanged": prepared.total - len(created) - len(updated),
    }


@transaction.atomic
def cooperative_import(*, actor, rows=None, prepared: PreparedImport | None = None) -> dict:
    """Create or update cooperatives keyed by village, all or nothing; idempotent.

    Either `rows` (checked here) or the result of `cooperative_import_prepare` from the same
    request (the import preview), so 80,000 rows are validated once and written in bulk.
    """
    if prepared is None:
        prepared = cooperative_import_prepare(actor=actor, rows=rows)
    if prepared.errors:
        raise ValidationError(
            [f"{i + 1}: {'; '.join(messages)}" for i, messages in prepared.errors.items()][:50]
        )
    _check_unchanged_since_preview(prepared)
    return _import_write(prepared)


CHANGED_SINCE_PREVIEW = _(
    "%(village)s: the data changed since the preview (someone else saved it); run the import again."
)


def _check_unchanged_since_preview(prepared: PreparedImport) -> None:
    """Inside the commit's transaction: lock the cooperatives the preview read and refuse the
    import if any was saved meanwhile (its version moved) or if a village to be created got a
    cooperative meanwhile; otherwise the import would silently revert someone else's edit."""
    errors = []
    expected = {c.pk: (c.version, c.village_id) for c, _changes in prepared.updated}
    pks = list(expected)
    for start in range(0, len(pks), 5000):
        current = list(
            Cooperative.objects.select_for_update()
            .filter(pk__in=pks[start : start + 5000])
            .values_list("pk", "version")
        )
        for pk, version in current:
            if version != expected[pk][0]:
                errors.append(CHANGED_SINCE_PREVIEW % {"village": expected[pk][1]})
        missing = set(pks[start : start + 5000]) - {pk for pk, _v in current}
        errors += [CHANGED_SINCE_PREVIEW % {"village": expected[pk][1]} for pk in missing]
    codes = [village.code for village, _values in prepared.created]
    for start in range(0, len(codes), 5000):
        part = codes[start : start + 5000]
        taken = set(
            Cooperative.objects.filter(village_id__in=part).values_list("village_id", flat=True)
        )
        taken |= set(
            Cooperative.joint_villages.through.objects.filter(region_id__in=part).values_list(
                "region_id", flat=True
            )
        )
        errors += [CHANGED_SINCE_PREVIEW % {"village": code} for code in sorted(taken)]
    if errors:
        raise ValidationError([str(e) for e in errors[:50]], code="stale")


@transaction.atomic
def officer_import(*, actor, rows: list[tuple]) -> dict:
    """Create or update officers, keyed by (cooperative, NIK) or else (cooperative, name, body);
    all or nothing, idempotent. `rows`: (cooperative, {field: value}[, line in the file])."""
    from kawal.core.imports import each_row

    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for cooperative, *_rest in rows:
        require(actor, Cap.MANAGE, cooperative.village_id)
    existing: dict[tuple, Officer] = {}

    def remember(officer):
        if officer.nik:
            existing[(officer.cooperative_id, "nik", officer.nik)] = officer
        existing[(officer.cooperative_id, "name", officer.name.casefold(), officer.body)] = officer

    for officer in Officer.objects.filter(cooperative__in={row[0].pk for row in rows}):
        remember(officer)

    def write(row):
        cooperative, fields = row[0], _clean_person(dict(row[1]))
        officer = None
        if fields.get("nik"):
            officer = existing.get((cooperative.pk, "nik", fields["nik"]))
        if officer is None:
            officer = existing.get(
                (cooperative.pk, "name", fields["name"].casefold(), fields["body"])
            )
        if officer is None:
            remember(officer_create(actor=actor, cooperative=cooperative, **fields))
            counts["created"] += 1
        else:
            before_version = officer.version
            officer_update(actor=actor, officer=officer, **fields)
            remember(officer)
            counts["updated" if officer.version != before_version else "unchanged"] += 1

    each_row(rows, write, line=lambda row: row[2] if len(row) > 2 else None)
    return counts
