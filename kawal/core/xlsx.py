"""Streamed XLSX export: rows are written and sent as they are read, so the first byte leaves at
once and an export of 80,000 cooperatives never times out.

An .xlsx file is a zip of XML parts. `zipfile` can write to a stream that cannot seek (it then
adds data descriptors), so the sheet is produced row by row into a small buffer that is flushed
to the response. Cells are inline strings or numbers; no styles, which every spreadsheet reads.
"""

import datetime
import decimal
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from xml.sax.saxutils import escape

from django.http import StreamingHttpResponse

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FLUSH_ROWS = 500

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _workbook(sheet_title: str) -> str:
    title = escape(sheet_title[:31], {'"': "&quot;"})
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _illegal_xml_free(text: str) -> str:
    # XML 1.0 forbids most control characters; spreadsheets pasted from elsewhere carry them.
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)


def _cell(value) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        value = "Ya" if value else "Tidak"
    elif isinstance(value, int | float | decimal.Decimal):
        return f"<c><v>{value}</v></c>"
    elif isinstance(value, datetime.datetime | datetime.date):
        value = (
            value.isoformat(sep=" ", timespec="minutes")
            if isinstance(value, datetime.datetime)
            else value.isoformat()
        )
    text = escape(_illegal_xml_free(str(value)))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row(values: Iterable) -> str:
    return "<row>" + "".join(_cell(v) for v in values) + "</row>"


class _Sink(io.RawIOBase):
    """A write-only, non-seekable stream whose contents are taken out piece by piece."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def xlsx_chunks(
    headers: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "Data"
) -> Iterator[bytes]:
    """The bytes of an .xlsx file with one sheet: a header row, then `rows`, as they come."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(sheet_title))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write((_SHEET_HEAD + _row(headers)).encode())
            yield sink.take()
            for n, values in enumerate(rows, start=1):
                sheet.write(_row(values).encode())
                if n % FLUSH_ROWS == 0:
                    yield sink.take()
            sheet.write(_SHEET_TAIL.encode())
    yield sink.take()


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "Data"
) -> StreamingHttpResponse:
    """A download that streams; pass a lazy `rows` (e.g. a queryset's .iterator())."""
    response = StreamingHttpResponse(
        xlsx_chunks(headers, rows, sheet_title), content_type=CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
