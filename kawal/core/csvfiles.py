"""CSV files as people have them: UTF-8 with or without BOM (Excel's "CSV UTF-8"), or
Windows-1252 (Excel's plain "CSV" on an Indonesian Windows), CRLF or LF line ends, `;` or `,`
between fields. Every row comes with its line number in the file, for error messages.

    table = read_csv(upload_or_path_or_bytes)
    if table.error: ...                        # not a text file, too large, empty
    for line, record in table.rows: ...       # record: {header: value}, headers stripped

Encoding is detected: a BOM means UTF-8; otherwise the bytes are tried as strict UTF-8 and,
failing that, read as Windows-1252 (which maps every byte except five unused ones; those are
read as Latin-1). The delimiter is the one of `;`, `,` or tab that the header line uses most.
"""

import codecs
import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

UTF8_BOM = b"\xef\xbb\xbf"
DELIMITERS = (";", ",", "\t")
MAX_CSV_BYTES = 50 * 1024 * 1024


@dataclass
class CsvTable:
    headers: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    error: str = ""
    _text: str = ""

    @property
    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(line in the file, [cells]) for each record that is not blank, in header order."""
        reader = csv.reader(io.StringIO(self._text, newline=""), delimiter=self.delimiter)
        next(reader, None)
        last = reader.line_num
        for cells in reader:
            line, last = last + 1, reader.line_num  # a quoted field may span lines: the first
            if not any(c.strip() for c in cells):
                continue
            yield line, cells

    @property
    def rows(self) -> Iterator[tuple[int, dict]]:
        """(line in the file, {header: stripped value}) for each record that is not blank."""
        for line, cells in self.records:
            yield (
                line,
                {
                    h: (cells[i].strip() if i < len(cells) else "")
                    for i, h in enumerate(self.headers)
                },
            )


def _latin1(error: UnicodeDecodeError):
    """The five bytes Windows-1252 leaves undefined are read as Latin-1 control characters."""
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("kawal_latin1", _latin1)


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding name) of CSV bytes."""
    if raw.startswith(UTF8_BOM):
        return raw[len(UTF8_BOM) :].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="kawal_latin1")
    return text, "cp1252"


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(source, *, max_bytes: int = MAX_CSV_BYTES) -> CsvTable:
    """Read a CSV upload, path (.csv or .csv.gz) or bytes; see the module docstring."""
    if isinstance(source, bytes):
        raw = source
    elif isinstance(source, str | Path):
        path = Path(source)
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    else:
        source.seek(0)
        raw = source.read(max_bytes + 1)
    if len(raw) > max_bytes:
        return CsvTable(error=_("The file is larger than %(mb)s MB.") % {"mb": max_bytes // 2**20})
    if raw.startswith(b"PK\x03\x04") or b"\x00" in raw[:4096]:
        return CsvTable(error=_("The file is not a CSV text file."))
    text, encoding = decode(raw)
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.strip():
        return CsvTable(error=_("The file has no header row."))
    delimiter = sniff_delimiter(first)
    headers = [h.strip() for h in next(csv.reader([first], delimiter=delimiter))]
    return CsvTable(headers=headers, encoding=encoding, delimiter=delimiter, _text=text)
