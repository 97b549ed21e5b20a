from pathlib import Path

import pytest

from kawal.regions import imports, services
from kawal.regions.imports import RegionImportError
from kawal.regions.models import Region, RegionCodeChange


def test_kukar_counts(kukar):
    villages = Region.objects.filter(regency_code="64.02", level=4)
    assert Region.objects.filter(regency_code="64.02", level=3).count() == 20
    assert villages.filter(kind="desa").count() == 193
    assert villages.filter(kind="kelurahan").count() == 44
    assert villages.filter(boundary__isnull=False).count() == 237
    assert villages.filter(lat__isnull=True).count() == 0


def test_copied_ancestors_make_a_subtree_one_equality(kukar):
    tanah_datar = Region.objects.get(code="64.02.05.2006")
    assert (tanah_datar.province_code, tanah_datar.regency_code, tanah_datar.district_code) == (
        "64",
        "64.02",
        "64.02.05",
    )
    assert tanah_datar.parent_id == "64.02.05"
    assert tanah_datar.display_name == "Desa Tanah Datar"


def test_second_load_changes_nothing(kukar):
    stats = services.load_kukar()
    assert (stats.created, stats.updated, stats.code_changes) == (0, 0, 0)
    assert stats.unchanged == 259


def test_code_changes_2021_are_kept(kukar):
    change = RegionCodeChange.objects.get(old_code="64.02.08.2001")
    assert change.new_region_id == "64.02.19.2001"
    assert RegionCodeChange.objects.count() == 20


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "regions.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "body,expected",
    [
        ("99.9,Salah,2,99\n", "baris 3: format kode wilayah"),
        ("64.02.99,,3,64.02\n", "baris 3: nama untuk"),
        ("64.02.99,A,3,64.02\n64.02.99,B,3,64.02\n", "baris 4: kode 64.02.99 duplikat"),
        ("64.98.01,Yatim,3,64.98\n", "baris 3: wilayah 64.98.01: induk 64.98 tidak dikenal"),
        ("64.02.99,A,4,64.02\n", "baris 3: tingkat 4 tidak sesuai"),
    ],
)
def test_bad_row_is_reported_by_line_and_nothing_is_written(kukar, tmp_path, body, expected):
    path = write(tmp_path, "code,name,level,parent_code\n64.02.21,Baru,3,64.02\n" + body)
    before = Region.objects.count()
    with pytest.raises(RegionImportError) as error:
        services.regions_load(csv_path=path)
    assert any(expected in e for e in error.value.errors), error.value.errors
    assert Region.objects.count() == before
    assert not Region.objects.filter(code="64.02.21").exists()


def test_load_command_reports_errors(kukar, tmp_path):
    from django.core.management import CommandError, call_command

    path = write(tmp_path, "code,name,level,parent_code\n64.02.x,Salah,3,64.02\n")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_regions", csv=path)


def test_national_file_counts():
    """The shipped national file: 38 provinces, 514 regencies/cities, 7,285 districts, 83,762 villages."""
    parsed = imports.parse_regions(imports.NATIONAL_CSV)
    assert parsed.errors == []
    levels = [0, 0, 0, 0]
    for row in parsed.rows.values():
        levels[row.level - 1] += 1
    assert levels == [38, 514, 7285, 83762]
    assert len(parsed.rows) == 91599


@pytest.mark.django_db
def test_national_load_keeps_kukar_polygons_and_is_idempotent(kukar):
    first = services.load_national()
    assert Region.objects.count() == 91599
    assert first.created == 91599 - 259
    assert Region.objects.get(code="64.02.05.2006").boundary is not None
    second = services.load_national()
    assert (second.created, second.updated) == (0, 0)
