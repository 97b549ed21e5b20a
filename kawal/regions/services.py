"""Region writes: the loader. Idempotent; all rows are validated before one is written."""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kawal.core import codes
from kawal.core.audit import audit
from kawal.core.scope import Cap, require
from kawal.regions import imports, reconcile
from kawal.regions.models import Crosswalk, Region, RegionBoundary, RegionCodeChange, ReviewItem

BATCH = 2000
COMPARED = ("name", "level", "kind", "parent_id", "lat", "lng")


@dataclass
class LoadStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    code_changes: int = 0
    renamed: list = field(default_factory=list)  # (code, old name, new name)
    moved: list = field(default_factory=list)  # (old code, new code, name)
    retired: list = field(default_factory=list)  # (code, name)
    followed: int = 0  # records moved from old to new codes
    dry_run: bool = False

    def summary(self) -> str:
        lines = [
            f"regions: {self.created} created, {self.updated} updated "
            f"({len(self.renamed)} renamed), {self.unchanged} unchanged, "
            f"{len(self.moved)} moved (re-coded), {len(self.retired)} retired, "
            f"{self.code_changes} code changes recorded, {self.followed} records followed"
        ]
        lines += [f"  renamed {c}: {a} → {b}" for c, a, b in self.renamed[:50]]
        lines += [f"  moved   {a} → {b} ({n})" for a, b, n in self.moved[:50]]
        lines += [f"  retired {c} ({n})" for c, n in self.retired[:50]]
        return "\n".join(lines)


class DryRun(Exception):
    """Raised inside the transaction to roll a dry run back after counting."""


def regions_load(
    *,
    csv_path: Path,
    centroids_path: Path | None = None,
    boundary_paths: list[Path] | None = None,
    code_changes_path: Path | None = None,
    complete: bool = False,
    dry_run: bool = False,
) -> LoadStats:
    """Load a region file. Raises RegionImportError (nothing written) on any bad row.

    `complete`: the file is the whole official list below its root (the deepest region that
    holds all its rows), so codes missing from it have vanished: a vanished code whose region
    re-appears under a new code (the code-change file says so, or the same name in the same
    regency and level) is **moved** (old → new recorded, records follow, the old code stays as
    an alias), the others are **retired** (kept, never deleted). `dry_run` computes the same
    summary and writes nothing.
    """
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
    changes = imports.parse_code_changes(code_changes_path) if code_changes_path else []
    if errors:
        raise imports.RegionImportError(errors)
    # Polygons the file gives, compared with the stored ones (a file without polygons keeps them).
    given = {code: row.boundary for code, row in parsed.rows.items() if row.boundary is not None}
    stored = dict(
        RegionBoundary.objects.filter(region_id__in=list(given)).values_list(
            "region_id", "geometry"
        )
    )

    stats = LoadStats(dry_run=dry_run)
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
            if existing[code][0] != region.name:
                stats.renamed.append((code, existing[code][0], region.name))
        else:
            stats.unchanged += 1
    if complete:
        _plan_vanished(stats, parsed.rows, existing, changes)
    stats.created, stats.updated = len(to_create), len(to_update)
    try:
        with transaction.atomic():
            Region.objects.bulk_create(to_create, batch_size=BATCH)
            Region.objects.bulk_update(to_update, COMPARED, batch_size=500)
            RegionBoundary.objects.bulk_create(boundaries_new, batch_size=200)
            RegionBoundary.objects.bulk_update(boundaries_changed, ["geometry"], batch_size=200)
            if changes:
                stats.code_changes = _load_code_changes(changes)
            for old, new, _name in stats.moved:
                stats.code_changes += _record_move(old, new)
                stats.followed += _follow_records(old, new)
            retired = [code for code, _name in stats.retired]
            Region.objects.filter(code__in=retired).update(is_active=False)
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return stats


def _root_of(codes_in_file) -> str:
    """The deepest region holding every row of the file ('' = the country)."""
    found = set(codes_in_file)
    root = ""
    while True:
        children = {c for c in found if (codes.parent_of(c) or "") == root}
        below = {c for c in found if root == "" or c.startswith(root + ".")}
        if len(children) == 1 and below - children - {root}:
            root = next(iter(children))
        else:
            return root


