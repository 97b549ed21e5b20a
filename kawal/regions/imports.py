"""Region files: read and validate every row before anything is written."""

import csv
import gzip
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from kawal.core import codes
from kawal.core.csvfiles import read_csv

DATA_DIR = Path(__file__).resolve().parent / "data"
KUKAR_CSV = DATA_DIR / "kukar_wilayah.csv"
KUKAR_BOUNDARIES = [
    DATA_DIR / "kukar_kabupaten_boundary.geojson",
    DATA_DIR / "kukar_kecamatan_boundaries.geojson",
    DATA_DIR / "kukar_desa_boundaries.geojson",
]
KUKAR_CODE_CHANGES = DATA_DIR / "kukar_code_changes_2021.csv"
MAX_REGIONS_BYTES = 200 * 1024 * 1024  # the national file, uncompressed, is ~10 MB
NATIONAL_CSV = DATA_DIR / "indonesia_wilayah.csv.gz"
NATIONAL_CENTROIDS = DATA_DIR / "indonesia_centroids.csv.gz"


@dataclass
class RegionRow:
    code: str
    name: str
    level: int
    kind: str
    parent_code: str | None
    lat: float | None = None
    lng: float | None = None
    boundary: dict | None = None


@dataclass
class ParseResult:
    rows: dict[str, RegionRow] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # code → line in the file


class RegionImportError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors[:50]))


def open_text(path: Path):
    """Open a UTF-8 file, gzip-compressed or not."""
    path = Path(path)
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def _float(value: str | None) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


def parse_regions(path: Path, known_codes: set[str] = frozenset()) -> ParseResult:
    """Rows of `code,name,level,parent_code[,type,lat,lng]`; every problem with its line number.

    A parent must be in the file or already in the database (`known_codes`).
    """
    result = ParseResult()
    table = read_csv(path, max_bytes=MAX_REGIONS_BYTES)
    if table.error:
        result.errors.append(_("line 1: %(error)s") % {"error": table.error})
        return result
    missing = {"code", "name"} - set(table.headers)
    if missing:
        result.errors.append(_("line 1: missing columns: %s") % ", ".join(sorted(missing)))
        return result
    for line, raw in table.rows:
        _parse_row(line, raw, result)
    for code, row in result.rows.items():
        if (
            row.parent_code
            and row.parent_code not in result.rows
            and row.parent_code not in known_codes
        ):
            result.errors.append(
                _("line %(line)d: region %(code)s: unknown parent %(parent)s")
                % {"line": result.lines[code], "code": code, "parent": row.parent_code}
            )
    return result


def _parse_row(line: int, raw: dict, result: ParseResult) -> None:
    code = (raw.get("code") or "").strip()
    name = (raw.get("name") or "").strip()
    where = _("line %d") % line
    if not codes.is_valid_code(code):
        result.errors.append(f"{where}: " + _("malformed region code %r") % code)
        return
    if not name:
        result.errors.append(f"{where}: " + _("empty name for %s") % code)
        return
    if code in result.rows:
        result.errors.append(f"{where}: " + _("duplicate code %s") % code)
        return
    level = codes.level_of(code)
    given_level = (raw.get("level") or "").strip()
    if given_level and given_level != str(level):
        result.errors.append(
            f"{where}: "
            + _("level %(given)s does not match code %(code)s")
            % {"given": given_level, "code": code}
        )
        return
    parent = codes.parent_of(code)
    given_parent = (raw.get("parent_code") or "").strip()
    if given_parent and given_parent != parent:
        result.errors.append(
            f"{where}: "
            + _("parent %(given)s does not match code %(code)s")
            % {"given": given_parent, "code": code}
        )
        return
    try:
        lat, lng = _float(raw.get("lat")), _float(raw.get("lng"))
    except ValueError:
        result.errors.append(f"{where}: " + _("coordinates are not numbers"))
        return
    result.rows[code] = RegionRow(code, name, level, codes.kind_of(code), parent, lat, lng)
    result.lines[code] = line


def parse_centroids(path: Path, rows: dict[str, RegionRow], known_codes: set[str]) -> list[str]:
    """Attach `code,lat,lng` centroids to the parsed rows; returns errors by line."""
    errors = []
    with open_text(path) as handle:
        for line, raw in enumerate(csv.DictReader(handle), start=2):
            code = (raw.get("code") or "").strip()
            try:
                lat, lng = float(raw["lat"]), float(raw["lng"])
            except (KeyError, TypeError, ValueError):
                errors.append(_("line %d: coordinates are not numbers") % line)
                continue
            if not (-90 <= lat <= 90 and -180 <= lng <= 180):
                errors.append(_("line %d: coordinates out of range") % line)
            elif code in rows:
                rows[code].lat, rows[code].lng = lat, lng
            elif code not in known_codes:
                errors.append(
                    _("line %(line)d: unknown region code %(code)s") % {"line": line, "code": code}
                )
    return errors


def parse_boundaries(paths: list[Path]) -> dict[str, dict]:
    """GeoJSON geometries by region code, from FeatureCollections whose properties carry `code`."""
    geometries = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for feature in json.load(handle)["features"]:
                geometries[feature["properties"]["code"]] = feature["geometry"]
    return geometries


def parse_code_changes(path: Path) -> list[dict]:
    with open_text(path) as handle:
        return [{k: (v or "").strip() for k, v in raw.items()} for raw in csv.DictReader(handle)]
