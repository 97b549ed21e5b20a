"""A registrant's QR code (segno, pure Python) as SVG for the page and drawn into the ticket PDF,
the attendance certificate (reportlab), and the WhatsApp message with the personal link."""

import io
from urllib.parse import quote

import segno
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from kawal.core.formats import tanggal, tanggal_waktu
from kawal.events.services import format_code

FONT, BOLD = "Helvetica", "Helvetica-Bold"


def qr_svg(data: str, scale: int = 6) -> str:
    """Inline SVG (no XML declaration), dark modules on white, 4-module quiet zone."""
    out = io.BytesIO()
    segno.make(data, error="m").save(
        out,
        kind="svg",
        scale=scale,
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,  # a viewBox only: the page scales it to the screen
        dark="#000",
        light="#fff",
    )
    return out.getvalue().decode()


def _draw_qr(pdf: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    qr = segno.make(data, error="m")
    rows = list(qr.matrix_iter(scale=1, border=4))
    module = size / len(rows)
    pdf.setFillColor(colors.white)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillColor(colors.black)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(
                    x + c * module, y + size - (r + 1) * module, module, module, stroke=0, fill=1
                )


def event_when(event) -> str:
    """`21 Juli 2025, 10.00 WIB (11.00 WITA)`: both when the announced zone is not local."""
    text = tanggal_waktu(event.starts_at, event.announced_zone)
    if event.announced_zone != "WITA":
        text += f" ({tanggal_waktu(event.starts_at, 'WITA').split(', ')[-1]})"
    return text


def ticket_pdf(registrant, link: str) -> bytes:
    event = registrant.event
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    pdf.setTitle(_("Ticket") + f" {event.title}")
    pdf.setFont(BOLD, 16)
    pdf.drawString(2 * cm, height - 2.5 * cm, event.title[:70])
    pdf.setFont(FONT, 12)
    lines = [
        event_when(event),
        registrant.venue.name if registrant.venue else _("Joins by video"),
        "",
        registrant.name,
        registrant.position or "",
        registrant.cooperative.name if registrant.cooperative else "",
    ]
    y = height - 3.4 * cm
    for line in lines:
        pdf.drawString(2 * cm, y, line[:90])
        y -= 0.6 * cm
    _draw_qr(pdf, link, 2 * cm, y - 9 * cm, 8 * cm)
    pdf.setFont(BOLD, 20)
    pdf.drawString(2 * cm, y - 10.2 * cm, format_code(registrant.code))
    pdf.setFont(FONT, 10)
    pdf.drawString(2 * cm, y - 11 * cm, _("Show this code at the door, or open your link:"))
    pdf.drawString(2 * cm, y - 11.5 * cm, link)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def certificate_pdf(registrant) -> bytes:
    event = registrant.event
    out = io.BytesIO()
    size = landscape(A4)
    pdf = canvas.Canvas(out, pagesize=size)
    width, height = size
    pdf.setTitle(_("Certificate of attendance"))
    pdf.setStrokeColor(colors.HexColor("#b3242b"))
    pdf.setLineWidth(4)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    pdf.setFont(BOLD, 28)
    pdf.drawCentredString(width / 2, height - 4.5 * cm, _("CERTIFICATE OF ATTENDANCE").upper())
    pdf.setFont(FONT, 14)
    pdf.drawCentredString(width / 2, height - 6.5 * cm, _("This certifies that"))
    pdf.setFont(BOLD, 24)
    pdf.drawCentredString(width / 2, height - 8 * cm, registrant.name[:60])
    pdf.setFont(FONT, 14)
    who = registrant.position or ""
    if registrant.cooperative:
        who = f"{who}, {registrant.cooperative.name}" if who else registrant.cooperative.name
    pdf.drawCentredString(width / 2, height - 9 * cm, who[:100])
    pdf.drawCentredString(width / 2, height - 10.5 * cm, _("attended"))
    pdf.setFont(BOLD, 16)
    pdf.drawCentredString(width / 2, height - 11.7 * cm, event.title[:80])
    pdf.setFont(FONT, 13)
    place = registrant.attendance.venue.name if registrant.attendance.venue_id else _("by video")
    pdf.drawCentredString(
        width / 2, height - 12.8 * cm, f"{tanggal(event.starts_at.date())} · {place}"[:110]
    )
    pdf.setFont(FONT, 11)
    pdf.drawCentredString(width / 2, 3 * cm, event.organiser[:100])
    pdf.drawCentredString(
        width / 2,
        2.3 * cm,
        _("Verification code: %(code)s") % {"code": format_code(registrant.code)},
    )
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def whatsapp_link(registrant, link: str) -> str:
    """A wa.me link with the personal link and code, to send from the committee's phone."""
    event = registrant.event
    text = _(
        "Dear %(name)s, you are registered for “%(event)s” on %(when)s. Your personal link: "
        "%(link)s (code %(code)s). Open it at the start to join, or show it at the door."
    ) % {
        "name": registrant.name,
        "event": event.title,
        "when": event_when(event),
        "link": link,
        "code": format_code(registrant.code),
    }
    digits = registrant.phone.lstrip("+")
    return f"https://wa.me/{digits}?text={quote(text)}" if digits else ""
