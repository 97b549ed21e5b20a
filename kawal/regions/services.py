"""Region writes: the loader. Idempotent; all rows are validated before one is written."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from kawal.core import codes
from kawal.regions import imports
from kawal.regions.models import Region, RegionBoundary, RegionCodeChange

BATCH = 2000
COMPARED = ("name", "level", "kind", "parent_id", "lat", "lng")


@dataclass
class LoadStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    code_changes: int = 0


def regions_load(
    *,
    csv_path: Path,
    centroids_path: Path | None = None,
    boundary_paths: list[Path] | None = None,
    code_changes_path: Path | None = None,
) -> LoadStats:
    """Load a region file. Raises RegionImportError (nothing written) on any bad row."""
    existing = {
        row[0]: row[1:]
        for row in Region.objects.values_list("code", *COMPARED).iterator(chunk_size=5000)
    }
    parsed = imports.parse_regions(csv_path, known_codes=set(existing))
    errors = parsed.errors
    if centroids_path:
        errors += imports.parse_centroids(centroids_path, parsed.rows, set(existing))
    if boundary_paths:
        for code, geometry in imports.parse_boundaries(boundary_paths).items():
            if code in parsed.rows:
                parsed.rows[code].boundary = geometry
            else:
                errors.append(f"boundary: unknown region code {code}")
    if errors:
        raise imports.RegionImportError(errors)
    # Polygons the file gives, compared with the stored ones (a file without polygons keeps them).
    given = {code: row.boundary for code, row in parsed.rows.items() if row.boundary is not None}
    stored = dict(
        RegionBoundary.objects.filter(region_id__in=list(given)).values_list(
            "region_id", "geometry"
        )
    )

    stats = LoadStats()
    to_create, to_update = [], []
    boundaries_new, boundaries_changed = [], []
    for code, row in parsed.rows.items():
        region = _region_from_row(row, existing.get(code))
        boundary_changed = code in given and stored.get(code) != given[code]
        if boundary_changed:
            target = boundaries_changed if code in stored else boundaries_new
            target.append(RegionBoundary(region_id=code, geometry=given[code]))
        if code not in existing:
            to_create.append(region)
        elif _values(region) != existing[code] or boundary_changed:
            to_update.append(region)
        else:
            stats.unchanged += 1
    with transaction.atomic():
        Region.objects.bulk_create(to_create, batch_size=BATCH)
        Region.objects.bulk_update(to_update, COMPARED, batch_size=500)
        RegionBoundary.objects.bulk_create(boundaries_new, batch_size=200)
        RegionBoundary.objects.bulk_update(boundaries_changed, ["geometry"], batch_size=200)
        if code_changes_path:
            stats.code_changes = _load_code_changes(code_changes_path)
    stats.created, stats.updated = len(to_create), len(to_update)
    return stats


def _values(region: Region) -> tuple:
    return tuple(getattr(region, name) for name in COMPARED)


def _region_from_row(row: imports.RegionRow, current: tuple | None) -> Region:
    """A Region for the row; values the file does not give (centroid) are kept."""
    kept = dict(zip(COMPARED, current, strict=True)) if current else {}
    return Region(
        code=row.code,
        name=row.name,
        level=row.level,
        kind=row.kind,
        parent_id=row.parent_code,
        lat=row.lat if row.lat is not None else kept.get("lat"),
        lng=row.lng if row.lng is not None else kept.get("lng"),
        **codes.ancestors(row.code),
    )


def _load_code_changes(path: Path) -> int:
    """Record old → new codes; an old code still present as a region is retired, not deleted."""
    count = 0
    for change in imports.parse_code_changes(path):
        new_region = Region.objects.get(code=change["new_code"])
        _, created = RegionCodeChange.objects.update_or_create(
            old_code=change["old_code"],
            defaults={
                "old_name": change["old_name"],
                "old_district_code": change["old_kecamatan_code"],
                "new_region": new_region,
                "note": change.get("note", ""),
            },
        )
        count += created
        Region.objects.filter(code=change["old_code"]).exclude(code=new_region.code).update(
            is_active=False, replaced_by=new_region
        )
    return count


def load_kukar() -> LoadStats:
    return regions_load(
        csv_path=imports.KUKAR_CSV,
        boundary_paths=imports.KUKAR_BOUNDARIES,
        code_changes_path=imports.KUKAR_CODE_CHANGES,
    )


def load_national() -> LoadStats:
    return regions_load(csv_path=imports.NATIONAL_CSV, centroids_path=imports.NATIONAL_CENTROIDS)
