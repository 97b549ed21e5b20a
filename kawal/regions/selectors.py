from django.db.models import Count, Q
from django.http import Http404

from kawal.core.codes import ANCESTOR_FIELD
from kawal.core.scope import Cap, assigned_villages, get_scoped_or_404, granted_regions, scoped
from kawal.regions.models import Region


def region_get(*, user, code: str) -> Region:
    return get_scoped_or_404(Region.objects, user, cap=Cap.VIEW, path="", code=code)


def region_roots(*, user):
    """The top regions the user may browse: its grant regions, or the provinces if national."""
    codes = set(granted_regions(user, Cap.VIEW))
    regions = Region.objects
    if None in codes:
        return regions.filter(level=1)
    # Drop a grant region that lies inside another grant region of the same user.
    tops = {c for c in codes if not any(c != o and c.startswith(o + ".") for o in codes)}
    return regions.filter(code__in=tops)


def region_ancestors(*, user, region: Region) -> list[Region]:
    """Breadcrumb: the ancestors of `region` that the user may see, top first."""
    codes = [c for c in (region.province_code, region.regency_code, region.district_code) if c]
    codes = [c for c in codes if c != region.code]
    visible = scoped(Region.objects, user, Cap.VIEW, path="").filter(code__in=codes)
    return sorted(visible, key=lambda r: r.level)


def region_children(*, user, region: Region):
    """Children of `region` with counts of the desa and kelurahan beneath each (two queries)."""
    children = list(scoped(region.children, user, Cap.VIEW, path="").order_by("code"))
    if region.level >= 3:
        return children
    child_field = ANCESTOR_FIELD[region.level + 1]
    counts = {
        row[child_field]: row
        for row in Region.objects.filter(
            **{ANCESTOR_FIELD[region.level]: region.code}, level=4, is_active=True
        )
        .values(child_field)
        .annotate(
            desa=Count("code", filter=Q(kind__in=["desa", "desa_adat"])),
            kelurahan=Count("code", filter=Q(kind="kelurahan")),
        )
    }
    for child in children:
        row = counts.get(child.code, {})
        child.desa_count = row.get("desa", 0)
        child.kelurahan_count = row.get("kelurahan", 0)
    return children


def region_search(*, user, q: str, limit: int = 20):
    regions = scoped(Region.objects, user, Cap.VIEW, path="")
    return regions.filter(Q(name__icontains=q) | Q(code__startswith=q)).order_by("level", "code")[
        :limit
    ]


def region_boundaries(*, user, region: Region, level: int):
    """Polygons of the regions at `level` inside `region` that the user may see."""
    below = scoped(Region.objects.all(), user, Cap.VIEW, path="")
    if level == region.level:
        below = below.filter(code=region.code)
    else:
        below = below.filter(**{ANCESTOR_FIELD[region.level]: region.code}, level=level)
    return below.filter(boundary__isnull=False).order_by("code")


def boundary_geometries(codes: list[str]) -> dict[str, dict]:
    """{code: GeoJSON geometry} of these regions' outlines (one query; callers scope the codes)."""
    from kawal.regions.models import RegionBoundary

    rows = RegionBoundary.objects.filter(region_id__in=codes).values_list("region_id", "geometry")
    return dict(rows)


def region_counts(*, user) -> dict:
    """Districts, desa and kelurahan inside the user's scope (one query)."""
    return scoped(Region.objects.filter(is_active=True), user, Cap.VIEW, path="").aggregate(
        kecamatan=Count("code", filter=Q(level=3)),
        desa=Count("code", filter=Q(kind__in=["desa", "desa_adat"])),
        kelurahan=Count("code", filter=Q(kind="kelurahan")),
    )


def reconciler_for(*, user, source: str = "simkopdes", cap: str = Cap.MANAGE):
    """A reconciler over the user's own region for `cap` (the whole country for a national
    user), read once per import."""
    from kawal.regions.reconcile import Reconciler

    return Reconciler(within=import_scope_code(user=user, cap=cap), source=source)


def import_scope_code(*, user, cap: str = Cap.MANAGE) -> str | None:
    """The one region an import of `user` covers: the common ancestor of its grants (None =
    national). A user who may edit only the villages assigned to it (a business assistant)
    covers those villages, not the country."""
    codes = granted_regions(user, cap)
    if cap == Cap.EDIT:
        codes += sorted(assigned_villages(user) - set(codes))
    if not codes or None in codes:
        return None
    common = codes[0]
    for code in codes[1:]:
        while common and not (code == common or code.startswith(common + ".")):
            common = common.rsplit(".", 1)[0] if "." in common else ""
    return common or None


def review_items(*, user, status: str = "open"):
    from kawal.regions.models import ReviewItem

    return (
        scoped(ReviewItem.objects.all(), user, Cap.MANAGE, path="scope_region")
        .filter(status=status)
        .select_related("scope_region", "resolved_region")
        .order_by("-updated_at", "pk")
    )


def review_item_get(*, user, pk: int):
    from kawal.regions.models import ReviewItem

    return get_scoped_or_404(
        ReviewItem.objects.all(), user, cap=Cap.MANAGE, path="scope_region", pk=pk
    )


def crosswalk_list(*, user, source: str | None = None):
    from kawal.regions.models import Crosswalk

    rows = scoped(Crosswalk.objects.all(), user, Cap.VIEW, path="region")
    if source:
        rows = rows.filter(source=source)
    return rows.order_by("pk")


# --- Region pickers of list pages -------------------------------------------------------------


def regencies_in_scope(*, user) -> list[Region]:
    """Regencies (and cities) the user sees; more than one means it chooses one at a time."""
    return list(scoped(Region.objects.filter(level=2), user, Cap.VIEW, path="").order_by("code"))


def districts_in_scope(*, user, regency: str = ""):
    """Kecamatan the user sees, within `regency` when given."""
    qs = scoped(Region.objects.filter(level=3), user, Cap.VIEW, path="")
    return qs.filter(regency_code=regency) if regency else qs


def regency_choice(*, user, requested: str = "") -> tuple[list[Region], str, bool]:
    """(regencies in scope, the chosen one, whether one must be chosen first) for a page that
    shows one regency at a time; a requested regency outside the scope is a 404."""
    regencies = regencies_in_scope(user=user)
    regency = requested if len(regencies) > 1 else ""
    if regency and regency not in {r.code for r in regencies}:
        raise Http404
    return regencies, regency, len(regencies) > 1 and not regency


def kecamatan_choices(*, user, limit: int = 400) -> list[tuple[str, str]]:
    """The kecamatan holding villages inside the user's scope (at most `limit`)."""
    codes = list(
        scoped(Region.objects.filter(level=4, is_active=True), user, Cap.VIEW, path="")
        .order_by("district_code")
        .values_list("district_code", flat=True)
        .distinct()[: limit + 1]
    )
    if len(codes) > limit:
        return []  # a national scope: the list would be unusable, search by code instead
    regions = Region.objects.filter(code__in=codes).only("code", "name").order_by("name")
    return [(r.code, r.name) for r in regions]


def region_names(codes) -> dict[str, str]:
    """{code: name} for the given codes, in one query (for rows that carry only a code)."""
    return dict(Region.objects.filter(code__in=sorted(codes)).values_list("code", "name"))
