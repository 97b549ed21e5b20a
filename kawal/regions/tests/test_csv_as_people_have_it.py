"""The region file as Excel writes it: BOM, Windows-1252, CRLF, semicolons."""

import pytest

from kawal.regions import services
from kawal.regions.imports import RegionImportError, parse_regions
from kawal.regions.models import Region

ROWS = "code;name;level;parent_code\r\n64.02.21;Bañgun Jaya;3;64.02\r\n"


@pytest.mark.parametrize(
    "encoded",
    [
        ROWS.encode("utf-8"),
        b"\xef\xbb\xbf" + ROWS.encode("utf-8"),
        ROWS.encode("cp1252"),
        ROWS.replace(";", ",").encode("utf-8-sig"),
    ],
    ids=["utf8-semicolon-crlf", "utf8-bom", "windows-1252", "bom-comma"],
)
def test_region_csv_is_read_whatever_excel_wrote(kukar, tmp_path, encoded):
    path = tmp_path / "regions.csv"
    path.write_bytes(encoded)
    services.regions_load(csv_path=path)
    assert Region.objects.get(code="64.02.21").name == "Bañgun Jaya"


def test_unknown_parent_names_its_line(db, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("code,name\n64.98,Induk\n64.97.01,Yatim\n", encoding="utf-8")
    result = parse_regions(path)
    assert any(e.startswith("baris 3:") and "64.97" in e for e in result.errors), result.errors
    with pytest.raises(RegionImportError):
        services.regions_load(csv_path=path)
