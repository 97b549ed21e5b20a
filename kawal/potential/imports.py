"""XLSX imports of village profiles, commodities, BUMDes and BUMDes units.

Each kind declares its columns; every row is parsed and checked against the same model rules the
services apply (dry run), and the commit writes all rows through the services in one
transaction, or nothing.
"""

import contextlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.core import imports as imports_flow
from kawal.core import spreadsheets as sp
from kawal.core.imports import each_row, in_batches
from kawal.core.models import loaded_relations
from kawal.potential import services
from kawal.potential.models import (
    Access,
    Bumdes,
    BumdesUnit,
    Commodity,
    CommodityType,
    IdmStatus,
    UnitCategory,
    VillageProfile,
)
from kawal.regions import reconcile
from kawal.regions import services as region_services
from kawal.regions.models import Region

MAX_ROWS = 100_000


def _non_negative_decimal(value):
    number = sp.as_decimal(value)
    if number is not None and number < 0:
        raise ValidationError(_("may not be negative"))
    return number


PROFILE_COLUMNS = reconcile.with_place(
    sp.Column("jumlah_penduduk", parse=sp.as_positive_int),
    sp.Column("jumlah_kk", parse=sp.as_positive_int),
    sp.Column("status_idm", parse=sp.as_choice(IdmStatus.choices)),
    sp.Column("tahun_idm", parse=sp.as_positive_int),
    sp.Column("pasar", parse=sp.as_bool),
    sp.Column("faskes", parse=sp.as_bool),
    sp.Column("internet", parse=sp.as_bool),
    sp.Column("listrik", parse=sp.as_bool),
    sp.Column("akses", parse=sp.as_choice(Access.choices)),
    sp.Column("lahan_tersedia_m2", parse=sp.as_positive_int),
    sp.Column("catatan"),
)
COMMODITY_COLUMNS = reconcile.with_place(
    sp.Column("komoditas", required=True),
    sp.Column("volume", parse=_non_negative_decimal, required=True),
    sp.Column("satuan"),
    sp.Column("nilai_rp", parse=sp.as_rupiah),
    sp.Column("utama", parse=sp.as_bool),
)
BUMDES_COLUMNS = reconcile.with_place(
    sp.Column("nama_bumdes", required=True),
    sp.Column("status_badan_hukum", parse=sp.as_choice(Bumdes.LegalStatus.choices)),
    sp.Column("nomor_badan_hukum"),
    sp.Column("aktif", parse=sp.as_bool),
    sp.Column("omzet_tahunan", parse=sp.as_rupiah),
    sp.Column("tahun_omzet", parse=sp.as_positive_int),
    sp.Column("kontak"),
    sp.Column("telepon"),
)
UNIT_COLUMNS = reconcile.with_place(
    sp.Column("nama_unit", required=True),
    sp.Column("kategori", parse=sp.as_choice(UnitCategory.choices), required=True),
    sp.Column("kbli"),
    sp.Column("aktif", parse=sp.as_bool),
    sp.Column("berjalan_baik", parse=sp.as_bool),
)


def _bool(value, default=False):
    return default if value is None else value


def _profile_fields(v: dict) -> dict:
    return {
        "population": v.get("jumlah_penduduk"),
        "households": v.get("jumlah_kk"),
        "idm_status": v.get("status_idm") or "",
        "idm_year": v.get("tahun_idm"),
        "has_market": _bool(v.get("pasar")),
        "has_health_facility": _bool(v.get("faskes")),
        "has_internet": _bool(v.get("internet")),
        "has_electricity": _bool(v.get("listrik")),
        "access": v.get("akses") or "",
        "land_available_m2": v.get("lahan_tersedia_m2"),
        "notes": v.get("catatan") or "",
    }


def _bumdes_fields(v: dict) -> dict:
    from kawal.core.nik import normalize_phone

    phone = v.get("telepon") or ""
    if phone:
        with contextlib.suppress(ValidationError, ValueError):  # PhoneValidator reports it
            phone = normalize_phone(phone)
    return {
        "name": v["nama_bumdes"],
        "legal_status": v.get("status_badan_hukum") or Bumdes.LegalStatus.BELUM,
        "legal_number": v.get("nomor_badan_hukum") or "",
        "is_active": _bool(v.get("aktif"), True),
        "yearly_revenue": v.get("omzet_tahunan"),
        "revenue_year": v.get("tahun_omzet"),
        "contact_name": v.get("kontak") or "",
        "phone": phone,
        "notes": "",
    }


def _unit_fields(v: dict) -> dict:
    return {
        "name": v["nama_unit"],
        "category": v["kategori"],
        "kbli": v.get("kbli") or "",
        "is_active": _bool(v.get("aktif"), True),
        "runs_well": _bool(v.get("berjalan_baik")),
    }


