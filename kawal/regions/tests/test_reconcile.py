"""Reconciliation of names and code forms against a small in-memory region tree."""

import pytest

from kawal.regions import reconcile as rc
from kawal.regions.reconcile import Query, Reconciler

REGIONS = [
    # code, name, level, parent, kind, active, replaced_by
    ("64", "Kalimantan Timur", 1, "", "provinsi", True, None),
    ("64.02", "Kabupaten Kutai Kartanegara", 2, "64", "kabupaten", True, None),
    ("64.72", "Kota Samarinda", 2, "64", "kota", True, None),
    ("32", "Jawa Barat", 1, "", "provinsi", True, None),
    ("32.16", "Kabupaten Bekasi", 2, "32", "kabupaten", True, None),
    ("32.75", "Kota Bekasi", 2, "32", "kota", True, None),
    ("64.02.06", "Tenggarong", 3, "64.02", "kecamatan", True, None),
    ("64.02.08", "Kota Bangun", 3, "64.02", "kecamatan", True, None),
    ("64.02.19", "Kota Bangun Darat", 3, "64.02", "kecamatan", True, None),
    ("64.02.06.1001", "Loa Ipuh", 4, "64.02.06", "kelurahan", True, None),
    ("64.02.06.2001", "Bukit Biru", 4, "64.02.06", "desa", True, None),
    ("64.02.06.2002", "Sumber Sari", 4, "64.02.06", "desa", True, None),
    ("64.02.08.2005", "Sumber Sari", 4, "64.02.08", "desa", True, None),
    ("64.02.08.2006", "Ma'rang", 4, "64.02.08", "desa", True, None),
    ("64.02.08.2007", "Liang Ulu", 4, "64.02.08", "desa", True, None),
    ("64.02.08.2008", "Liang Ilir", 4, "64.02.08", "desa", True, None),
    ("64.02.19.2001", "Kedang Ipil", 4, "64.02.19", "desa", True, None),
    ("64.02.19.2004", "Kota Bangun I", 4, "64.02.19", "desa", True, None),
    ("64.02.09.2099", "Hilang", 4, "64.02.09", "desa", False, None),
]
CHANGES = [("64.02.08.2001", "64.02.19.2001", "Kedang Ipil", "64.02.08")]
CROSSWALK = [
    ("simkopdes", "village", "V-77", "64.02.06.2001"),
    ("name", "village", "64.02.06|4|bukitbiruu", "64.02.06.2001"),
]


@pytest.fixture
def reconciler():
    return Reconciler(regions=REGIONS, changes=CHANGES, crosswalk=CROSSWALK, aliases=[])


@pytest.mark.parametrize(
    "value, expected",
    [
        ("64.02.06.1001", "64.02.06.1001"),
        ("6402061001", "64.02.06.1001"),
        ("64-02-06-1001", "64.02.06.1001"),
        (6402061001.0, "64.02.06.1001"),
        ("6402", "64.02"),
        ("Desa 1", None),
        ("640206100", None),
    ],
)
def test_code_forms_are_read_as_kemendagri_codes(value, expected):
    assert rc.code_form(value) == expected


@pytest.mark.parametrize(
    "name, level, key",
    [
        ("DESA SUMBER SARI", 4, "sumbersari"),
        ("Kel. Loa-Ipuh", 4, "loaipuh"),
        ("KELURAHAN LOA IPUH", 4, "loaipuh"),
        ("Ma-rang", 4, "marang"),
        ("Ma’rang", 4, "marang"),
        ("Kota Bangun I", 4, "kotabangun1"),
        ("kec. kota bangun", 3, "kotabangun"),
        ("Desa", 4, "desa"),  # a prefix alone is the name
    ],
)
def test_name_keys_ignore_case_prefixes_and_punctuation(name, level, key):
    assert rc.name_key(name, level)[1] == key


def test_exact_and_compact_codes_match_as_codes(reconciler):
    assert reconciler.resolve(Query(code="6402061001")) == rc.Match("64.02.06.1001", rc.CODE)


def test_an_old_code_answers_with_the_new_code(reconciler):
    match = reconciler.resolve(Query(code="64.02.08.2001"))
    assert (match.code, match.method) == ("64.02.19.2001", rc.OLD_CODE)


def test_a_retired_code_without_successor_is_unresolved(reconciler):
    assert reconciler.resolve(Query(code="64.02.09.2099")).method == rc.UNRESOLVED


def test_a_village_is_found_by_name_within_its_kecamatan(reconciler):
    match = reconciler.resolve(
        Query(regency="KAB. KUTAI KARTANEGARA", district="TENGGARONG", village="DESA SUMBER SARI")
    )
    assert (match.code, match.method) == ("64.02.06.2002", rc.NAME)


