"""Server-rendered SVG geometry (no JavaScript): sparklines and stacked bars."""


def sparkline(points: list[tuple], width: int = 220, height: int = 48, pad: int = 4) -> dict:
    """Polyline coordinates for scores 0–100 over time; {} when there is nothing to draw."""
    if not points:
        return {}
    n = len(points)
    step = (width - 2 * pad) / max(n - 1, 1)
    coords = []
    for i, (_when, score) in enumerate(points):
        x = pad + i * step if n > 1 else width / 2
        y = pad + (height - 2 * pad) * (1 - score / 100)
        coords.append((round(x, 1), round(y, 1)))
    return {
        "width": width,
        "height": height,
        "polyline": " ".join(f"{x},{y}" for x, y in coords),
        "last": coords[-1],
        "first_score": points[0][1],
        "last_score": points[-1][1],
        "threshold_y": {
            "siap": round(pad + (height - 2 * pad) * 0.25, 1),
            "perlu": round(pad + (height - 2 * pad) * 0.5, 1),
        },
    }


def stacked(shares: list[float], width: int = 200) -> list[dict]:
    """Segments (x, width) of a 100% stacked bar."""
    segments, x = [], 0.0
    for share in shares:
        w = width * share / 100
        segments.append({"x": round(x, 1), "w": round(w, 1), "share": share})
        x += w
    return segments
