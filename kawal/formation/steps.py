"""The formation & legal-entity steps of each scheme (DOMAIN.md §3), defined in code.

Each step names the steps that must be complete before it may be completed (order rules,
enforced in services). Step codes are stable identifiers stored in StepRecord.step.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    requires: tuple[str, ...] = ()
    evidence: str = ""  # what the step leaves behind, shown as a hint on the form


SOSIALISASI = Step("sosialisasi", _("Socialisation"), (), _("date, venue, attendees"))
MUSDESUS = Step(
    "musdesus",
    _("Musdesus / Muskelsus"),
    (),
    _("berita acara, attendance list, chosen scheme, candidate pengurus and pengawas"),
)
RAPAT_PENDIRIAN = Step(
    "rapat_pendirian",
    _("Founding meeting (rapat pendirian)"),
    ("musdesus",),
    _("berita acara, attendance (at least 9 founders), KTP copies, capital recap"),
)
RESERVASI_NAMA = Step(
    "reservasi_nama", _("Name reservation (SABH)"), ("rapat_pendirian",), _("reservation date")
)
AKTA = Step(
    "akta",
    _("Deed of establishment (akta pendirian) by an NPAK"),
    ("reservasi_nama",),
    _("deed number and date, notary"),
)
SK_AHU = Step("sk_ahu", _("SK AHU legal-entity approval"), ("akta",), _("SK number and date, file"))
BERITA_NEGARA = Step("berita_negara", _("Berita Negara announcement"), ("sk_ahu",), _("BN number"))
NPWP = Step("npwp", _("NPWP"), ("sk_ahu",), _("number, file"))
REKENING = Step("rekening", _("Bank account"), ("npwp",), _("bank, account number"))
NIB = Step("nib", _("NIB and licences (OSS)"), ("npwp",), _("NIB, licence per KBLI"))
SIMKOPDES = Step(
    "simkopdes", _("SIMKOPDES account and business plan"), ("sk_ahu",), _("account date, plan file")
)
LAHAN = Step(
    "lahan", _("Land and outlet"), (), _("area, status, coordinates, construction progress")
)
OPERASI = Step("operasi", _("Operating; first RAT"), ("nib", "lahan"), _("opening date; RAT date"))

# Pengembangan: an existing legal entity amends its articles (DOMAIN.md §3).
SERTIFIKAT_NIK = Step(
    "sertifikat_nik",
    _("Nomor Induk Koperasi certificate (grade C or better)"),
    (),
    _("certificate number and grade"),
)
RAPAT_PERUBAHAN = Step(
    "rapat_perubahan",
    _("Members' meeting amending the articles (AD)"),
    ("musdesus",),
    _("berita acara, attendance"),
)
AKTA_PERUBAHAN = Step(
    "akta_perubahan",
    _("Deed of amendment (akta perubahan) by an NPAK"),
    ("rapat_perubahan",),
    _("deed number and date, notary"),
)
SK_PERUBAHAN = Step(
    "sk_perubahan", _("SABH approval of the amendment"), ("akta_perubahan",), _("SK number, file")
)

# Revitalisasi: assess the inactive cooperative, agree a merger, observe the windows.
PENILAIAN_ASET = Step(
    "penilaian_aset", _("Assessment of assets and debts"), (), _("assessment report")
)
RENCANA_AKSI = Step("rencana_aksi", _("Action plan"), ("penilaian_aset",), _("action plan file"))
RAPAT_PENGGABUNGAN = Step(
    "rapat_penggabungan",
    _("Members' meeting agreeing the merger"),
    ("rencana_aksi",),
    _("berita acara, attendance"),
)
MASA_KEBERATAN = Step(
    "masa_keberatan",
    _("30-day window for objections and creditors"),
    ("rapat_penggabungan",),
    _("announcement date"),
)
PENGALIHAN_ASET = Step(
    "pengalihan_aset",
    _("90-day window for the transfer of assets"),
    ("masa_keberatan",),
    _("transfer report"),
)
AKTA_PERUBAHAN_REVITALISASI = Step(
    "akta_perubahan",
    _("Deed of amendment (akta perubahan) by an NPAK"),
    ("rapat_penggabungan",),
    _("deed number and date, notary"),
)
NPWP_AFTER_AMENDMENT = Step("npwp", _("NPWP"), ("sk_perubahan",), _("number, file"))
SIMKOPDES_AFTER_AMENDMENT = Step(
    "simkopdes",
    _("SIMKOPDES account and business plan"),
    ("sk_perubahan",),
    _("account date, plan file"),
)

STEPS_BY_SCHEME: dict[str, tuple[Step, ...]] = {
    "pendirian_baru": (
        SOSIALISASI,
        MUSDESUS,
        RAPAT_PENDIRIAN,
        RESERVASI_NAMA,
        AKTA,
        SK_AHU,
        BERITA_NEGARA,
        NPWP,
        REKENING,
        NIB,
        SIMKOPDES,
        LAHAN,
        OPERASI,
    ),
    "pengembangan": (
        SOSIALISASI,
        MUSDESUS,
        SERTIFIKAT_NIK,
        RAPAT_PERUBAHAN,
        AKTA_PERUBAHAN,
        SK_PERUBAHAN,
        NPWP_AFTER_AMENDMENT,
        REKENING,
        NIB,
        SIMKOPDES_AFTER_AMENDMENT,
        LAHAN,
        OPERASI,
    ),
    "revitalisasi": (
        SOSIALISASI,
        MUSDESUS,
        PENILAIAN_ASET,
        RENCANA_AKSI,
        RAPAT_PENGGABUNGAN,
        MASA_KEBERATAN,
        PENGALIHAN_ASET,
        AKTA_PERUBAHAN_REVITALISASI,
        SK_PERUBAHAN,
        NPWP_AFTER_AMENDMENT,
        REKENING,
        NIB,
        SIMKOPDES_AFTER_AMENDMENT,
        LAHAN,
        OPERASI,
    ),
}

# The step that gives (or confirms) the legal entity, per scheme.
LEGAL_ENTITY_STEP = {
    "pendirian_baru": "sk_ahu",
    "pengembangan": "sk_perubahan",
    "revitalisasi": "sk_perubahan",
}


def steps_for(scheme: str) -> tuple[Step, ...]:
    return STEPS_BY_SCHEME[scheme]


def step_for(scheme: str, code: str) -> Step:
    for step in STEPS_BY_SCHEME[scheme]:
        if step.code == code:
            return step
    raise KeyError(code)


ALL_STEP_CODES: tuple[str, ...] = tuple(
    dict.fromkeys(step.code for steps in STEPS_BY_SCHEME.values() for step in steps)
)
