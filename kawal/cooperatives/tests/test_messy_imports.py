"""Both registry imports take files as people send them: names instead of codes, old codes,
ambiguous names (review queue), codes that disagree with their names, unknown columns, and
Windows-1252 CSV with `N/A` cells and repeated rows (kawal/regions/tests/messy.py)."""

import pytest

from kawal.cooperatives.imports import KINDS
from kawal.cooperatives.models import Cooperative, Officer
from kawal.regions.tests import messy


@pytest.fixture
def cooperatives_at_the_placed_villages(make_cooperative):
    return [make_cooperative(code) for code in sorted(messy.PLACED)]


COOPERATIVE = {"nama_koperasi": "KDMP Uji Berantakan", "anggota_laki_laki": "N/A"}
OFFICER = {
    "badan": "pengurus",
    "role": "ketua",
    "name": "Siti Aminah",
    "gender": "P",
    "start_period": "N/A",
}


def test_the_cooperative_import_places_messy_rows(admin_user):
    messy.assert_messy_file_is_placed_or_refused(
        KINDS["koperasi"],
        admin_user,
        COOPERATIVE,
        source="cooperatives",
        stored=lambda: set(Cooperative.objects.values_list("village_id", flat=True)),
    )


def test_the_cooperative_import_reads_a_windows_1252_csv(admin_user):
    preview = messy.assert_cp1252_csv_is_read(
        KINDS["koperasi"], admin_user, {**COOPERATIVE, "address": "Jl. Café “Lama”"}
    )
    assert preview.rows[0].values["address"] == "Jl. Café “Lama”"


def test_the_officer_import_places_messy_rows(admin_user, cooperatives_at_the_placed_villages):
    messy.assert_messy_file_is_placed_or_refused(
        KINDS["pengurus"],
        admin_user,
        OFFICER,
        source="officers",
        stored=lambda: set(Officer.objects.values_list("cooperative__village_id", flat=True)),
    )


def test_the_officer_import_reads_a_windows_1252_csv(
    admin_user, cooperatives_at_the_placed_villages
):
    messy.assert_cp1252_csv_is_read(KINDS["pengurus"], admin_user, OFFICER)
