"""Village profiles, commodities, BUMDes and their units take files as people send them: names
instead of codes, old codes, ambiguous names (review queue), codes that disagree with their
names, unknown columns, Windows-1252 CSV with `N/A` cells and repeated rows
(kawal/regions/tests/messy.py)."""

import pytest

from kawal.potential.imports import FLOW_KINDS
from kawal.potential.models import Bumdes, BumdesUnit, Commodity, VillageProfile
from kawal.regions.tests import messy

OWN = {
    "profil": {"jumlah_penduduk": "1.250", "tahun_idm": "N/A", "catatan": "Sungai “Mahakam”"},
    "komoditas": {"komoditas": "padi SAWAH", "volume": "12,5", "nilai_rp": "N/A"},
    "bumdes": {"nama_bumdes": "BUMDes Maju Bersama", "omzet_tahunan": "N/A"},
    "unit_bumdes": {"nama_unit": "Toko Desa", "kategori": "sembako", "kbli": "N/A"},
}
STORED = {
    "profil": lambda: set(VillageProfile.objects.values_list("village_id", flat=True)),
    "komoditas": lambda: set(Commodity.objects.values_list("village_id", flat=True)),
    "bumdes": lambda: set(Bumdes.objects.values_list("village_id", flat=True)),
    "unit_bumdes": lambda: set(BumdesUnit.objects.values_list("bumdes__village_id", flat=True)),
}


@pytest.fixture
def ready(admin_user, region, ctype):
    from kawal.potential import services

    ctype("Padi sawah")  # the standard list is loaded
    for code in sorted(messy.PLACED):
        services.bumdes_save(
            actor=admin_user,
            village=region(code),
            name="BUMDes Lama",
            legal_status=Bumdes.LegalStatus.BELUM,
            legal_number="",
            is_active=True,
            yearly_revenue=None,
            revenue_year=None,
            contact_name="",
            phone="",
            notes="",
        )


@pytest.mark.parametrize("kind", ["profil", "komoditas", "bumdes", "unit_bumdes"])
def test_each_potential_import_places_messy_rows(kind, admin_user, ready):
    stored = STORED[kind]
    if kind == "bumdes":  # the BUMDes of the fixture exist already: count the renamed ones

        def stored():
            return set(
                Bumdes.objects.filter(name="BUMDes Maju Bersama").values_list(
                    "village_id", flat=True
                )
            )

    messy.assert_messy_file_is_placed_or_refused(
        FLOW_KINDS[kind], admin_user, OWN[kind], source="potential", stored=stored
    )


@pytest.mark.parametrize("kind", ["profil", "komoditas", "bumdes", "unit_bumdes"])
def test_each_potential_import_reads_a_windows_1252_csv(kind, admin_user, ready):
    messy.assert_cp1252_csv_is_read(FLOW_KINDS[kind], admin_user, OWN[kind])
