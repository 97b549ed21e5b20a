"""The caseload import takes files as people send them: names instead of codes, old codes,
ambiguous names (review queue), codes that disagree with their names, unknown columns,
Windows-1252 CSV with `N/A` cells and repeated rows (kawal/regions/tests/messy.py)."""

import pytest

from kawal.mentoring.imports import KINDS
from kawal.mentoring.models import Assignment
from kawal.regions.tests import messy

OWN = {"username": "ba-berantakan", "mulai": "N/A"}


@pytest.fixture
def ready(make_cooperative, make_mentor):
    make_mentor("64.02", username="ba-berantakan")
    return [make_cooperative(code) for code in sorted(messy.PLACED)]


def test_the_caseload_import_places_messy_rows(admin_user, ready):
    messy.assert_messy_file_is_placed_or_refused(
        KINDS["penugasan"],
        admin_user,
        OWN,
        source="caseload",
        stored=lambda: set(Assignment.objects.values_list("cooperative__village_id", flat=True)),
    )


def test_the_caseload_import_reads_a_windows_1252_csv(admin_user, ready):
    messy.assert_cp1252_csv_is_read(KINDS["penugasan"], admin_user, OWN)
