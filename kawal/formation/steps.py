"""The formation & legal-entity steps of each scheme (docs/DOMAIN.md §3), defined in code.

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
    number: str = ""  # label of the number the step produces; required once it is done
    needs_notary: bool = False  # deeds are made by an NPAK notary
    min_days: int = 0  # at least this many days after the required steps were completed
    documents: tuple[str, ...] = ()  # the files expected as evidence


SOSIALISASI = Step(
    "sosialisasi",
    _("Socialisation"),
    (),
    _("date, venue, attendees"),
    documents=(_("attendance list"), _("photos")),
)
MUSDESUS = Step(
    "musdesus",
    _("Musdesus / Muskelsus"),
    (),
    _("berita acara, attendance list, chosen scheme, candidate pengurus and pengawas"),
    documents=(_("berita acara (BAMD)"), _("attendance list")),
)
RAPAT_PENDIRIAN = Step(
    "rapat_pendirian",
    _("Founding meeting (rapat pendirian)"),
    ("musdesus",),
    _("berita acara, attendance (at least 9 founders), KTP copies, capital recap"),
    documents=(_("berita acara"), _("attendance list"), _("capital recap")),
)
RESERVASI_NAMA = Step(
    "reservasi_nama", _("Name reservation (SABH)"), ("rapat_pendirian",), _("reservation date")
)
AKTA = Step(
    "akta",
    _("Deed of establishment (akta pendirian) by an NPAK"),
    ("reservasi_nama",),
    _("deed number and date, notary"),
    number=_("deed number"),
    needs_notary=True,
    documents=(_("deed (akta)"),),
)
SK_AHU = Step(
    "sk_ahu",
    _("SK AHU legal-entity approval"),
    ("akta",),
    _("SK number and date, file"),
    number=_("SK number"),
    documents=(_("SK AHU"),),
)
BERITA_NEGARA = Step(
    "berita_negara",
    _("Berita Negara announcement"),
    ("sk_ahu",),
    _("BN number"),
    number=_("BN number"),
)
NPWP = Step(
    "npwp",
    _("NPWP"),
    ("sk_ahu",),
    _("number, file"),
    number=_("NPWP number"),
    documents=(_("NPWP card"),),
)
REKENING = Step(
    "rekening",
    _("Bank account"),
    ("npwp",),
    _("bank, account number"),
    number=_("bank and account number"),
    documents=(_("bank book"),),
)
NIB = Step(
    "nib",
    _("NIB and licences (OSS)"),
    ("npwp",),
    _("NIB, licence per KBLI"),
    number=_("NIB"),
    documents=(_("NIB"), _("licence")),
)
SIMKOPDES = Step(
    "simkopdes",
    _("SIMKOPDES account and business plan"),
    ("sk_ahu",),
    _("account date, plan file"),
    documents=(_("business plan"),),
)
LAHAN = Step(
    "lahan", _("Land and outlet"), (), _("area, status, coordinates, construction progress")
)
OPERASI = Step("operasi", _("Operating; first RAT"), ("nib", "lahan"), _("opening date; RAT date"))

# Pengembangan: an existing legal entity amends its articles (docs/DOMAIN.md §3).
SERTIFIKAT_NIK = Step(
    "sertifikat_nik",
    _("Nomor Induk Koperasi certificate (grade C or better)"),
    (),
    _("certificate number and grade"),
    number=_("Nomor Induk Koperasi"),
    documents=(_("certificate"),),
)
RAPAT_PERUBAHAN = Step(
    "rapat_perubahan",
    _("Members' meeting amending the articles (AD)"),
    ("musdesus", "sertifikat_nik"),
    _("berita acara, attendance"),
    documents=(_("berita acara"), _("attendance list")),
)
AKTA_PERUBAHAN = Step(
    "akta_perubahan",
    _("Deed of amendment (akta perubahan) by an NPAK"),
    ("rapat_perubahan",),
    _("deed number and date, notary"),
    number=_("deed number"),
    needs_notary=True,
    documents=(_("deed (akta)"),),
)
SK_PERUBAHAN = Step(
    "sk_perubahan",
    _("SABH approval of the amendment"),
    ("akta_perubahan",),
    _("SK number, file"),
    number=_("SK number"),
    documents=(_("SK"),),
)

# Revitalisasi: assess the inactive cooperative, agree a merger, observe the windows.
PENILAIAN_ASET = Step(
    "penilaian_aset",
    _("Assessment of assets and debts"),
    (),
    _("assessment report"),
    documents=(_("assessment report"),),
)
RENCANA_AKSI = Step("rencana_aksi", _("Action plan"), ("penilaian_aset",), _("action plan file"))
RAPAT_PENGGABUNGAN = Step(
    "rapat_penggabungan",
    _("Members' meeting agreeing the merger"),
    ("rencana_aksi",),
    _("berita acara, attendance"),
    documents=(_("berita acara"), _("attendance list")),
)
MASA_KEBERATAN = Step(
    "masa_keberatan",
    _("30-day window for objections and creditors"),
    ("rapat_penggabungan",),
    _("announcement date"),
    min_days=30,
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
    ("masa_keberatan",),
    _("deed number and date, notary"),
    number=_("deed number"),
    needs_notary=True,
    documents=(_("deed (akta)"),),
)
NPWP_AFTER_AMENDMENT = Step(
    "npwp",
    _("NPWP"),
    ("sk_perubahan",),
    _("number, file"),
    number=_("NPWP number"),
    documents=(_("NPWP card"),),
)
SIMKOPDES_AFTER_AMENDMENT = Step(
    "simkopdes",
    _("SIMKOPDES account and business plan"),
    ("sk_perubahan",),
    _("account date, plan file"),
    documents=(_("business plan"),),
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

# Short column headers for the progress matrix.
SHORT_LABELS = {
    "sosialisasi": _("Sosialisasi"),
    "musdesus": _("Musdesus"),
    "rapat_pendirian": _("Rapat"),
    "reservasi_nama": _("Nama"),
    "akta": _("Akta"),
    "sk_ahu": _("SK AHU"),
    "berita_negara": _("BN"),
    "npwp": _("NPWP"),
    "rekening": _("Rekening"),
    "nib": _("NIB"),
    "simkopdes": _("SIMKOPDES"),
    "lahan": _("Lahan"),
    "operasi": _("Operasi"),
    "sertifikat_nik": _("Sertifikat NIK"),
    "rapat_perubahan": _("Rapat AD"),
    "akta_perubahan": _("Akta perubahan"),
    "sk_perubahan": _("SK perubahan"),
    "penilaian_aset": _("Penilaian aset"),
    "rencana_aksi": _("Rencana aksi"),
    "rapat_penggabungan": _("Rapat penggabungan"),
    "masa_keberatan": _("Masa keberatan"),
    "pengalihan_aset": _("Pengalihan aset"),
}


def dependents_of(scheme: str, code: str) -> tuple[Step, ...]:
    """The steps of the scheme that require `code` to be complete."""
    return tuple(step for step in STEPS_BY_SCHEME[scheme] if code in step.requires)
