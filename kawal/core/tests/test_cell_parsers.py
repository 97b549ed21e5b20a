"""One reading of numbers, Rupiah and dates for every import: never a silent misread."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.core import spreadsheets as sp
from kawal.core.tests.xlsx_bombs import rows_file


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (25, 25),
        ("25", 25),
        (25.0, 25),
        ("1.250", 1250),
        (" 1 250 ", 1250),
        ("", None),
        (None, None),
    ],
)
def test_whole_numbers_are_read(cell, expected):
    assert sp.as_int(cell) == expected


@pytest.mark.parametrize("cell", ["12.5", 12.5, "12,5", "1,250", "dua", True, "1.25.0"])
def test_fractions_and_words_are_not_whole_numbers(cell):
    with pytest.raises(ValidationError):
        sp.as_int(cell)


@pytest.mark.parametrize(
    "cell",
    [
        "1.250.000",
        "Rp1.250.000",
        "Rp 1.250.000",
        "rp. 1.250.000",
        "1250000",
        1250000,
        1250000.0,
        "Rp 1.250.000,00",
        "1.250.000,0",
    ],
)
def test_rupiah_written_as_people_write_it(cell):
    assert sp.as_rupiah(cell) == 1_250_000


@pytest.mark.parametrize("cell", ["1.5", 1.5, "1,5", "1.250.000,50", "Rp1,25", "-5000", "lima"])
def test_ambiguous_or_fractional_rupiah_are_refused(cell):
    with pytest.raises(ValidationError):
        sp.as_rupiah(cell)


@pytest.mark.parametrize(
    "cell",
    [
        datetime.date(2025, 6, 30),
        datetime.datetime(2025, 6, 30, 8, 0),
        "2025-06-30",
        "30/06/2025",
        "30-06-2025",
        "30.06.2025",
        45838,
        45838.0,
        "45838",
    ],
)
def test_dates_in_the_documented_forms(cell):
    assert sp.as_date(cell) == datetime.date(2025, 6, 30)


@pytest.mark.parametrize("cell", ["06/30/2025", "kemarin", 45838.5, 10_000_000, "2025/06/30", True])
def test_other_dates_are_refused(cell):
    with pytest.raises(ValidationError):
        sp.as_date(cell)


def test_a_refusal_names_the_column_as_written_in_the_file():
    columns = [sp.Column("kode_desa"), sp.Column("anggota_laki_laki", parse=sp.as_positive_int)]
    data = rows_file(1, ["kode_desa", "anggota_laki_laki"], lambda i: ["64.02.06.1001", "12.5"])
    preview = sp.read_xlsx(SimpleUploadedFile("a.xlsx", data), columns)
    assert preview.error_rows[0].errors == ["anggota_laki_laki: bukan bilangan bulat: 12.5"]
