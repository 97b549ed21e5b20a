"""Geometry for the server-rendered SVG charts (the templates draw; no JavaScript)."""

from kawal.core.formats import MONTHS

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 200, 30, 24, 10


def weekly_bars(weeks: list[dict]) -> dict:
    """Paired bars per week: visits and consultations."""
    n = len(weeks) or 1
    top = max([max(w["visits"], w["consultations"]) for w in weeks] + [1])
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = (WIDTH - PAD_LEFT) / n
    bar = max(slot / 2 - 1, 1)
    bars = []
    for i, w in enumerate(weeks):
        x = PAD_LEFT + i * slot
        for j, key in enumerate(("visits", "consultations")):
            h = plot_h * w[key] / top
            bars.append(
                {
                    "x": round(x + j * bar, 1),
                    "y": round(PAD_TOP + plot_h - h, 1),
                    "w": round(bar, 1),
                    "h": round(h, 1),
                    "kind": key,
                    "value": w[key],
                    "week": w["week"],
                }
            )
    labels = [
        {
            "x": round(PAD_LEFT + i * slot, 1),
            "text": f"{w['week'].day} {MONTHS[w['week'].month - 1][:3]}",
        }
        for i, w in enumerate(weeks)
        if i % 4 == 0
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "labels": labels,
        "top": top,
        "axis_y": HEIGHT - PAD_BOTTOM,
        "pad_left": PAD_LEFT,
        "pad_top": PAD_TOP,
    }


def topic_grid(data: dict) -> dict:
    """A heat grid: topics (rows) × months (columns), darker = more consultations."""
    cell_w, cell_h, label_w, head_h = 64, 26, 170, 22
    top = data["max"] or 1
    rows = []
    for r, topic in enumerate(data["topics"]):
        cells = [
            {
                "x": label_w + c * cell_w,
                "y": head_h + r * cell_h,
                "value": value,
                "opacity": round(0.08 + 0.92 * value / top, 2) if value else 0,
            }
            for c, value in enumerate(topic["cells"])
        ]
        rows.append(
            {
                "label": topic["label"],
                "y": head_h + r * cell_h,
                "cells": cells,
                "total": topic["total"],
            }
        )
    months = [
        {"x": label_w + c * cell_w + cell_w / 2, "text": f"{MONTHS[m.month - 1][:3]} {m:%y}"}
        for c, m in enumerate(data["months"])
    ]
    return {
        "width": label_w + cell_w * len(data["months"]) + 50,
        "height": head_h + cell_h * len(rows) + 4,
        "rows": rows,
        "months": months,
        "cell_w": cell_w - 2,
        "cell_h": cell_h - 2,
        "total_x": label_w + cell_w * len(data["months"]) + 8,
    }
