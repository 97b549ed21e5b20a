"""Certificates of attendance (PDF, one A4 landscape page per participant), drawn with
reportlab like the Satgas letters: no system fonts or libraries needed."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from kawal.core.formats import tanggal

FONT, BOLD = "Helvetica", "Helvetica-Bold"
CENTER = ParagraphStyle("c", fontName=FONT, fontSize=13, leading=18, alignment=TA_CENTER)
SMALL = ParagraphStyle("s", parent=CENTER, fontSize=10, leading=13, textColor=colors.grey)
TITLE = ParagraphStyle(
    "t", parent=CENTER, fontName=BOLD, fontSize=30, leading=36, textColor=colors.HexColor("#b3261e")
)
NAME = ParagraphStyle("n", parent=CENTER, fontName=BOLD, fontSize=24, leading=30)


def _p(text, style=CENTER) -> Paragraph:
    return Paragraph(escape(str(text or "")), style)


def _border(canvas, doc):
    width, height = landscape(A4)
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor("#b3261e"))
    canvas.setLineWidth(4)
    canvas.rect(1 * cm, 1 * cm, width - 2 * cm, height - 2 * cm)
    canvas.setLineWidth(1)
    canvas.rect(1.3 * cm, 1.3 * cm, width - 2.6 * cm, height - 2.6 * cm)
    canvas.restoreState()


def _days_text(days) -> str:
    days = sorted(days)
    if not days:
        return ""
    if len(days) == 1:
        return tanggal(days[0])
    return f"{tanggal(days[0])} – {tanggal(days[-1])}"


def certificates_pdf(*, batch, participants, organiser: str) -> bytes:
    """One certificate per participant; `participants` carry `.present_days`."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.2 * cm,
        bottomMargin=2 * cm,
        title=f"Sertifikat {batch}",
    )
    story = []
    modules = ", ".join(batch.programme.module_labels())
    for n, p in enumerate(participants):
        if n:
            story.append(PageBreak())
        attended = len(p.present_days)
        story += [
            _p(organiser.upper(), SMALL),
            Spacer(1, 14),
            _p("SERTIFIKAT KEHADIRAN", TITLE),
            Spacer(1, 18),
            _p("diberikan kepada"),
            Spacer(1, 8),
            _p(p.officer.name, NAME),
            Spacer(1, 4),
            _p(f"{p.officer.get_position_display()} · {p.cooperative.name}"),
            Spacer(1, 16),
            _p(
                f"yang telah mengikuti {batch.programme.title}, angkatan {batch.number}, "
                f"di {batch.venue}, hadir {attended} dari {len(batch.days)} hari "
                f"({_days_text(p.present_days)})."
            ),
            Spacer(1, 8),
            _p(f"Materi: {modules}", SMALL),
            Spacer(1, 30),
            _p(
                f"{batch.venue_region.name if batch.venue_region_id else ''}, "
                f"{tanggal(batch.end_date)}".lstrip(", ")
            ),
            Spacer(1, 44),
            _p("(....................................)"),
            _p(f"No. {batch.region_id}/{batch.programme_id}/{batch.number}/{p.pk}", SMALL),
        ]
    if not story:
        story.append(_p("Belum ada peserta yang hadir."))
    doc.build(story, onFirstPage=_border, onLaterPages=_border)
    return buffer.getvalue()
