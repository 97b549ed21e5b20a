import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kawal.core import formats


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1250000, "Rp1.250.000"),
        (0, "Rp0"),
        (Decimal("999.5"), "Rp1.000"),
        (-5000, "-Rp5.000"),
        (-0.4, "Rp0"),
        ("2500000", "Rp2.500.000"),
        (None, formats.EMPTY),
        ("abc", formats.EMPTY),
    ],
)
def test_rupiah_uses_dot_thousands_and_no_space(value, expected):
    assert formats.rupiah(value) == expected


def test_rupiah_with_decimals_uses_a_comma():
    assert formats.rupiah(Decimal("1250000.5"), decimals=True) == "Rp1.250.000,50"


def test_angka_and_persen():
    assert formats.angka(83762) == "83.762"
    assert formats.angka(-1234.6) == "-1.235"
    assert formats.persen(84.5) == "85%"
    assert formats.persen(85.55, digits=1) == "85,6%"
    assert formats.persen(None) == formats.EMPTY


def test_dates_in_indonesian():
    day = datetime.date(2025, 6, 10)
    assert formats.tanggal(day) == "10 Juni 2025"
    assert formats.tanggal_pendek(day) == "10/06/2025"
    assert formats.hari(day) == "Selasa"
    assert formats.bulan(day) == "Juni 2025"
    assert formats.tanggal(None) == formats.EMPTY


def test_templates_show_dates_in_one_style():
    # given every template of the project
    import re
    from pathlib import Path

    root = Path(formats.__file__).resolve().parents[1]
    machine = {"Y-m-d", "Y-m", "Y-m-d\\TH:i", "c"}  # values of inputs and URLs, not for reading
    found = []
    for path in root.rglob("templates/**/*.html"):
        for fmt in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text()):
            if fmt not in machine:
                found.append(f"{path.relative_to(root)}: date:{fmt}")
        if "|tanggal_pendek" in path.read_text():
            found.append(f"{path.relative_to(root)}: tanggal_pendek")
    # then dates show through core.formats (tanggal, bulan, tanggal_waktu), in one style
    assert found == []


def test_national_launch_time_in_wib_and_wita():
    launch = datetime.datetime(2025, 7, 21, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert formats.tanggal_waktu(launch, "WIB") == "21 Juli 2025, 10.00 WIB"
    assert formats.waktu(launch, "WITA") == "11.00 WITA"
    with pytest.raises(ValueError):
        formats.waktu(launch, "UTC")


def test_coordinates_use_decimal_commas_and_hemispheres_never_a_comma_separator():
    from kawal.core.formats import koordinat

    assert koordinat(-0.4512345, 117.0123) == "0,45123° LS · 117,01230° BT"
    assert koordinat("1.5", "-3.25", digits=2) == "1,50° LU · 3,25° BB"
    assert koordinat(None, 117) == "—"
    assert koordinat("bukan angka", "117") == "—"
