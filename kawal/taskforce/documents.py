"""Meeting documents: the invitation letter and the minutes (notulen) as PDF in the regency's
official letter layout (kop surat from `Letterhead`), and an iCalendar (.ics) file written by
hand after RFC 5545."""

import datetime
import io
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kawal.core.formats import hari, tanggal

FONT, BOLD = "Helvetica", "Helvetica-Bold"
BASE = ParagraphStyle("base", fontName=FONT, fontSize=11, leading=15)
BODY = ParagraphStyle("body", parent=BASE, alignment=TA_JUSTIFY, spaceAfter=6)
SMALL = ParagraphStyle("small", parent=BASE, fontSize=9.5, leading=12)
CENTER = ParagraphStyle("center", parent=BASE, alignment=TA_CENTER)
TITLE = ParagraphStyle("title", parent=CENTER, fontName=BOLD, fontSize=12.5, leading=16)
KOP_GOV = ParagraphStyle("kop1", parent=CENTER, fontName=BOLD, fontSize=14, leading=17)
KOP_OFFICE = ParagraphStyle("kop2", parent=CENTER, fontName=BOLD, fontSize=15.5, leading=19)
KOP_ADDRESS = ParagraphStyle("kop3", parent=CENTER, fontSize=9, leading=11)
ATTENDANCE_LABELS = {"hadir": "Hadir", "diwakili": "Diwakili", "tidak_hadir": "Tidak hadir"}
STATUS_LABELS = {"baru": "Baru", "dikerjakan": "Dikerjakan", "selesai": "Selesai"}


def _p(text, style=BASE) -> Paragraph:
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value)


def _zone_name() -> str:
    return {"Asia/Makassar": "WITA", "Asia/Jakarta": "WIB", "Asia/Jayapura": "WIT"}.get(
        settings.TIME_ZONE, settings.TIME_ZONE
    )


def _kop(letterhead) -> list:
    return [
        _p(letterhead.government.upper(), KOP_GOV),
        _p(letterhead.office.upper(), KOP_OFFICE),
        _p(letterhead.address, KOP_ADDRESS),
        _p(letterhead.contact, KOP_ADDRESS),
        Spacer(1, 3),
        HRFlowable(width="100%", thickness=2.2, color=colors.black, spaceAfter=1),
        HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceAfter=10),
    ]


def _signature(letterhead, place_date: str | None = None, role: str | None = None) -> Table:
    lines = []
    if place_date:
        lines.append(_p(place_date))
    lines.append(_p(role or letterhead.signer_title))
    lines.append(Spacer(1, 48))
    name = letterhead.signer_name or "(....................................)"
    lines.append(Paragraph(f"<u><b>{escape(name)}</b></u>", BASE))
    if letterhead.signer_nip:
        lines.append(_p(f"NIP. {letterhead.signer_nip}"))
    table = Table([["", lines]], colWidths=[8.5 * cm, 8 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 12), table])


