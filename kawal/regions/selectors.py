from django.db.models import Count, Q

from kawal.core.codes import ANCESTOR_FIELD
from kawal.core.scope import Cap, get_scoped_or_404, scoped, user_grants
from kawal.regions.models import Region


def region_get(*, user, code: str) -> Region:
    return get_scoped_or_404(Region.objects, user, cap=Cap.VIEW, path="", code=code)


def region_roots(*, user):
    """The top regions the user may browse: its grant regions, or the provinces if national."""
    codes = {g.region_code for g in user_grants(user) if Cap.VIEW in g.capabilities}
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
    return below.filter(boundary__isnull=False).select_related("boundary")


def region_counts(*, user) -> dict:
    """Districts, desa and kelurahan inside the user's scope (one query)."""
    return scoped(Region.objects.filter(is_active=True), user, Cap.VIEW, path="").aggregate(
        kecamatan=Count("code", filter=Q(level=3)),
        desa=Count("code", filter=Q(kind__in=["desa", "desa_adat"])),
        kelurahan=Count("code", filter=Q(kind="kelurahan")),
    )


def region_names(codes) -> dict[str, str]:
    """{code: name} for the given codes, in one query (for rows that carry only a code)."""
    return dict(Region.objects.filter(code__in=sorted(codes)).values_list("code", "name"))
