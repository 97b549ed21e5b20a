"""Server-rendered SVG charts of the KMP business page (no JavaScript, no chart library):
revenue per outlet (stacked bars), members and savings (lines), status per month (a strip).

Built as strings: numbers are formatted here, and the only text (titles, labels) is escaped,
which is several times cheaper than format_html for a few hundred shapes.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from kawal.core.formats import MONTHS, angka, rupiah

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 180, 8, 22, 16


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _short(month) -> str:
    return f"{MONTHS[month.month - 1][:3]} {month:%y}"


def _ticks(months, slot, y=HEIGHT - 6) -> str:
    step = 3 if len(months) > 9 else 1
    return "".join(
        f'<text x="{_n(PAD_LEFT + i * slot)}" y="{y}" class="tick">{_short(m)}</text>'
        for i, m in enumerate(months)
        if i % step == 0
    )


def _frame(label: str, top_text: str, body: str) -> str:
    bottom = HEIGHT - PAD_BOTTOM
    return mark_safe(  # noqa: S308 (numbers formatted here; text escaped)
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
        f'class="svg-chart"><line x1="{PAD_LEFT}" y1="{bottom}" x2="{WIDTH}" y2="{bottom}" '
        f'class="axis"/><text x="{PAD_LEFT}" y="11" class="tick">{escape(top_text)}</text>'
        f"{body}</svg>"
    )


def stacked_bars(months: list, series: list[tuple[str, list]], label: str) -> str:
    """One bar per month, one segment per series (an outlet); values are Rupiah or None."""
    totals = [sum(values[i] or 0 for _name, values in series) for i in range(len(months))]
    top = max(totals + [1])
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = (WIDTH - PAD_LEFT) / max(len(months), 1)
    bar = _n(max(slot - 4, 1))
    names = [escape(name) for name, _values in series]
    parts = []
    for i, month in enumerate(months):
        y = PAD_TOP + plot_h
        x = _n(PAD_LEFT + i * slot)
        short = _short(month)
        for k, (_name, values) in enumerate(series):
            v = values[i] or 0
            if not v:
                continue
            h = plot_h * v / top
            y -= h
            parts.append(
                f'<rect x="{x}" y="{_n(y)}" width="{bar}" height="{_n(h)}" class="s{k % 6}">'
                f"<title>{names[k]}, {short}: {rupiah(v)}</title></rect>"
            )
    return _frame(label, rupiah(top), "".join(parts) + _ticks(months, slot))


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
        x, y = _n(PAD_LEFT + i * slot + slot / 2), _n(PAD_TOP + plot_h * (1 - v / top))
        current.append(f"{x},{y}")
        dots.append(
            f'<circle cx="{x}" cy="{y}" r="3" class="dot"><title>{_short(months[i])}: '
            f"{text(v)}</title></circle>"
        )
    if current:
        segments.append(current)
    body = "".join(f'<polyline points="{" ".join(s)}" class="line"/>' for s in segments)
    return _frame(label, text(top), body + "".join(dots) + _ticks(months, slot))


def status_strip(months: list, statuses: list, labels: dict, label: str) -> str:
    """A coloured cell per month: the status of that month (empty when not computed)."""
    slot = (WIDTH - PAD_LEFT) / max(len(months), 1)
    cells = "".join(
        f'<rect x="{_n(PAD_LEFT + i * slot)}" y="4" width="{_n(slot - 2)}" height="24" '
        f'class="st-{status or "none"}"><title>{_short(m)}: '
        f"{escape(labels.get(status, '—'))}</title></rect>"
        for i, (m, status) in enumerate(zip(months, statuses, strict=True))
    )
    return mark_safe(  # noqa: S308 (numbers formatted here; text escaped)
        f'<svg viewBox="0 0 {WIDTH} 50" role="img" aria-label="{escape(label)}" '
        f'class="svg-chart">{cells}{_ticks(months, slot, 44)}</svg>'
    )