def _facts(rows: list[tuple[str, str]], label_width=3.6 * cm) -> Table:
    data = [[_p(label), _p(":"), _p(value)] for label, value in rows]
    table = Table(data, colWidths=[label_width, 0.4 * cm, 16.5 * cm - label_width - 0.4 * cm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _grid(header: list[str], rows: list[list], widths: list[float]) -> Table:
    data = [[Paragraph(f"<b>{escape(h)}</b>", SMALL) for h in header]]
    data += [[c if not isinstance(c, str) else _p(c, SMALL) for c in row] for row in rows]
    table = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _when(meeting) -> tuple[str, str]:
    start, end = _local(meeting.starts_at), _local(meeting.ends_at)
    day = f"{hari(start)}, {tanggal(start.date())}"
    zone = _zone_name()
    return day, f"{start:%H.%M} s.d. {end:%H.%M} {zone}"


def _build(story: list, title: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2 * cm,
        topMargin=1.5 * cm,
        bottomMargin=2 * cm,
        title=title,
        author="Kawal Kopdes",
    )
    doc.build(story)
    return buffer.getvalue()


def _agenda_lines(meeting, carry: dict) -> list[str]:
    lines = [line.strip(" -•") for line in meeting.agenda.splitlines() if line.strip()]
    if carry["total"]:
        lines.append(
            f"Evaluasi tindak lanjut rapat sebelumnya: {carry['total']} terbuka, "
            f"{carry['overdue']} melewati tenggat (terlampir)"
        )
    return lines or ["Koordinasi Satgas KMP"]


def invitation_pdf(*, meeting, letterhead, invitees: list, carry: dict) -> bytes:
    """Surat undangan rapat, with the invitee list and the carried follow-ups attached."""
    day, time = _when(meeting)
    signed = _local(meeting.created_at or timezone.now()).date()
    story = _kop(letterhead)
    header = Table(
        [
            [
                _facts(
                    [
                        ("Nomor", meeting.letter_number or "-"),
                        ("Sifat", "Penting"),
                        ("Lampiran", "1 (satu) berkas"),
                        ("Perihal", f"Undangan {meeting.title}"),
                    ],
                    label_width=2.2 * cm,
                ),
                _p(f"{letterhead.city}, {tanggal(signed)}"),
            ]
        ],
        colWidths=[10.5 * cm, 6 * cm],
    )
    header.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story += [header, Spacer(1, 10)]
    story += [
        _p("Kepada Yth."),
        _p("Bapak/Ibu Anggota Satgas KMP Kabupaten (daftar terlampir)"),
        _p("di -"),
        Paragraph("&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;<u>Tempat</u>", BASE),
        Spacer(1, 10),
        _p(
            "Dalam rangka koordinasi pelaksanaan program Koperasi Desa/Kelurahan Merah Putih, "
            "dengan hormat kami mengundang Bapak/Ibu untuk hadir pada rapat yang akan "
            "dilaksanakan pada:",
            BODY,
        ),
    ]
    rows = [("Hari/tanggal", day), ("Waktu", time)]
    if meeting.place:
        rows.append(("Tempat", meeting.place))
    if meeting.video_link:
        rows.append(("Tautan daring", meeting.video_link))
    agenda = "\n".join(
        f"{i}. {line}" for i, line in enumerate(_agenda_lines(meeting, carry), start=1)
    )
    rows.append(("Acara", agenda))
    story += [_facts(rows), Spacer(1, 8)]
    story.append(
        _p(
            "Mengingat pentingnya acara tersebut, dimohon setiap perangkat daerah hadir atau "
            "menugaskan pejabat yang berwenang mengambil keputusan, serta membawa laporan "
            "kemajuan tindak lanjut yang menjadi tanggung jawabnya. Demikian undangan ini "
            "disampaikan, atas perhatian dan kehadirannya diucapkan terima kasih.",
            BODY,
        )
    )
    story.append(_signature(letterhead))
    # Lampiran: who is invited, and what the meeting will review.
    story += [PageBreak(), _p("Lampiran Surat Undangan", SMALL)]
    story += [_p(f"Nomor: {meeting.letter_number or '-'}", SMALL), Spacer(1, 6)]
    story += [_p("DAFTAR UNDANGAN", TITLE), Spacer(1, 6)]
    story.append(
        _grid(
            ["No", "Instansi / Nama"],
            [[str(i), _invitee_name(v)] for i, v in enumerate(invitees, start=1)],
            [1.2, 15.3],
        )
    )
    if carry["rows"]:
        story += [Spacer(1, 12), _p("TINDAK LANJUT YANG DIBAHAS", TITLE), Spacer(1, 6)]
        story.append(_carry_table(carry["rows"], _local(meeting.starts_at).date()))
        if carry.get("more"):
            story += [
                Spacer(1, 4),
                _p(
                    f"... dan {carry['more']} tindak lanjut lainnya (lihat daftar tindak lanjut "
                    "pada aplikasi Kawal Kopdes).",
                    SMALL,
                ),
            ]
    return _build(story, f"Undangan {meeting.title}")


def _invitee_name(invitee) -> str:
    if invitee.user_id:
        agency = f" ({invitee.agency.short_name})" if invitee.agency_id else ""
        return f"{invitee.user}{agency}"
    return invitee.agency.name


def _carry_table(rows, day: datetime.date) -> Table:
    body = []
    for i, f in enumerate(rows, start=1):
        status = STATUS_LABELS.get(f.status, f.status)
        if f.due_date < day:
            status = f"Terlambat {(day - f.due_date).days} hari"
        body.append([str(i), f.title, f.owner_agency.short_name, tanggal(f.due_date), status])
    return _grid(
        ["No", "Tindak lanjut", "Penanggung jawab", "Tenggat", "Status"],
        body,
        [1.0, 7.2, 3.2, 2.8, 2.3],
    )


def minutes_pdf(*, meeting, letterhead, invitees: list, decisions: list) -> bytes:
    """Notulen rapat: facts, attendance list, the minutes, decisions and their follow-ups."""
    day, time = _when(meeting)
    story = _kop(letterhead)
    story += [_p("NOTULEN RAPAT", TITLE), _p(meeting.title.upper(), TITLE), Spacer(1, 10)]
    attended = sum(1 for v in invitees if v.attended)
    rows = [("Hari/tanggal", day), ("Waktu", time)]
    if meeting.place:
        rows.append(("Tempat", meeting.place))
    if meeting.video_link:
        rows.append(("Tautan daring", meeting.video_link))
    rows += [
        ("Pimpinan rapat", meeting.chair or "-"),
        ("Peserta", f"{attended} dari {len(invitees)} undangan hadir atau diwakili"),
    ]
    story += [_facts(rows), Spacer(1, 10)]
    story += [Paragraph("<b>A. JALANNYA RAPAT</b>", BASE), Spacer(1, 4)]
    for para in (meeting.minutes or "-").split("\n\n"):
        story.append(_p(para.strip(), BODY))
    story += [Spacer(1, 6), Paragraph("<b>B. KEPUTUSAN DAN TINDAK LANJUT</b>", BASE), Spacer(1, 4)]
    if decisions:
        body = []
        for d in decisions:
            owners = "\n".join(
                f"{f.owner_agency.short_name}: {f.title}"
                if f.title != d.text
                else f.owner_agency.short_name
                for f in d.actions
            )
            dues = "\n".join(tanggal(f.due_date) for f in d.actions)
            body.append([str(d.number), d.text, owners or "-", dues or "-"])
        story.append(
            _grid(["No", "Keputusan", "Penanggung jawab", "Tenggat"], body, [1.0, 8.0, 4.5, 3.0])
        )
    else:
        story.append(_p("Tidak ada keputusan yang dicatat.", BODY))
    story += [Spacer(1, 10), Paragraph("<b>C. DAFTAR HADIR</b>", BASE), Spacer(1, 4)]
    story.append(
        _grid(
            ["No", "Instansi / Nama", "Kehadiran", "Keterangan"],
            [
                [
                    str(i),
                    _invitee_name(v),
                    ATTENDANCE_LABELS.get(v.attendance, "Belum dicatat"),
                    f"Diwakili oleh {v.represented_by}" if v.represented_by else "",
                ]
                for i, v in enumerate(invitees, start=1)
            ],
            [1.0, 8.5, 3.0, 4.0],
        )
    )
    story.append(
        _signature(
            letterhead,
            place_date=f"{letterhead.city}, {tanggal(_local(meeting.starts_at).date())}",
        )
    )
    return _build(story, f"Notulen {meeting.title}")


# --- iCalendar (RFC 5545) -------------------------------------------------------------------


def _ics_escape(text: str) -> str:
    return (
        str(text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not parts else 74
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _offset(zone: ZoneInfo, when: datetime.datetime) -> str:
    seconds = int(when.astimezone(zone).utcoffset().total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600:02d}{seconds % 3600 // 60:02d}"


def meeting_ics(*, meeting, url: str = "", organizer: str = "") -> str:
    tzid = settings.TIME_ZONE
    zone = ZoneInfo(tzid)
    start = meeting.starts_at.astimezone(zone)
    end = meeting.ends_at.astimezone(zone)
    offset = _offset(zone, meeting.starts_at)
    description = meeting.agenda or ""
    if meeting.video_link:
        description += f"\n\nTautan: {meeting.video_link}"
    if url:
        description += f"\n\n{url}"
    location = meeting.place or meeting.video_link
    status = "CANCELLED" if meeting.status == "dibatalkan" else "CONFIRMED"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kawal Kopdes//Satgas KMP//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VTIMEZONE",
        f"TZID:{tzid}",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{offset}",
        f"TZOFFSETTO:{offset}",
        f"TZNAME:{_zone_name()}",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        f"UID:{meeting.uid}@kawal-kopdes",
        f"DTSTAMP:{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID={tzid}:{start:%Y%m%dT%H%M%S}",
        f"DTEND;TZID={tzid}:{end:%Y%m%dT%H%M%S}",
        f"SEQUENCE:{max(meeting.version - 1, 0)}",
        f"SUMMARY:{_ics_escape(meeting.title)}",
        f"DESCRIPTION:{_ics_escape(description.strip())}",
        f"STATUS:{status}",
    ]
    if location:
        lines.append(f"LOCATION:{_ics_escape(location)}")
    if meeting.video_link:
        lines.append(f"URL:{meeting.video_link}")
    if organizer:
        lines.append(f"ORGANIZER;CN={_ics_escape(organizer)}:mailto:noreply@kawal-kopdes.invalid")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