def _plan_vanished(stats: LoadStats, rows: dict, existing: dict, changes: list) -> None:
    root = _root_of(rows)
    active = set(
        Region.objects.filter(is_active=True).values_list("code", flat=True)
        if not root
        else Region.objects.filter(
            **{codes.ANCESTOR_FIELD[codes.level_of(root)]: root}, is_active=True
        ).values_list("code", flat=True)
    )
    vanished = sorted(c for c in active if c not in rows and c != root)
    new_codes = {c for c in rows if c not in existing}
    declared = {c["old_code"]: c["new_code"] for c in changes}
    # the same name, level and regency, once on each side: a re-coding
    by_name: dict[tuple, list[str]] = {}
    for code in new_codes:
        row = rows[code]
        key = (row.level, code[:5], reconcile.name_key(row.name, row.level)[1])
        by_name.setdefault(key, []).append(code)
    taken = set()
    for old in vanished:
        name = existing[old][0]
        new = declared.get(old)
        if new is None:
            level = codes.level_of(old)
            candidates = by_name.get((level, old[:5], reconcile.name_key(name, level)[1]), [])
            new = candidates[0] if len(candidates) == 1 else None
        if new and new in rows and new not in taken:
            taken.add(new)
            stats.moved.append((old, new, name))
        else:
            stats.retired.append((old, name))


def _record_move(old: str, new: str) -> int:
    """old → new in the national code-change table; the old region retired, pointing at new."""
    old_region = Region.objects.get(code=old)
    _change, created = RegionCodeChange.objects.update_or_create(
        old_code=old,
        defaults={
            "old_name": old_region.name,
            "old_district_code": old_region.district_code if old_region.level == 4 else "",
            "new_region_id": new,
            "note": "re-coded by a region file",
        },
    )
    Region.objects.filter(code=old).update(is_active=False, replaced_by_id=new)
    return int(created)


# Relations to a region that are history or structure, not records that move with a re-coding.
NOT_FOLLOWING = {
    ("regions", "region"),
    ("regions", "regionboundary"),  # the new code brings its own polygon
    ("regions", "regioncodechange"),
    ("core", "auditevent"),
}


def _follow_records(old: str, new: str) -> int:
    """Every record pointing at the old code (in any app) now points at the new one. Found
    through the model registry, so that this low app imports none of the apps above it."""
    moved = 0
    for relation in Region._meta.related_objects:
        model = relation.related_model
        if (model._meta.app_label, model._meta.model_name) in NOT_FOLLOWING:
            continue
        if relation.many_to_many:
            through = relation.through if hasattr(relation, "through") else None
            through = through or getattr(model, relation.field.name).through
            column = relation.field.m2m_reverse_field_name()
            moved += through.objects.filter(**{column: old}).update(**{column: new})
            continue
        field_name = relation.field.name
        moved += model._base_manager.filter(**{field_name: old}).update(**{field_name: new})
    return moved


def _values(region: Region) -> tuple:
    return tuple(getattr(region, name) for name in COMPARED)


def _region_from_row(row: imports.RegionRow, current: tuple | None) -> Region:
    """A Region for the row; values the file does not give (centroid, polygon) are kept."""
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


def _load_code_changes(changes: list[dict]) -> int:
    """Record old → new codes; an old code still present as a region is retired, not deleted."""
    count = 0
    for change in changes:
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


def load_kukar(*, dry_run: bool = False) -> LoadStats:
    return regions_load(
        csv_path=imports.KUKAR_CSV,
        boundary_paths=imports.KUKAR_BOUNDARIES,
        code_changes_path=imports.KUKAR_CODE_CHANGES,
        complete=True,
        dry_run=dry_run,
    )


def load_national(*, dry_run: bool = False) -> LoadStats:
    return regions_load(
        csv_path=imports.NATIONAL_CSV,
        centroids_path=imports.NATIONAL_CENTROIDS,
        complete=True,
        dry_run=dry_run,
    )


