import datetime

import pytest
from django.core.exceptions import ValidationError

from kawal.core.nik import mask_nik, mask_phone, normalize_phone, validate_nik

TODAY = datetime.date(2026, 11, 26)


def test_valid_nik_decodes_region_birth_date_and_sex():
    # Issued in 64.02.06 (Tenggarong), a woman born 12 March 1985 (12 + 40 = 52).
    info = validate_nik("6402065203850001", today=TODAY)
    assert info.region_code == "64.02.06"
    assert info.birth_date == datetime.date(1985, 3, 12)
    assert info.is_female


def test_two_digit_year_is_never_in_the_future():
    assert validate_nik("6402060101100001", today=TODAY).birth_date.year == 2010
    assert validate_nik("6402060101300001", today=TODAY).birth_date.year == 1930


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("640206520385000", "nik_length"),
        ("64020652038500012", "nik_length"),
        ("64020652038500a1", "nik_length"),
        ("9902065203850001", "nik_province"),
        ("6400065203850001", "nik_regency"),
        ("6402005203850001", "nik_district"),
        ("6402063203850001", "nik_birth_day"),
        ("6402061213850001", "nik_birth_month"),
        ("6402063102850001", "nik_birth_date"),
        ("6402061203850000", "nik_serial"),
    ],
)
def test_invalid_nik_names_the_broken_rule(nik, code):
    with pytest.raises(ValidationError) as error:
        validate_nik(nik, today=TODAY)
    assert error.value.code == code


def test_nik_is_masked_to_regency_and_serial():
    assert mask_nik("6402065203850001") == "6402********0001"
    assert mask_nik("1234") == "****"
    assert mask_nik(None) == ""


@pytest.mark.parametrize("raw", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"])
def test_phone_numbers_are_normalised(raw):
    assert normalize_phone(raw) == "+6281234567890"


def test_landline_and_garbage_phone_numbers_are_refused():
    for raw in ("0541 661234", "12345", ""):
        with pytest.raises(ValidationError):
            normalize_phone(raw)


def test_phone_is_masked():
    assert mask_phone("081234567890") == "+62812****7890"
    assert mask_phone("") == ""
