"""Potential writes: village profiles, commodities, BUMDes and their units, the standard list."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kawal.core.audit import audit, audit_many, changes_between, snapshot
from kawal.core.imports import RowErrors, messages_of
from kawal.core.models import loaded_relations
from kawal.core.scope import Cap, may_edit_standard_list, require, require_rule
from kawal.core.services import bump_version
from kawal.potential.models import (
    Bumdes,
    BumdesUnit,
    Commodity,
    CommodityType,
    Sector,
    VillageProfile,
)

PROFILE_FIELDS = (
    "population",
    "households",
    "idm_status",
    "idm_year",
    "has_market",
    "has_health_facility",
    "has_internet",
    "has_electricity",
    "access",
    "land_available_m2",
    "notes",
)
BUMDES_FIELDS = (
    "name",
    "legal_status",
    "legal_number",
    "is_active",
    "yearly_revenue",
    "revenue_year",
    "contact_name",
    "phone",
    "notes",
)


# Who writes village potential: the Dinas and the camat (Cap.MANAGE), never a cooperative's
# board nor its mentors (they hold Cap.EDIT on their village). The profile, the commodities and
# the BUMDes register feed the overlap analysis that decides which lines of business the KMP may
# take up ("the KMP complements the BUMDes"); the board of the KMP being analysed has an
# interest in that outcome, so it may read these records but not write them.
WRITE_CAP = Cap.MANAGE


def _apply(obj, fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(obj, key, value)


@transaction.atomic
def profile_save(*, actor, village, expected_version: int | None = None, **fields):
    require(actor, WRITE_CAP, village.code)
    profile = VillageProfile.objects.filter(village=village).first()
    created = profile is None
    if created:
        profile = VillageProfile(village=village)
    before = {} if created else snapshot(profile)
    _apply(profile, fields, PROFILE_FIELDS)
    if village.kind == "kelurahan":
        profile.idm_status, profile.idm_year = "", None
    profile.full_clean()
    changes = changes_between(before, snapshot(profile))
    if not created:
        if not changes:  # nothing changed: no version bump, no audit row (idempotent imports)
            return profile
        bump_version(profile, expected_version)
    profile.save()
    audit(
        actor=actor,
        action="profile_create" if created else "profile_update",
        obj=profile,
        region_code=village.code,
        changes=changes,
    )
    return profile


@transaction.atomic
def commodity_save(
    *,
    actor,
    village,
    commodity_type: CommodityType,
    volume,
    unit: str,
    estimated_value: int = 0,
    is_main: bool = False,
    commodity: Commodity | None = None,
) -> Commodity:
    require(actor, WRITE_CAP, village.code)
    if commodity is None:
        commodity = Commodity.objects.filter(village=village, commodity=commodity_type).first()
    commodity = commodity or Commodity(village=village)
    created = commodity._state.adding
    changes = _commodity_fill(
        commodity,
        village=village,
        commodity_type=commodity_type,
        volume=volume,
        unit=unit,
        estimated_value=estimated_value,
        is_main=is_main,
    )
    if not created and not changes:
        return commodity
    commodity.save()
    audit(
        actor=actor,
        action="commodity_save",
        obj=commodity,
        region_code=village.code,
        changes=changes,
    )
    return commodity


def _commodity_fill(
    commodity, *, village, commodity_type, volume, unit, estimated_value, is_main
) -> dict:
    """Set a commodity's figures and validate them; returns what changed (everything for a new
    one). The one rule of `commodity_save` and `commodities_save`."""
    if commodity.village_id != village.code:
        raise ValidationError(_("This commodity belongs to another village."))
    commodity.village = village  # the region already read: full_clean need not look it up
    before = {} if commodity._state.adding else snapshot(commodity)
    commodity.commodity = commodity_type
    commodity.volume = volume
    commodity.unit = unit or commodity_type.default_unit
    commodity.estimated_value = estimated_value or 0
    commodity.is_main = is_main
    commodity.full_clean(exclude=loaded_relations(commodity), validate_constraints=False)
    return changes_between(before, snapshot(commodity))


@transaction.atomic
def commodities_save(*, actor, items: list[dict]) -> int:
    """Many commodities at once (an import of tens of thousands of rows), by the same rule as
    `commodity_save`: each item {key, village, commodity_type, volume, unit, estimated_value,
    is_main}; a village's existing commodity of that type is updated, else one is created. The
    refused items raise RowErrors keyed by their `key` and nothing is written; otherwise new and
    changed rows and their audit rows are written in a few statements. Returns the rows written."""
    for code in {item["village"].code for item in items}:
        require(actor, WRITE_CAP, code)
    existing = {
        (c.village_id, c.commodity_id): c
        for c in Commodity.objects.filter(
            village_id__in={item["village"].code for item in items},
            commodity__in={item["commodity_type"] for item in items},
        )
    }
    errors, written = {}, []
    for item in items:
        village, ctype = item["village"], item["commodity_type"]
        commodity = existing.get((village.code, ctype.pk)) or Commodity(village=village)
        fields = {k: v for k, v in item.items() if k != "key"}
        try:
            changes = _commodity_fill(commodity, **fields)
        except ValidationError as error:
            errors[item["key"]] = messages_of(error)
            continue
        if changes:
            written.append((commodity, changes))
    if errors:
        raise RowErrors(errors)
    new = [c for c, _changes in written if c._state.adding]
    changed = [c for c, _changes in written if not c._state.adding]
    Commodity.objects.bulk_create(new, batch_size=500)
    Commodity.objects.bulk_update(changed, COMMODITY_FIGURES, batch_size=500)
    audit_many(
        actor=actor,
        action="commodity_save",
        items=[(c, changes, c.village_id) for c, changes in written],
    )
    return len(written)


COMMODITY_FIGURES = ["volume", "unit", "estimated_value", "is_main"]


@transaction.atomic
def commodity_delete(*, actor, commodity: Commodity) -> None:
    require(actor, WRITE_CAP, commodity.village_id)
    audit(
        actor=actor,
        action="commodity_delete",
        obj=commodity,
        region_code=commodity.village_id,
        changes={k: [v, None] for k, v in snapshot(commodity).items()},
    )
    commodity.delete()


@transaction.atomic
def bumdes_save(*, actor, village, expected_version: int | None = None, **fields) -> Bumdes:
    require(actor, WRITE_CAP, village.code)
    bumdes = Bumdes.objects.filter(village=village).first()
    created = bumdes is None
    if created:
        bumdes = Bumdes(village=village)
    before = {} if created else snapshot(bumdes)
    _apply(bumdes, fields, BUMDES_FIELDS)
    bumdes.full_clean()
    changes = changes_between(before, snapshot(bumdes))
    if not created:
        if not changes:
            return bumdes
        bump_version(bumdes, expected_version)
    bumdes.save()
    audit(
        actor=actor,
        action="bumdes_create" if created else "bumdes_update",
        obj=bumdes,
        region_code=village.code,
        changes=changes,
    )
    return bumdes


@transaction.atomic
def bumdes_unit_save(*, actor, bumdes: Bumdes, unit: BumdesUnit | None = None, **fields):
    require(actor, WRITE_CAP, bumdes.village_id)
    unit = unit or BumdesUnit(bumdes=bumdes)
    if unit.bumdes_id != bumdes.pk:
        raise ValidationError(_("This unit belongs to another BUMDes."))
    before = snapshot(unit) if unit.pk else {}
    _apply(unit, fields, ("name", "category", "kbli", "is_active", "runs_well"))
    unit.full_clean()
    changes = changes_between(before, snapshot(unit))
    if unit.pk and not changes:
        return unit
    unit.save()
    audit(
        actor=actor,
        action="bumdes_unit_save",
        obj=bumdes,
        region_code=bumdes.village_id,
        changes=changes,
        note=unit.name,
    )
    return unit


@transaction.atomic
def bumdes_unit_delete(*, actor, unit: BumdesUnit) -> None:
    require(actor, WRITE_CAP, unit.bumdes.village_id)
    audit(
        actor=actor,
        action="bumdes_unit_delete",
        obj=unit.bumdes,
        region_code=unit.bumdes.village_id,
        note=unit.name,
    )
    unit.delete()


def _require_standard_list(actor) -> None:
    require_rule(
        may_edit_standard_list(actor),
        _("The standard list is national: only the national Dinas may change it."),
    )


@transaction.atomic
def sector_save(*, actor, sector: Sector | None = None, **fields) -> Sector:
    _require_standard_list(actor)
    sector = sector or Sector()
    before = snapshot(sector) if sector.pk else {}
    _apply(sector, fields, ("code", "name", "serving_units", "order", "is_active"))
    from kawal.potential.models import UnitCategory

    bad = [u for u in sector.serving_list if u not in UnitCategory.values]
    if bad:
        raise ValidationError(
            {"serving_units": _("Unknown business line: %(codes)s.") % {"codes": ", ".join(bad)}}
        )
    sector.full_clean()
    sector.save()
    audit(
        actor=actor,
        action="sector_save",
        obj=sector,
        region_code=None,
        changes=changes_between(before, snapshot(sector)),
    )
    return sector


@transaction.atomic
def commodity_type_save(*, actor, commodity_type: CommodityType | None = None, **fields):
    _require_standard_list(actor)
    commodity_type = commodity_type or CommodityType()
    before = snapshot(commodity_type) if commodity_type.pk else {}
    _apply(commodity_type, fields, ("sector", "name", "default_unit", "order", "is_active"))
    commodity_type.full_clean()
    commodity_type.save()
    audit(
        actor=actor,
        action="commodity_type_save",
        obj=commodity_type,
        region_code=None,
        changes=changes_between(before, snapshot(commodity_type)),
    )
    return commodity_type