# --- crosswalk and review queue ------------------------------------------------------------

ENTITY_LENGTH = {"province": 2, "district": 5, "subdistrict": 8, "village": 13, "cooperative": 13}


def crosswalk_confirm(*, actor, entries) -> int:
    """Keep outside ids against our codes: entries of (source, entity, external_id, code, label).

    An id already kept for another region is refused (ValidationError): one outside id, one
    region. Returns the number of new entries. The caller's transaction wraps it.
    """
    created = 0
    wanted = {}
    for source, entity, external_id, code, label in entries:
        key = (source, entity, str(external_id))
        code = code[: ENTITY_LENGTH.get(entity, 13)]
        if wanted.get(key, code) != code:
            raise ValidationError(
                _("%(entity)s id %(id)s is given for two different regions")
                % {"entity": entity, "id": external_id}
            )
        wanted[key] = (code, label)
    existing = {
        (c.source, c.entity, c.external_id): c.region_id
        for c in Crosswalk.objects.filter(external_id__in={k[2] for k in wanted})
    }
    for key, (code, label) in wanted.items():
        require(actor, Cap.MANAGE, code)
        if key in existing:
            if existing[key] != code:
                raise ValidationError(
                    _("%(entity)s id %(id)s is already linked to another region (%(code)s)")
                    % {"entity": key[1], "id": key[2], "code": existing[key]}
                )
            continue
        entry = Crosswalk.objects.create(
            source=key[0],
            entity=key[1],
            external_id=key[2],
            region_id=code,
            label=label[:200],
            confirmed_by=actor if getattr(actor, "pk", None) else None,
        )
        audit(actor=actor, action="crosswalk.confirm", obj=entry, region_code=code)
        created += 1
    return created


def review_item_put(*, source: str, match, given: dict, scope_code: str) -> ReviewItem:
    """Queue a row an import could not place (or refresh it when the same row comes again).

    Called by imports during the dry run: the queue is not the imported data, so it is kept
    even when the import itself is not committed."""
    what = match.where or "|".join(f"{k}={v}" for k, v in sorted(given.items()) if v)
    key = f"{source}|{what}"[:300]
    item, _created = ReviewItem.objects.update_or_create(
        key=key,
        defaults={
            "source": source,
            "given": {**given, "_where": match.where},
            "problem": str(match.problem)[:300],
            "candidates": [list(c) for c in match.candidates],
            "scope_region_id": scope_code,
            "status": ReviewItem.Status.OPEN,
        },
    )
    return item


@transaction.atomic
def review_item_resolve(*, actor, item: ReviewItem, code: str) -> ReviewItem:
    """The officer's pick: remembered in the crosswalk (the spelling, and the outside ids the
    row carried), so the next run of the import places the row by itself."""
    require(actor, Cap.MANAGE, item.scope_region_id)
    if code not in {c for c, _label in item.candidates}:
        raise ValidationError(_("Pick one of the candidates."))
    require(actor, Cap.MANAGE, code)
    label = dict(item.candidates)[code]
    entries = []
    where = item.given.get("_where") or ""
    if where:
        level = int(where.split("|")[1])
        entity = {1: "province", 2: "district", 3: "subdistrict", 4: "village"}[level]
        entries.append(("name", entity, where, code, label))
    for column, entity in reconcile.EXTERNAL_COLUMNS.items():
        if item.given.get(column) and len(code) >= ENTITY_LENGTH[entity]:
            entries.append(("simkopdes", entity, item.given[column], code, label))
    crosswalk_confirm(actor=actor, entries=entries)
    item.status = ReviewItem.Status.RESOLVED
    item.resolved_region_id = code
    item.resolved_by = actor
    item.save(update_fields=["status", "resolved_region", "resolved_by", "updated_at"])
    audit(
        actor=actor,
        action="review.resolve",
        obj=item,
        region_code=item.scope_region_id,
        changes={"region": [None, code]},
    )
    return item


