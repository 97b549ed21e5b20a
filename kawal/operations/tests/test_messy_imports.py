"""Outlets, partnerships and loans take files as people send them: names instead of codes, old
codes, ambiguous names (review queue), codes that disagree with their names, unknown columns,
Windows-1252 CSV with `N/A` cells and repeated rows (kawal/regions/tests/messy.py)."""

import pytest

from kawal.cooperatives.models import Outlet
from kawal.operations.imports import KINDS
from kawal.operations.models import Loan, Partnership
from kawal.regions.tests import messy

OWN = {
    "gerai": {
        "jenis_gerai": "sembako",
        "tahap": "lahan",
        "tanggal": "01/09/2025",
        "luas_lahan_m2": "1.500",
        "status_lahan": "aset_desa",
        "progres_persen": "N/A",
    },
    "kemitraan": {
        "mitra": "Perum Bulog",
        "cakupan": "beras",
        "tahap": "penjajakan",
        "tanggal": "2025-09-02",
        "hambatan": "N/A",
    },
    "pinjaman": {
        "bank": "Bank BRI",
        "jumlah_diajukan": "Rp 750.000.000",
        "tanggal": "2025-09-02",
        "tenor_bulan": "N/A",
    },
}
STORED = {
    "gerai": lambda: set(Outlet.objects.values_list("cooperative__village_id", flat=True)),
    "kemitraan": lambda: set(Partnership.objects.values_list("cooperative__village_id", flat=True)),
    "pinjaman": lambda: set(Loan.objects.values_list("cooperative__village_id", flat=True)),
}


@pytest.fixture
def ready(legal_coop, partner, bank):
    partner()
    return [legal_coop(code) for code in sorted(messy.PLACED)]


@pytest.mark.parametrize("kind", ["gerai", "kemitraan", "pinjaman"])
def test_each_operations_import_places_messy_rows(kind, admin_user, ready):
    messy.assert_messy_file_is_placed_or_refused(
        KINDS[kind], admin_user, OWN[kind], source="operations", stored=STORED[kind]
    )


@pytest.mark.parametrize("kind", ["gerai", "kemitraan", "pinjaman"])
def test_each_operations_import_reads_a_windows_1252_csv(kind, admin_user, ready):
    messy.assert_cp1252_csv_is_read(KINDS[kind], admin_user, OWN[kind])
