"""The step import and the SIMKOPDES export take files as people send them: names instead of
codes, old codes, ambiguous names (review queue), codes that disagree with their names, unknown
columns, Windows-1252 CSV with `N/A` cells and repeated rows (kawal/regions/tests/messy.py)."""

import pytest

from kawal.formation.imports import STEP_KINDS
from kawal.formation.models import ReportedStatus, StepRecord
from kawal.regions.tests import messy

OWN = {
    "tahapan": {"sosialisasi_date": "2025-06-01", "musdesus_date": "N/A"},
    "simkopdes": {"name": "KDMP Uji", "has_npwp": "Sudah", "sk_date": "N/A"},
}
STORED = {
    "tahapan": lambda: set(StepRecord.objects.values_list("cooperative__village_id", flat=True)),
    "simkopdes": lambda: set(
        ReportedStatus.objects.values_list("cooperative__village_id", flat=True)
    ),
}
SOURCE = {"tahapan": "steps", "simkopdes": "simkopdes"}


@pytest.fixture
def ready(make_cooperative):
    return [make_cooperative(code) for code in sorted(messy.PLACED)]


@pytest.mark.parametrize("kind", ["tahapan", "simkopdes"])
def test_each_formation_import_places_messy_rows(kind, admin_user, ready):
    messy.assert_messy_file_is_placed_or_refused(
        STEP_KINDS[kind], admin_user, OWN[kind], source=SOURCE[kind], stored=STORED[kind]
    )


@pytest.mark.parametrize("kind", ["tahapan", "simkopdes"])
def test_each_formation_import_reads_a_windows_1252_csv(kind, admin_user, ready):
    messy.assert_cp1252_csv_is_read(STEP_KINDS[kind], admin_user, OWN[kind])
