"""The default instrument (version 1): a local instrument of the Dinas, not an official index."""

from django.utils.translation import gettext_lazy as _

DEFAULT_TITLE = _("Readiness instrument of the Dinas Koperasi dan UKM (local instrument)")
DEFAULT_DESCRIPTION = _(
    "A local instrument of the Dinas Koperasi dan UKM Kutai Kartanegara. No official readiness "
    "index exists for Koperasi Desa/Kelurahan Merah Putih; this instrument follows the regency's "
    "two foundations (institutions and business) and the ministry supervision form's 0/25/50/75/100 "
    "scale. Items marked automatic are scored from the registry; the rest by the assessor, with "
    "evidence and a comment."
)

# (code, name, weight, [(code, text, evidence, weight, method, resolver)])
DEFAULT_AREAS = [
    (
        "kelembagaan",
        _("Institutions (kelembagaan)"),
        40,
        [
            (
                "badan_hukum",
                _("Legal steps complete (SK AHU)"),
                _("SK AHU number in the formation pipeline"),
                20,
                "auto",
                "legal_entity",
            ),
            (
                "ad_art",
                _("AD/ART adopted and known to members"),
                _("AD/ART document, minutes of the meeting that adopted it"),
                15,
                "manual",
                "",
            ),
            (
                "pengurus_lengkap",
                _("Pengurus complete"),
                _("List of pengurus in the registry"),
                15,
                "auto",
                "pengurus_complete",
            ),
            (
                "pengurus_patuh",
                _("Pengurus and pengawas comply with the rules"),
                _("Officer data in the registry"),
                15,
                "auto",
                "pengurus_compliant",
            ),
            (
                "pengawas",
                _("Pengawas complete and chaired by the kepala desa/lurah"),
                _("List of pengawas in the registry"),
                10,
                "auto",
                "pengawas_complete",
            ),
            (
                "anggota_simpanan",
                _("Members registered and savings collected"),
                _("Member count, simpanan pokok and wajib"),
                15,
                "auto",
                "members_savings",
            ),
            (
                "kantor",
                _("Cooperative office"),
                _("Office outlet in the registry; photo"),
                10,
                "auto",
                "office",
            ),
        ],
    ),
    (
        "usaha",
        _("Business (usaha)"),
        30,
        [
            (
                "rencana_bisnis",
                _("Business plan prepared and agreed"),
                _("Business plan document"),
                30,
                "manual",
                "",
            ),
            (
                "lahan_gerai",
                _("Outlet land meets the rules"),
                _("Land area and status in the registry"),
                30,
                "auto",
                "outlet_land",
            ),
            (
                "gerai_beroperasi",
                _("Standard units operating"),
                _("Outlet status in the registry"),
                20,
                "auto",
                "outlets_operating",
            ),
            (
                "mitra",
                _("Partners engaged (Bulog, Pupuk Indonesia, Pertamina, others)"),
                _("Partnership agreement (PKS/MoU) or supplier letters"),
                20,
                "manual",
                "",
            ),
        ],
    ),
    (
        "keuangan",
        _("Finance (keuangan)"),
        20,
        [
            (
                "rekening",
                _("Bank account in the cooperative's name"),
                _("Formation step: bank account"),
                30,
                "auto",
                "bank_account",
            ),
            (
                "npwp_nib",
                _("NPWP and NIB"),
                _("Formation steps: NPWP, NIB"),
                20,
                "auto",
                "tax_licence",
            ),
            (
                "pembukuan",
                _("Bookkeeping kept up to date"),
                _("Photo of the cash book or bookkeeping file"),
                30,
                "manual",
                "",
            ),
            (
                "modal",
                _("Capital collected"),
                _("Savings and grants in the registry"),
                20,
                "auto",
                "capital",
            ),
        ],
    ),
    (
        "sinergi_bumdes",
        _("Synergy with the BUMDes (sinergi BUMDes)"),
        10,
        [
            (
                "tanpa_tumpang_tindih",
                _("No business line overlaps the BUMDes"),
                _("Overlap analysis of the village"),
                50,
                "auto",
                "bumdes_overlap",
            ),
            (
                "kesepakatan_bumdes",
                _("Agreement with the BUMDes on roles and partnership"),
                _("Signed agreement or minutes with the BUMDes"),
                50,
                "manual",
                "",
            ),
        ],
    ),
]
