"""Region outlines made light enough for a map: simplified for the scale they are shown at,
rounded, and cached.

A map of a region shows the regions one level below it, so the level of the region shown fixes
the scale: a whole regency (about 2.5° across in Kukar) on a screen of about 1,000 px needs no
detail finer than a thousandth of a degree, a kecamatan about a fifth of that. Each outline is
simplified with Douglas–Peucker at the tolerance of that scale (below half a pixel, so the eye
sees no difference), rounded to `DECIMALS`, and kept in Django's cache under its code and
tolerance. The outline is the same for every user; which outlines a user gets is decided by the
scoped selector, never by the cache.
"""

from django.core.cache import cache

DECIMALS = 4  # about 11 m: plenty for village polygons, and a third of the bytes

# Degrees of tolerance for the children shown on the map of a region at this level.
TOLERANCE_BY_SHOWN_LEVEL = {0: 0.02, 1: 0.005, 2: 0.001, 3: 0.0002, 4: 0.00005}
CACHE_SECONDS = 24 * 3600


def tolerance_for(level: int) -> float:
    return TOLERANCE_BY_SHOWN_LEVEL.get(level, TOLERANCE_BY_SHOWN_LEVEL[4])


def _distance_sq(p, a, b) -> float:
    """Squared distance from point p to the segment a–b (degrees; flat at this scale)."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return (px - ax) ** 2 + (py - ay) ** 2
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2


def simplify_line(points: list, tolerance: float) -> list:
    """Douglas–Peucker, iterative (outlines of thousands of points would exhaust recursion)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance_sq(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index is not None and worst > limit:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring(ring: list, tolerance: float) -> list:
    """A closed ring stays closed and keeps at least four positions (a triangle)."""
    simpler = simplify_line(ring, tolerance)
    return simpler if len(simpler) >= 4 else ring


def _rounded(coords):
    if isinstance(coords, float | int):
        return round(coords, DECIMALS)
    return [_rounded(c) for c in coords]


def simplify(geometry: dict, tolerance: float) -> dict:
    """A Polygon or MultiPolygon simplified and rounded; other types only rounded."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        coords = [_ring(r, tolerance) for r in coords]
    elif kind == "MultiPolygon":
        coords = [[_ring(r, tolerance) for r in polygon] for polygon in coords]
    return {"type": kind, "coordinates": _rounded(coords)}


def map_outlines(codes: list[str], *, level_shown: int, load) -> dict[str, dict]:
    """{code: simplified geometry} for the map of a region at `level_shown`. `load(codes)` reads
    {code: geometry} of the outlines not in the cache yet (one query for all of them)."""
    tolerance = tolerance_for(level_shown)
    keys = {code: f"kawal:outline:{tolerance}:{code}" for code in codes}
    found = cache.get_many(list(keys.values()))
    outlines = {code: found[key] for code, key in keys.items() if key in found}
    missing = [code for code in codes if code not in outlines]
    if missing:
        fresh = {code: simplify(g, tolerance) for code, g in load(missing).items()}
        cache.set_many({keys[code]: g for code, g in fresh.items()}, CACHE_SECONDS)
        outlines.update(fresh)
    return outlines