def test_a_repeated_village_name_without_kecamatan_is_never_guessed(reconciler):
    match = reconciler.resolve(Query(regency="Kutai Kartanegara", village="Sumber Sari"))
    assert match.code is None
    assert match.method == rc.AMBIGUOUS
    assert {c for c, _label in match.candidates} == {"64.02.06.2002", "64.02.08.2005"}


def test_kabupaten_and_kota_of_the_same_name_are_told_apart(reconciler):
    assert reconciler.resolve(Query(province="Jawa Barat", regency="KAB. BEKASI")).code == "32.16"
    assert reconciler.resolve(Query(province="Jawa Barat", regency="KOTA BEKASI")).code == "32.75"
    assert reconciler.resolve(Query(province="Jawa Barat", regency="Bekasi")).method == (
        rc.AMBIGUOUS
    )


def test_a_village_under_its_old_kecamatan_follows_the_recoding(reconciler):
    match = reconciler.resolve(
        Query(regency="Kutai Kartanegara", district="Kota Bangun", village="Kedang Ipil")
    )
    assert (match.code, match.method) == ("64.02.19.2001", rc.OLD_NAME)


def test_a_typo_is_matched_fuzzily_only_inside_the_kecamatan(reconciler):
    match = reconciler.resolve(
        Query(regency="Kutai Kartanegara", district="Tenggarong", village="Bukit Birru")
    )
    assert (match.code, match.method) == ("64.02.06.2001", rc.FUZZY)
    elsewhere = reconciler.resolve(
        Query(regency="Kutai Kartanegara", district="Kota Bangun", village="Bukit Birru")
    )
    assert elsewhere.code is None


def test_two_close_names_are_candidates_not_a_guess(reconciler):
    match = reconciler.resolve(
        Query(regency="Kutai Kartanegara", district="Kota Bangun", village="Liang Ilu")
    )
    assert match.code is None
    assert {"64.02.08.2007", "64.02.08.2008"} <= {c for c, _label in match.candidates}


def test_a_code_that_disagrees_with_the_names_is_a_conflict(reconciler):
    match = reconciler.resolve(
        Query(code="64.02.06.2001", district="Tenggarong", village="Sumber Sari")
    )
    assert match.method == rc.CONFLICT
    assert "64.02.06.2002" in {c for c, _label in match.candidates}


def test_a_code_agreeing_with_the_names_passes(reconciler):
    match = reconciler.resolve(
        Query(code="6402062001", district="TENGGARONG", village="BUKIT BIRU")
    )
    assert match == rc.Match("64.02.06.2001", rc.CODE)


def test_an_old_code_with_the_old_kecamatan_name_agrees(reconciler):
    match = reconciler.resolve(
        Query(code="64.02.08.2001", district="Kota Bangun", village="Kedang Ipil")
    )
    assert (match.code, match.method) == ("64.02.19.2001", rc.OLD_CODE)


def test_an_outside_id_in_the_crosswalk_places_the_row(reconciler):
    match = reconciler.resolve(Query(external={"village": "V-77"}))
    assert (match.code, match.method) == ("64.02.06.2001", rc.CROSSWALK)


def test_a_spelling_confirmed_by_an_officer_is_remembered(reconciler):
    match = reconciler.resolve(
        Query(regency="Kutai Kartanegara", district="Tenggarong", village="BUKIT BIRUU")
    )
    assert (match.code, match.method) == ("64.02.06.2001", rc.CONFIRMED)


def test_an_alias_places_a_regency():
    reconciler = Reconciler(regions=REGIONS, changes=[], crosswalk=[], aliases=[("64.02", "Kukar")])
    match = reconciler.resolve(Query(regency="KUKAR"))
    assert (match.code, match.method) == ("64.02", rc.ALIAS)


def test_shipped_aliases_name_existing_codes():
    for code, alias in rc._read_aliases():
        assert rc.code_form(code) == code, alias


def test_names_below_the_importers_region_are_looked_up_inside_it():
    # given a regency's importer and a file naming only the kecamatan and the village
    within = Reconciler(regions=REGIONS, changes=CHANGES, crosswalk=[], aliases=[], within="64.02")
    query = Query(district="KEC. TENGGARONG", village="DESA LOA IPUH")
    # then the row is placed inside the regency; without it the names cannot start anywhere
    assert within.resolve(query).code == "64.02.06.1001"
    country = Reconciler(regions=REGIONS, changes=CHANGES, crosswalk=[], aliases=[])
    assert country.resolve(query).method == rc.UNRESOLVED
    # and a village without its kecamatan is still never guessed, only offered
    alone = within.resolve(Query(village="Sumber Sari"))
    assert alone.method == rc.AMBIGUOUS and alone.code is None
    assert {code for code, _label in alone.candidates} == {"64.02.06.2002", "64.02.08.2005"}
