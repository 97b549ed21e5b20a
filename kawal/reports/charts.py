"""Geometry of the dashboard's SVG charts; the SVG itself is written by the templates
(reports/_bars.html), each chart with a table of the same numbers behind it."""

WIDTH = 640
LABEL_W = 230
ROW_H = 24
BAR_H = 16


def _layout(rows: list[dict], label_key: str) -> dict:
    top = max([row["n"] or 0 for row in rows] + [1])
    plot = WIDTH - LABEL_W - 60
    laid = []
    for i, row in enumerate(rows):
        n = row["n"]
        width = 0 if n is None else max(plot * n / top, 1 if n else 0)
        laid.append(
            {
                "label": row[label_key],
                "n": n,
                "sub": row.get("sub", False),
                "url": row.get("url", ""),
                "y": i * ROW_H + 4,
                "text_y": i * ROW_H + 4 + BAR_H - 4,
                "width": round(width, 1),
                "value_x": round(LABEL_W + width + 6, 1),
            }
        )
    return {
        "rows": laid,
        "height": len(rows) * ROW_H + 8,
        "width": WIDTH,
        "label_w": LABEL_W,
        "bar_h": BAR_H,
        "label_x": LABEL_W - 8,
    }


def funnel(rows: list[dict]) -> dict:
    """One bar per phase (sub-steps indented); a phase without data gets a note, no bar."""
    return _layout(rows, "label")


def bars(rows: list[dict]) -> dict | None:
    """Overdue follow-ups per agency, the ten with most first."""
    if not rows:
        return None
    return _layout(rows[:10], "name")
