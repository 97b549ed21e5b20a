from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render

from kawal.core.scope import Cap, requires
from kawal.regions import selectors

MAP_DECIMALS = 4  # about 11 m: plenty for village polygons, and a third of the bytes


@requires(Cap.VIEW)
def index(request):
    q = request.GET.get("q", "").strip()
    roots = list(selectors.region_roots(user=request.user))
    if not q and len(roots) == 1:
        return redirect("regions:detail", code=roots[0].code)
    results = selectors.region_search(user=request.user, q=q) if q else []
    return render(request, "regions/index.html", {"roots": roots, "q": q, "results": results})


@requires(Cap.VIEW)
def detail(request, code: str):
    region = selectors.region_get(user=request.user, code=code)
    context = {
        "region": region,
        "ancestors": selectors.region_ancestors(user=request.user, region=region),
        "children": selectors.region_children(user=request.user, region=region),
    }
    return render(request, "regions/detail.html", context)


@requires(Cap.VIEW)
def map_view(request):
    code = request.GET.get("wilayah") or ""
    if code:
        region = selectors.region_get(user=request.user, code=code)
    else:
        roots = list(selectors.region_roots(user=request.user))
        if not roots:
            raise Http404
        region = roots[0]
    return render(
        request, "regions/map.html", {"region": region, "tile_url": settings.KAWAL_TILE_URL}
    )


def _round(coords):
    if isinstance(coords, float | int):
        return round(coords, MAP_DECIMALS)
    return [_round(c) for c in coords]


@requires(Cap.VIEW)
def boundaries(request, code: str):
    """GeoJSON of the regions one level below `code` (or `?level=`), inside the user's scope."""
    region = selectors.region_get(user=request.user, code=code)
    try:
        level = int(request.GET.get("level", min(region.level + 1, 4)))
    except ValueError:
        raise Http404 from None
    if not region.level <= level <= 4:
        raise Http404
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": r.boundary.geometry["type"],
                "coordinates": _round(r.boundary.geometry["coordinates"]),
            },
            "properties": {
                "code": r.code,
                "name": r.name,
                "kind": r.get_kind_display(),
                "level": r.level,
            },
        }
        for r in selectors.region_boundaries(user=request.user, region=region, level=level)
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})