def _model_errors(instance, exclude=()) -> list[str]:
    try:
        instance.full_clean(
            exclude=[*exclude, *loaded_relations(instance)],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return [
                f"{field}: {m}" if field != "__all__" else m
                for field, messages in error.message_dict.items()
                for m in messages
            ]
        return list(error.messages)
    return []


def _commodity_item(row, village) -> dict:
    v = row.values
    return {
        "key": row.line,
        "village": village,
        "commodity_type": v["_type"],
        "volume": v["volume"],
        "unit": v.get("satuan") or "",
        "estimated_value": v.get("nilai_rp") or 0,
        "is_main": _bool(v.get("utama")),
    }


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: object
    columns: list

    def check(self, preview: sp.Preview, user) -> sp.Preview:
        villages = region_services.place_villages(
            preview, user=user, source="potential", cap=services.WRITE_CAP
        )
        codes = set(villages)
        ctx = {"villages": villages}
        if self.code == "komoditas":
            ctx["types"] = {t.name.lower(): t for t in CommodityType.objects.filter(is_active=True)}
        if self.code == "unit_bumdes":
            ctx["bumdes"] = {b.village_id: b for b in Bumdes.objects.filter(village_id__in=codes)}
            ctx["bumdes_in_file"] = set()

        def rule(row):
            code = row.values["kode_desa"]
            village = villages.get(code)
            if village is None:
                return [region_services.outside_area(code)]
            return getattr(self, f"_check_{self.code}")(row, village, ctx)

        preview.check(rule)
        if self.code in ("profil", "bumdes"):
            preview.check_unique("kode_desa")
        elif self.code == "komoditas":
            preview.check_unique("kode_desa", "komoditas")
        else:
            preview.check_unique("kode_desa", "nama_unit")
        return preview

    def _check_profil(self, row, village, ctx):
        fields = _profile_fields(row.values)
        if village.kind == "kelurahan":
            fields["idm_status"], fields["idm_year"] = "", None
        return _model_errors(VillageProfile(village=village, **fields))

    def _check_komoditas(self, row, village, ctx):
        ctype = ctx["types"].get(row.values["komoditas"].lower())
        if ctype is None:
            return [
                _("komoditas: “%(name)s” is not in the standard list")
                % {"name": row.values["komoditas"]}
            ]
        row.values["_type"] = ctype
        commodity = Commodity(
            village=village,
            commodity=ctype,
            volume=row.values["volume"],
            unit=row.values.get("satuan") or ctype.default_unit,
            estimated_value=row.values.get("nilai_rp") or 0,
        )
        return _model_errors(commodity)

    def _check_bumdes(self, row, village, ctx):
        return _model_errors(Bumdes(village=village, **_bumdes_fields(row.values)))

    def _check_unit_bumdes(self, row, village, ctx):
        if village.kind == "kelurahan":
            return [_("kode_desa: a kelurahan has no BUMDes")]
        if village.code not in ctx["bumdes"]:
            return [_("kode_desa: register the BUMDes of this desa first")]
        unit = BumdesUnit(bumdes=ctx["bumdes"][village.code], **_unit_fields(row.values))
        return _model_errors(unit)

    def apply(self, rows, user) -> int:
        villages = {
            v.code: v for v in Region.objects.filter(code__in={r.values["kode_desa"] for r in rows})
        }
        units: dict = {}
        if self.code == "komoditas":  # tens of thousands of rows: written in batches
            items = [_commodity_item(row, villages[row.values["kode_desa"]]) for row in rows]
            in_batches(items, lambda batch: services.commodities_save(actor=user, items=batch))
            return len(rows)
        if self.code == "unit_bumdes":
            for unit in BumdesUnit.objects.filter(bumdes__village_id__in=list(villages)):
                units[(unit.bumdes.village_id, unit.name.casefold())] = unit

        def write(row):
            village = villages[row.values["kode_desa"]]
            v = row.values
            if self.code == "profil":
                services.profile_save(actor=user, village=village, **_profile_fields(v))
            elif self.code == "bumdes":
                services.bumdes_save(actor=user, village=village, **_bumdes_fields(v))
            else:
                bumdes = Bumdes.objects.get(village=village)
                key = (village.code, v["nama_unit"].strip().casefold())
                units[key] = services.bumdes_unit_save(
                    actor=user, bumdes=bumdes, unit=units.get(key), **_unit_fields(v)
                )

        each_row(rows, write, line=lambda row: row.line)
        return len(rows)


KINDS = {
    "profil": ImportKind("profil", gettext_lazy("Village profiles"), PROFILE_COLUMNS),
    "komoditas": ImportKind("komoditas", gettext_lazy("Commodities"), COMMODITY_COLUMNS),
    "bumdes": ImportKind("bumdes", gettext_lazy("BUMDes"), BUMDES_COLUMNS),
    "unit_bumdes": ImportKind("unit_bumdes", gettext_lazy("BUMDes business units"), UNIT_COLUMNS),
}
NATURAL_KEYS = {
    "profil": gettext_lazy("the village code (kode_desa): one profile per village"),
    "komoditas": gettext_lazy("the village code (kode_desa) and the commodity (komoditas)"),
    "bumdes": gettext_lazy("the village code (kode_desa): one BUMDes per desa"),
    "unit_bumdes": gettext_lazy("the village code (kode_desa) and the unit name (nama_unit)"),
}


def _flow_kind(spec: ImportKind) -> imports_flow.ImportKind:
    return imports_flow.ImportKind(
        code=spec.code,
        label=spec.label,
        columns=spec.columns,
        check=lambda preview, user: spec.check(preview, user).rows,
        apply=lambda *, actor, rows: spec.apply(rows, actor),
        natural_key=NATURAL_KEYS[spec.code],
        max_rows=MAX_ROWS,
    )


FLOW_KINDS = {code: _flow_kind(spec) for code, spec in KINDS.items()}


def dry_run(kind: str, upload, user) -> sp.Preview:
    """Every rule of the commit, written and rolled back; the preview lists refused rows."""
    return imports_flow.run(FLOW_KINDS[kind], upload, user, commit=False).preview


def run(kind: str, upload, user) -> tuple[sp.Preview, int]:
    """Dry run, then commit every row or nothing. Returns the preview and rows written."""
    outcome = imports_flow.run(FLOW_KINDS[kind], upload, user, commit=True)
    return outcome.preview, (outcome.result or 0) if outcome.committed else 0
