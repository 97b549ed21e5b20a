"""Spreadsheet imports of the registry: cooperatives and officers, keyed by the village code.

Column names follow SIMKOPDES (reference/simkopdes_tables.txt) where it has the field:
cooperatives.name, address, latitude, longitude, principal_saving, mandatory_saving, grant_fund,
cooperative_id; cooperative_management.name, role, gender, nik, phone, start_period, end_period.
Our own names (Indonesian) where it has none. SIMKOPDES calls the Nomor Induk Koperasi "nik";
we call that column `nomor_induk_koperasi`, so that it is never mistaken for a person's NIK.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.cooperatives import services
from kawal.cooperatives.models import Cooperative, Officer, Sex
from kawal.core import spreadsheets as sp
from kawal.core.imports import ImportKind, import_page, messages_of
from kawal.core.scope import Cap, requires
from kawal.regions import reconcile
from kawal.regions import services as region_services

COOPERATIVE_COLUMNS = [
    reconcile.PLACE_COLUMNS[0],
    sp.Column("name", gettext_lazy("cooperative name"), required=True, aliases=("nama_koperasi",)),
    sp.Column("skema", gettext_lazy("scheme"), sp.as_choice(Cooperative.Scheme.choices)),
    sp.Column("syariah", gettext_lazy("sharia (Ya/Tidak)"), sp.as_bool),
    sp.Column(
        "jenis_usaha",
        gettext_lazy("type: konsumen / produsen"),
        sp.as_choice(Cooperative.BusinessType.choices),
    ),
    sp.Column("address", gettext_lazy("address")),
    sp.Column("latitude", gettext_lazy("latitude"), sp.as_decimal),
    sp.Column("longitude", gettext_lazy("longitude"), sp.as_decimal),
    sp.Column("nomor_induk_koperasi", gettext_lazy("Nomor Induk Koperasi")),
    sp.Column("principal_saving", gettext_lazy("simpanan pokok (Rp)"), sp.as_rupiah),
    sp.Column("mandatory_saving", gettext_lazy("simpanan wajib (Rp)"), sp.as_rupiah),
    sp.Column("grant_fund", gettext_lazy("hibah (Rp)"), sp.as_rupiah),
    sp.Column("anggota_laki_laki", gettext_lazy("male members"), sp.as_positive_int),
    sp.Column("anggota_perempuan", gettext_lazy("female members"), sp.as_positive_int),
    sp.Column("cooperative_id", gettext_lazy("SIMKOPDES id")),
]
COOPERATIVE_COLUMNS += reconcile.PLACE_COLUMNS[1:]  # names and SIMKOPDES ids
# column → model field
COOPERATIVE_MAP = {
    "name": "name",
    "skema": "scheme",
    "syariah": "is_syariah",
    "jenis_usaha": "business_type",
    "address": "address",
    "latitude": "lat",
    "longitude": "lng",
    "nomor_induk_koperasi": "registration_number",
    "principal_saving": "simpanan_pokok",
    "mandatory_saving": "simpanan_wajib",
    "grant_fund": "hibah",
    "anggota_laki_laki": "members_male",
    "anggota_perempuan": "members_female",
    "cooperative_id": "simkopdes_id",
}

POSITION_WORDS = {
    **{str(v): v for v in Officer.Position.values},
    "ketua": Officer.Position.KETUA,
    "wakil ketua bidang usaha": Officer.Position.WAKIL_KETUA_USAHA,
    "wakil ketua bidang keanggotaan": Officer.Position.WAKIL_KETUA_ANGGOTA,
    "sekretaris": Officer.Position.SEKRETARIS,
    "bendahara": Officer.Position.BENDAHARA,
    "ketua pengawas": Officer.Position.KETUA_PENGAWAS,
    "anggota pengawas": Officer.Position.ANGGOTA,
    "anggota": Officer.Position.ANGGOTA,
}


def as_position(value) -> str:
    text = sp.as_text(value).lower().replace("_", " ")
    for word, position in POSITION_WORDS.items():
        if text == word.replace("_", " "):
            return position
    if text:
        raise ValidationError(
            _("unknown position; allowed: %(allowed)s")
            % {"allowed": ", ".join(Officer.Position.values)}
        )
    return ""


def as_sex(value) -> str:
    text = sp.as_text(value).lower()
    if text in ("l", "laki-laki", "laki laki", "pria", "male", "m"):
        return Sex.MALE
    if text in ("p", "perempuan", "wanita", "female", "f"):
        return Sex.FEMALE
    raise ValidationError(_("write L or P"))


OFFICER_COLUMNS = [
    reconcile.PLACE_COLUMNS[0],
    sp.Column(
        "badan", gettext_lazy("body: pengurus / pengawas"), sp.as_choice(Officer.Body.choices), True
    ),
    sp.Column("role", gettext_lazy("position"), as_position, True),
    sp.Column("name", gettext_lazy("name"), required=True),
    sp.Column("gender", gettext_lazy("sex: L / P"), as_sex, True),
    sp.Column("nik", gettext_lazy("NIK (16 digits)")),
    sp.Column("phone", gettext_lazy("phone")),
    sp.Column("start_period", gettext_lazy("term start"), sp.as_date),
    sp.Column("end_period", gettext_lazy("term end"), sp.as_date),
    sp.Column("perangkat_desa", gettext_lazy("village official (Ya/Tidak)"), sp.as_bool),
    sp.Column("kepala_desa", gettext_lazy("kepala desa / lurah (Ya/Tidak)"), sp.as_bool),
    sp.Column("anggota_bpd", gettext_lazy("BPD member (Ya/Tidak)"), sp.as_bool),
    sp.Column("hubungan_keluarga", gettext_lazy("declared family ties")),
    *reconcile.PLACE_COLUMNS[1:],
]
OFFICER_MAP = {
    "badan": "body",
    "role": "position",
    "name": "name",
    "gender": "sex",
    "nik": "nik",
    "phone": "phone",
    "start_period": "term_start",
    "end_period": "term_end",
    "perangkat_desa": "is_village_official",
    "kepala_desa": "is_village_head",
    "anggota_bpd": "is_bpd_member",
    "hubungan_keluarga": "family_ties",
}


def _villages(user, preview, source: str = "cooperatives") -> dict:
    """Village codes of the file → Region, for those the user may run the programme in
    (Cap.MANAGE: a bulk import is the Dinas's or the camat's, never a board's or a mentor's).

    Rows first go through region reconciliation: a code in any form, an old code, the names of
    the places or SIMKOPDES ids put the row on its current `kode_desa`, or give a row error
    (and an item in the review queue)."""
    return region_services.place_villages(preview, user=user, source=source, cap=Cap.MANAGE)


def cooperative_rows(preview, user):
    """Check every row against the registry through the service's own checks; returns the
    prepared import for the commit."""
    villages = _villages(user, preview)
    preview.check_unique("kode_desa")
    wanted = []

    def rule(row):
        village = villages.get(row.values["kode_desa"])
        if village is None:
            return [
                _("kode_desa: unknown village code, or outside your area: %(code)s")
                % {"code": row.values["kode_desa"]}
            ]
        fields = {
            COOPERATIVE_MAP[k]: v
            for k, v in row.values.items()
            if k in COOPERATIVE_MAP and v not in (None, "")
        }
        for key in ("lat", "lng"):
            if key in fields:
                fields[key] = float(fields[key])
        wanted.append((row, village, fields))
        return None

    preview.check(rule)
    prepared = services.cooperative_import_prepare(
        actor=user, rows=[(village, fields) for _row, village, fields in wanted]
    )
    for index, found in prepared.errors.items():
        wanted[index][0].errors.extend(found)
    prepared.crosswalk = region_services.crosswalk_entries_for(preview)
    return prepared


def _apply_cooperatives(*, actor, rows):
    result = services.cooperative_import(actor=actor, prepared=rows)
    # The SIMKOPDES ids of the rows are confirmed with the import (same transaction).
    region_services.crosswalk_confirm(actor=actor, entries=getattr(rows, "crosswalk", []))
    return result


def officer_rows(preview, user) -> list[tuple]:
    villages = _villages(user, preview, source="officers")
    cooperatives = {
        c.village_id: c for c in Cooperative.objects.filter(village_id__in=list(villages))
    }
    existing: dict[tuple, int] = {}
    for officer in Officer.objects.filter(cooperative__in=list(cooperatives.values())):
        if officer.nik:
            existing[(officer.cooperative_id, officer.nik)] = officer.pk
        existing[(officer.cooperative_id, officer.name.casefold(), officer.body)] = officer.pk
    out = []

    def rule(row):
        code = row.values["kode_desa"]
        cooperative = cooperatives.get(code)
        if cooperative is None:
            if code in villages:
                return [
                    _("kode_desa: this village has no cooperative yet: %(code)s") % {"code": code}
                ]
            return [
                _("kode_desa: unknown village code, or outside your area: %(code)s")
                % {"code": code}
            ]
        # A blank cell (or a column the file does not have) keeps what is stored: a re-import
        # without the NIK, phone or Ya/Tidak columns must not erase them.
        fields = {
            OFFICER_MAP[k]: v
            for k, v in row.values.items()
            if k in OFFICER_MAP and v not in (None, "")
        }
        try:
            fields = services._clean_person(fields)
            probe = Officer(cooperative=cooperative, **fields)
            probe.pk = existing.get((cooperative.pk, fields.get("nik"))) or existing.get(
                (cooperative.pk, fields["name"].casefold(), fields["body"])
            )
            probe.full_clean(exclude=["cooperative"], validate_unique=False)
            services._check_officer(probe)
        except ValidationError as error:
            return messages_of(error)
        # The same person twice in one file: by NIK, or by name and body where there is no NIK.
        key = (
            (code, "nik", fields["nik"])
            if fields.get("nik")
            else (code, "name", fields["name"].casefold(), fields["body"])
        )
        if key in seen:
            return [
                _("the same officer is already on line %(line)s (same NIK, or same name and body)")
                % {"line": seen[key]}
            ]
        seen[key] = row.line
        out.append((cooperative, fields, row.line))
        return None

    seen: dict = {}
    preview.check(rule)
    return out


KINDS = {
    "koperasi": ImportKind(
        "koperasi",
        gettext_lazy("Cooperatives"),
        COOPERATIVE_COLUMNS,
        cooperative_rows,
        _apply_cooperatives,
        natural_key=gettext_lazy("the village code (kode_desa): one cooperative per village"),
    ),
    "pengurus": ImportKind(
        "pengurus",
        gettext_lazy("Pengurus and pengawas"),
        OFFICER_COLUMNS,
        officer_rows,
        services.officer_import,
        natural_key=gettext_lazy(
            "the cooperative (kode_desa) and the NIK; without a NIK, the cooperative, the name "
            "and the body (pengurus / pengawas)"
        ),
    ),
}


@requires(Cap.MANAGE)
def import_view(request):
    return import_page(request, KINDS, flow="kawal.cooperatives.imports.KINDS")