def import_rows_place(
    *, preview, reconciler, source: str, scope_code: str, level: int = 4, queue: bool = True
) -> dict:
    """Place every parsed row of an import on a current code (`kode_desa` is rewritten to it).

    Rows the reconciler cannot place get a row error with the candidates and, for ambiguous or
    unknown names, an item in the review queue. Two rows giving the same outside id for
    different regions are both wrong. Returns {line: Match} for the rows placed.
    """
    placed = {}
    ids_seen: dict[tuple, tuple[str, int]] = {}
    for row in preview.rows:
        if not row.ok:
            continue
        query = reconcile.query_from_values(row.values, level=level)
        match = reconciler.resolve(query)
        if not match.ok:
            message = match.problem
            if match.candidates:
                message += " — " + _("candidates: %(list)s") % {
                    "list": "; ".join(label for _code, label in match.candidates)
                }
            row.errors.append(str(message))
            if queue and match.method in (reconcile.AMBIGUOUS, reconcile.UNRESOLVED):
                given = {k: v for k, v in row.values.items() if k in PLACE_KEYS and v}
                item = review_item_put(
                    source=source, match=match, given=given, scope_code=scope_code
                )
                row.errors.append(str(_("waiting in the review queue")))
                row.values["_review_item"] = item.pk
            continue
        for column, entity in reconcile.EXTERNAL_COLUMNS.items():
            external_id = row.values.get(column)
            if not external_id:
                continue
            target = match.code[: ENTITY_LENGTH[entity]]
            seen = ids_seen.setdefault((entity, str(external_id)), (target, row.line))
            if seen[0] != target:
                row.errors.append(
                    _("%(column)s %(id)s is also on line %(line)s, for another region")
                    % {"column": column, "id": external_id, "line": seen[1]}
                )
        row.values["kode_desa"] = match.code
        row.values["_placed_by"] = match.method
        placed[row.line] = match
    return placed


def crosswalk_entries_for(preview, *, source: str = "simkopdes") -> list[tuple]:
    """The outside ids of the placed rows, to confirm when the import is committed."""
    entries = []
    for row in preview.rows:
        code = row.values.get("kode_desa")
        if not row.ok or not code or "_placed_by" not in row.values:
            continue
        for column, entity in reconcile.EXTERNAL_COLUMNS.items():
            if row.values.get(column):
                label = row.values.get("desa") or code
                entries.append((source, entity, row.values[column], code, label))
        if row.values.get("cooperative_id"):
            label = row.values.get("name") or code
            entries.append((source, "cooperative", row.values["cooperative_id"], code, label))
    return entries


PLACE_KEYS = {c.key for c in reconcile.PLACE_COLUMNS}


def place_villages(preview, *, user, source: str, cap: str = Cap.MANAGE) -> dict:
    """The village step of every import with region columns (docs/imports.md), in one place.

    Each parsed row names its village by a code in any form (an old code follows the code
    changes), by the names of its places (a village only within its kecamatan) or by SIMKOPDES
    ids kept in the crosswalk; `kode_desa` is rewritten to the current code. A code that
    disagrees with the names of its row is a row error; an unplaced or ambiguous row is a row
    error with its candidates and waits in the review queue (/wilayah/antrean/). Returns
    {code: Region} of the placed villages on which `user` holds `cap`; a placed row whose
    village is missing from it lies outside the user's area.

    The kind's columns carry `reconcile.PLACE_COLUMNS` (with the ministry's header aliases);
    unknown columns are listed by the reader as a warning."""
    from kawal.core.scope import can
    from kawal.regions import selectors

    import_rows_place(
        preview=preview,
        reconciler=selectors.reconciler_for(user=user, cap=cap),
        source=source,
        scope_code=selectors.import_scope_code(user=user, cap=cap),
    )
    placed = {r.values["kode_desa"] for r in preview.rows if r.ok and r.values.get("kode_desa")}
    villages = Region.objects.filter(code__in=placed, level=4).select_related("parent")
    return {v.code: v for v in villages if can(user, cap, v.code)}


def outside_area(code: str) -> str:
    """The row error of a placed village the importing user may not write in."""
    return _("kode_desa: %(code)s is outside your area") % {"code": code}
