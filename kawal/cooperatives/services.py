"""Cooperative, officer and outlet writes: permission first, validation, audit, atomic."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kawal.cooperatives.models import OUTLET_KBLI, Cooperative, Officer, Outlet
from kawal.core.audit import audit, changes_between, snapshot
from kawal.core.nik import normalize_phone
from kawal.core.scope import Cap, require
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
    joint = (
        Cooperative.objects.filter(joint_villages=village).exclude(pk=exclude_pk).first()
    )
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


@transaction.atomic
def cooperative_update(*, actor, cooperative, expected_version: int | None = None, **fields):
    require(actor, Cap.EDIT, cooperative.village_id)
    _unknown(fields, COOPERATIVE_FIELDS)
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
    """Record a joint cooperative: the other small villages it covers (DOMAIN.md §3)."""
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
        raise ValidationError(
            {"position": _("This position does not belong to the chosen body.")}
        )
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
                "kbli": _("KBLI %(kbli)s does not belong to this outlet type; expected one of %(codes)s.")
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
