"""The *Laporan Perkembangan KDKMP* as PDF (the regency's official letter layout, with the kop
surat of the Satgas app) and as XLSX (one sheet per section), drawn only from an issued report's
stored numbers: nothing here reads the other apps' tables.

The letter is written in Indonesian directly, like the Satgas letters (kawal.taskforce.documents),
whose letterhead, grid and signature blocks it reuses."""

import datetime
import io
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from kawal.core.formats import MONTHS, angka, tanggal
from kawal.taskforce import documents as letters
from kawal.taskforce.selectors import letterhead_for  # noqa: F401 (re-exported for services)

NO_DATA = "belum ada data"
KIND_TITLE = {"mingguan": "Mingguan", "bulanan": "Bulanan"}
# The per-region table of the PDF keeps the columns a leader reads (the XLSX has them all).
PDF_COLUMNS = (0, 1, 5, 6, 7, 8, 9, 12)


def _n(value) -> str:
    return NO_DATA if value is None else angka(value)


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _month(day: datetime.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def period_text(figures: dict) -> str:
    start, end = _date(figures["period_start"]), _date(figures["period_end"])
    if figures.get("kind") == "bulanan":
        return f"Bulan {_month(start)}"
    return f"Minggu {tanggal(start)} s.d. {tanggal(end)}"


def title_of(figures: dict) -> str:
    name = figures["region_name"]
    if figures.get("level", 2) == 3:
        return f"Kecamatan {name}"
    return name if name.split(" ")[0] in ("Kabupaten", "Kota") else f"Kabupaten {name}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


SMALL_HEAD = ParagraphStyle("rp-head", fontName="Helvetica-Bold", fontSize=6.5, leading=8)
SMALL_CELL = ParagraphStyle("rp-cell", fontName="Helvetica", fontSize=8.5, leading=10)


def _compact(header: list[str], rows: list[list], widths: list[float], numeric_from: int = 1):
    """A dense grid (the per-region table): small headers, numbers right-aligned."""
    data = [[Paragraph(escape(h), SMALL_HEAD) for h in header]]
    data += [
        [Paragraph(escape(str(c)), SMALL_CELL) if i == 0 else str(c) for i, c in enumerate(row)]
        for row in rows
    ]
    table = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (1, 1), (-1, -1), "Helvetica", 8.5),
                ("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def file_stem(report) -> str:
    return f"laporan-kdkmp-{report.kind}-{report.region_id}-{report.period_start:%Y%m%d}"


def _funnel_chart(funnel: list[dict]) -> Drawing:
    """Horizontal bars: one per phase, the share of the formed KMP (no data: a note)."""
    width, bar_h, gap, label_w = 16 * cm, 13, 5, 6.2 * cm
    rows = len(funnel)
    height = rows * (bar_h + gap) + 6
    drawing = Drawing(width, height)
    top = max([row["n"] or 0 for row in funnel] + [1])
    plot = width - label_w - 2.2 * cm
    for i, row in enumerate(funnel):
        y = height - (i + 1) * (bar_h + gap)
        label = ("   " if row["sub"] else "") + row["label"]
        drawing.add(String(0, y + 3, label[:42], fontName="Helvetica", fontSize=8))
        if row["n"] is None:
            drawing.add(String(label_w, y + 3, NO_DATA, fontName="Helvetica-Oblique", fontSize=8))
            continue
        length = plot * row["n"] / top
        if length:
            drawing.add(
                Rect(
                    label_w,
                    y,
                    length,
                    bar_h,
                    fillColor=colors.HexColor("#b3261e"),
                    strokeColor=None,
                )
            )
        value = f"{angka(row['n'])} ({row['pct']}%)"
        drawing.add(String(label_w + length + 4, y + 3, value, fontName="Helvetica", fontSize=8))
    return drawing


def report_pdf(figures: dict, letterhead) -> bytes:
    period = period_text(figures)
    as_of = tanggal(_date(figures["as_of"]))
    kind = KIND_TITLE.get(figures.get("kind"), "")
    story = letters._kop(letterhead)
    story += [
        letters._p(f"LAPORAN PERKEMBANGAN KDKMP {kind.upper()}", letters.TITLE),
        letters._p(title_of(figures).upper(), letters.TITLE),
        letters._p(period, letters.CENTER),
        Spacer(1, 10),
        letters._p(
            "Laporan ini menyajikan perkembangan Koperasi Desa/Kelurahan Merah Putih (KDKMP) "
            f"di {title_of(figures)} keadaan per {as_of}, sebagaimana tercatat pada aplikasi "
            "Kawal Kopdes. Angka dibekukan saat laporan diterbitkan dan tidak dihitung ulang.",
            letters.BODY,
        ),
        letters._p("I. RINGKASAN", letters.TITLE),
        Spacer(1, 4),
    ]
    story.append(
        letters._grid(
            ["Ukuran", "Saat ini", "4 minggu lalu", "12 minggu lalu"],
            [
                [_cap(row["label"]), _n(row["n"]), _n(row["w4"]), _n(row["w12"])]
                for row in figures["headline"]
            ],
            [7.5, 3.0, 3.0, 3.0],
        )
    )
    story += [Spacer(1, 10), letters._p("II. TAHAPAN PROGRAM", letters.TITLE), Spacer(1, 4)]
    story.append(_funnel_chart(figures["funnel"]))
    story.append(
        letters._p(
            "Persen: bagian dari KMP terbentuk. Beroperasi dan berkembang menurut status usaha "
            f"bulan {_month(_date(figures['status_month']))}.",
            letters.SMALL,
        )
    )
    story += [Spacer(1, 10), letters._p("III. PER WILAYAH", letters.TITLE), Spacer(1, 4)]
    headers = figures["headers"]
    place = "Desa/Kelurahan" if figures.get("level") == 3 else "Kecamatan"
    widths = [3.0] + [1.5] * len(PDF_COLUMNS) + [1.5]
    rows = [
        [row["name"]]
        + ["–" if row["cells"][i] is None else angka(row["cells"][i]) for i in PDF_COLUMNS]
        + [angka(row["overdue"])]
        for row in figures["rows"]
    ]
    story.append(
        _compact([place] + [headers[i] for i in PDF_COLUMNS] + ["TL terlambat"], rows, widths)
    )
    story += [
        Spacer(1, 4),
        letters._p("Tanda – : belum ada data untuk tahap tersebut.", letters.SMALL),
        Spacer(1, 10),
        letters._p("IV. TINDAK LANJUT TERLAMBAT DAN PENANGGUNG JAWAB", letters.TITLE),
        Spacer(1, 4),
    ]
    if figures["agencies"]:
        story.append(
            letters._grid(
                ["Instansi penanggung jawab", "Tindak lanjut terlambat"],
                [[a["name"], angka(a["n"])] for a in figures["agencies"]],
                [11.0, 5.5],
            )
        )
        story.append(Spacer(1, 8))
        story.append(
            letters._grid(
                ["No", "Tindak lanjut", "Penanggung jawab", "Tenggat", "Terlambat"],
                [
                    [
                        str(i),
                        f"{item['title']} ({item['region']})",
                        item["agency"] + (f" — {item['owner']}" if item["owner"] else ""),
                        tanggal(_date(item["due"])),
                        f"{item['days']} hari",
                    ]
                    for i, item in enumerate(figures["overdue_items"], start=1)
                ],
                [1.0, 7.0, 3.7, 2.8, 2.0],
            )
        )
        more = figures["overdue_total"] - len(figures["overdue_items"])
        if more > 0:
            story.append(
                letters._p(
                    f"... dan {more} tindak lanjut terlambat lainnya (lihat aplikasi).",
                    letters.SMALL,
                )
            )
    else:
        story.append(letters._p("Tidak ada tindak lanjut yang melewati tenggat.", letters.BODY))
    story.append(
        letters._signature(
            letterhead, place_date=f"{letterhead.city}, {tanggal(_date(figures['as_of']))}"
        )
    )
    return letters._build(story, f"Laporan Perkembangan KDKMP {title_of(figures)} {period}")


def report_xlsx(figures: dict) -> bytes:
    """One sheet per section of the report, with plain numbers (no data: an empty cell)."""
    book = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list, rows: list, first: bool = False):
        ws = book.active if first else book.create_sheet()
        ws.title = title
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        ws.column_dimensions["A"].width = 42
        return ws

    summary = sheet(
        "Ringkasan",
        ["Ukuran", "Saat ini", "4 minggu lalu", "12 minggu lalu"],
        [[r["label"], r["n"], r["w4"], r["w12"]] for r in figures["headline"]],
        first=True,
    )
    summary.append([])
    summary.append(["Wilayah", title_of(figures)])
    summary.append(["Periode", period_text(figures)])
    summary.append(["Keadaan per", figures["as_of"]])
    summary.append(["Sel kosong", NO_DATA])
    sheet(
        "Tahapan",
        ["Tahap", "Jumlah KMP", "Persen"],
        [[r["label"], r["n"], None if r["n"] is None else r["pct"]] for r in figures["funnel"]],
    )
    sheet(
        "Per wilayah",
        ["Wilayah", *figures["headers"], "Tindak lanjut terlambat"],
        [[r["name"], *r["cells"], r["overdue"]] for r in figures["rows"]],
    )
    sheet(
        "TL per instansi",
        ["Instansi", "Tindak lanjut terlambat"],
        [[a["name"], a["n"]] for a in figures["agencies"]],
    )
    sheet(
        "TL terlambat",
        ["Tindak lanjut", "Wilayah/KMP", "Instansi", "Penanggung jawab", "Tenggat", "Hari"],
        [
            [i["title"], i["region"], i["agency"], i["owner"], _date(i["due"]), i["days"]]
            for i in figures["overdue_items"]
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
