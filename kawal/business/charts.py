"""Server-rendered SVG charts of the KMP business page (no JavaScript, no chart library):
revenue per outlet (stacked bars), members and savings (lines), status per month (a strip)."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from kawal.core.formats import MONTHS, angka, rupiah

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 180, 8, 22, 16


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _short(month) -> str:
    return f"{MONTHS[month.month - 1][:3]} {month:%y}"


def _ticks(months, slot) -> str:
    step = 3 if len(months) > 9 else 1
    return format_html_join(
        "",
        '<text x="{}" y="{}" class="tick">{}</text>',
        (
            (_n(PAD_LEFT + i * slot), HEIGHT - 6, _short(m))
            for i, m in enumerate(months)
            if i % step == 0
        ),
    )


def _frame(label: str, top_text: str, body) -> str:
    return format_html(
        '<svg viewBox="0 0 {} {}" role="img" aria-label="{}" class="svg-chart">'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>'
        '<text x="{}" y="11" class="tick">{}</text>{}</svg>',
        WIDTH,
        HEIGHT,
        label,
        PAD_LEFT,
        HEIGHT - PAD_BOTTOM,
        WIDTH,
        HEIGHT - PAD_BOTTOM,
        PAD_LEFT,
        top_text,
        body,
    )


def stacked_bars(months: list, series: list[tuple[str, list]], label: str) -> str:
    """One bar per month, one segment per series (an outlet); values are Rupiah or None."""
    totals = [sum(values[i] or 0 for _name, values in series) for i in range(len(months))]
    top = max(totals + [1])
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = (WIDTH - PAD_LEFT) / max(len(months), 1)
    bar = max(slot - 4, 1)
    rects = []
    for i, month in enumerate(months):
        y = PAD_TOP + plot_h
        for k, (name, values) in enumerate(series):
            v = values[i] or 0
            if not v:
                continue
            h = plot_h * v / top
            y -= h
            rects.append(
                (
                    _n(PAD_LEFT + i * slot),
                    _n(y),
                    _n(bar),
                    _n(h),
                    k % 6,
                    f"{name}, {_short(month)}: {rupiah(v)}",
                )
            )
    body = mark_safe(  # noqa: S308 (format_html_join output)
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" class="s{}"><title>{}</title></rect>',
            rects,
        )
        + _ticks(months, slot)
    )
    return _frame(label, rupiah(top), body)


def line(months: list, values: list, label: str, money: bool = False) -> str:
    """A polyline over the months that have a value (gaps stay gaps)."""
    known = [v for v in values if v is not None]
    top = max(known + [1])
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = (WIDTH - PAD_LEFT) / max(len(months), 1)
    text = rupiah if money else angka
    segments, current, dots = [], [], []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(current)
            current = []
            continue
        x, y = PAD_LEFT + i * slot + slot / 2, PAD_TOP + plot_h * (1 - v / top)
        current.append(f"{_n(x)},{_n(y)}")
        dots.append((_n(x), _n(y), f"{_short(months[i])}: {text(v)}"))
    if current:
        segments.append(current)
    body = mark_safe(  # noqa: S308 (format_html_join output)
        format_html_join(
            "", '<polyline points="{}" class="line"/>', ((" ".join(s),) for s in segments)
        )
        + format_html_join(
            "", '<circle cx="{}" cy="{}" r="3" class="dot"><title>{}</title></circle>', dots
        )
        + _ticks(months, slot)
    )
    return _frame(label, text(top), body)


def status_strip(months: list, statuses: list, labels: dict, label: str) -> str:
    """A coloured cell per month: the status of that month (empty when not computed)."""
    slot = (WIDTH - PAD_LEFT) / max(len(months), 1)
    cells = [
        (
            _n(PAD_LEFT + i * slot),
            _n(slot - 2),
            status or "none",
            f"{_short(m)}: {labels.get(status, '—')}",
        )
        for i, (m, status) in enumerate(zip(months, statuses, strict=True))
    ]
    body = format_html_join(
        "",
        '<rect x="{}" y="4" width="{}" height="24" class="st-{}"><title>{}</title></rect>',
        cells,
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="44" class="tick">{}</text>',
        ((_n(PAD_LEFT + i * slot), _short(m)) for i, m in enumerate(months) if i % 3 == 0),
    )
    return format_html(
        '<svg viewBox="0 0 {} 50" role="img" aria-label="{}" class="svg-chart">{}{}</svg>',
        WIDTH,
        label,
        body,
        ticks,
    )
