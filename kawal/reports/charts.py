"""Geometry of the dashboard's SVG charts; the SVG itself is written by the templates
(reports/_bars.html), each chart with a table of the same numbers behind it.

Each row is a label above its bar, so the chart stays readable on a 360 px phone."""

WIDTH = 400
ROW_H = 40
BAR_H = 14
INDENT = 16  # sub-steps (NPWP, NIB, account) sit under their phase


def _layout(rows: list[dict], label_key: str) -> dict:
    top = max([row["n"] or 0 for row in rows] + [1])
    laid = []
    for i, row in enumerate(rows):
        n = row["n"]
        x = INDENT if row.get("sub") else 0
        plot = WIDTH - x - 50
        width = 0 if n is None else max(plot * n / top, 1 if n else 0)
        y = i * ROW_H
        laid.append(
            {
                "label": row[label_key],
                "n": n,
                "sub": row.get("sub", False),
                "x": x,
                "label_y": y + 14,
                "y": y + 20,
                "text_y": y + 20 + BAR_H - 2,
                "width": round(width, 1),
                "value_x": round(x + width + 6, 1),
            }
        )
    return {"rows": laid, "height": len(rows) * ROW_H + 4, "width": WIDTH, "bar_h": BAR_H}


def funnel(rows: list[dict]) -> dict:
    """One bar per phase (sub-steps indented); a phase without data gets a note, no bar."""
    return _layout(rows, "label")


def bars(rows: list[dict]) -> dict | None:
    """Overdue follow-ups per agency, the ten with most first."""
    if not rows:
        return None
    return _layout(rows[:10], "name")
