from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawal.core.paginate import paginate
from kawal.core.scope import Cap, requires
from kawal.regions import geometry, selectors, services


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
    shown = list(selectors.region_boundaries(user=request.user, region=region, level=level))
    outlines = geometry.map_outlines(
        [r.code for r in shown], level_shown=region.level, load=selectors.boundary_geometries
    )
    features = [
        {
            "type": "Feature",
            "geometry": outlines[r.code],
            "properties": {
                "code": r.code,
                "name": r.name,
                "kind": r.get_kind_display(),
                "level": r.level,
            },
        }
        for r in shown
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@requires(Cap.MANAGE)
def review_queue(request):
    """Rows that imports could not place; one click on a candidate places them for good."""
    page = paginate(request, selectors.review_items(user=request.user), per_page=50)
    return render(request, "regions/review_queue.html", {"page": page})


@requires(Cap.MANAGE)
@require_POST
def review_resolve(request, pk: int):
    item = selectors.review_item_get(user=request.user, pk=pk)
    try:
        services.review_item_resolve(actor=request.user, item=item, code=request.POST.get("kode"))
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return redirect("regions:review_queue")
    if request.htmx:
        return render(request, "regions/review_queue.html#item", {"item": item})
    messages.success(
        request, _("Remembered: %(label)s. Run the import again.") % {"label": item.given_label}
    )
    return redirect("regions:review_queue")
