"""XLSX exports of outlets, partnerships and loans; the same columns the imports read."""

from kawal.operations import selectors

OUTLET_HEADERS = [
    "kode_desa",
    "koperasi",
    "jenis_gerai",
    "tahap",
    "status_registri",
    "sejak",
    "luas_lahan_m2",
    "status_lahan",
    "pembangun",
    "progres_persen",
    "tanggal_buka",
    "hari_buka",
    "jam_buka",
]


def outlet_rows(*, user):
    from kawal.operations.services import current_stage

    for outlet in selectors.outlet_list(user=user).iterator(chunk_size=2000):
        life = getattr(outlet, "life", None)
        yield [
            outlet.cooperative.village_id,
            outlet.cooperative.name,
            outlet.outlet_type,
            current_stage(outlet),
            outlet.status,
            life.stage_since if life else None,
            outlet.land_area_m2,
            life.land_status if life else "",
            life.builder if life else "",
            outlet.progress_pct,
            life.opened_on if life else None,
            life.opening_days if life else "",
            life.opening_hours if life else "",
        ]


PARTNERSHIP_HEADERS = [
    "kode_desa",
    "koperasi",
    "mitra",
    "cakupan",
    "tahap",
    "tanggal",
    "hambatan",
    "pihak_bertindak",
]


def partnership_rows(*, user):
    for p in selectors.partnership_list(user=user).iterator(chunk_size=2000):
        yield [
            p.cooperative.village_id,
            p.cooperative.name,
            p.partner.name,
            p.covers,
            p.stage,
            p.stage_since,
            p.blocked_reason,
            p.must_act,
        ]


LOAN_HEADERS = [
    "kode_desa",
    "koperasi",
    "bank",
    "jumlah_diajukan",
    "jumlah_disetujui",
    "bunga_persen",
    "tenor_bulan",
    "tujuan",
    "status",
    "tanggal",
    "dicairkan",
    "sisa_pokok",
    "hari_tunggakan",
    "kolektibilitas",
]


def loan_rows(*, user):
    for loan in selectors.loan_list(user=user).iterator(chunk_size=2000):
        days = selectors.days_in_arrears(loan)
        yield [
            loan.cooperative.village_id,
            loan.cooperative.name,
            loan.bank.name,
            loan.amount_requested,
            loan.amount_approved,
            loan.interest_pct,
            loan.term_months,
            loan.purpose,
            loan.status,
            loan.status_since,
            loan.disbursed,
            loan.disbursed - loan.repaid_principal,
            days,
            selectors.collectability(days) if loan.disbursed else None,
        ]


EXPORTS = {
    "gerai": ("gerai.xlsx", OUTLET_HEADERS, outlet_rows),
    "kemitraan": ("kemitraan.xlsx", PARTNERSHIP_HEADERS, partnership_rows),
    "pinjaman": ("pinjaman.xlsx", LOAN_HEADERS, loan_rows),
}
