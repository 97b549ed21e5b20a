"""Spreadsheet import, the same way everywhere (docs/ARCHITECTURE.md §6.4):

    preview = read_xlsx(upload, COLUMNS)          # parse and check every cell, line by line
    preview.check(lambda row: [...])              # the app's own rules per row (village known…)
    if preview.ok: commit(preview, apply)         # one transaction through the services, or nothing

Columns are declared once (`Column`): the header in row 1 (SIMKOPDES names where they exist),
whether it is required, and a parser that turns a cell into a value or raises ValidationError
with a message for the user. A column may list `aliases` (other headers meaning the same, e.g.
the ministry's own names). Unknown headers are read past but listed in `Preview.warnings`, so
nothing is dropped silently; a missing required header stops the import before any row is read.
"""

import datetime
import decimal
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.core.codes import is_valid_code

TRUE_WORDS = frozenset({"ya", "y", "yes", "true", "1", "benar", "ada"})
FALSE_WORDS = frozenset({"tidak", "t", "no", "n", "false", "0", "salah", "tidak ada", "-"})


# --- cell parsers: value in, clean value out, or ValidationError --------------------------
#
# One parser per kind of value, used by every import, so that a number is read the same way
# everywhere. The message names the offending value; `_parse_row` prefixes the column header
# as it is written in the file (row 1), so the user finds the cell.


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a text column (e.g. an account number)
    return str(value).strip()


_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")  # 1.250 · 1.250.000
_DIGITS = re.compile(r"^-?\d+$")


def _shown(value) -> str:
    return as_text(value)[:40]


def as_int(value) -> int | None:
    """A whole number: 25, "25", "1.250" (Indonesian thousands). Refused: 12.5, "12,5",
    "1,250" (is it 1250 or 1.25?), booleans, words."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("not a whole number: %(value)s") % {"value": _shown(value)})
    if isinstance(value, int):
        return value
    if isinstance(value, float | decimal.Decimal):
        if value != value or value in (float("inf"), float("-inf")) or value != int(value):
            raise ValidationError(_("not a whole number: %(value)s") % {"value": _shown(value)})
        return int(value)
    text = re.sub(r"\s", "", str(value))
    if _DIGITS.match(text):
        return int(text)
    if _THOUSANDS.match(text):
        return int(text.replace(".", ""))
    raise ValidationError(_("not a whole number: %(value)s") % {"value": _shown(value)})


def as_positive_int(value) -> int | None:
    number = as_int(value)
    if number is not None and number < 0:
        raise ValidationError(_("may not be negative"))
    return number


_RUPIAH_PREFIX = re.compile(r"^rp\.?", re.IGNORECASE)


def as_rupiah(value) -> int | None:
    """An amount in whole Rupiah: 1250000, "1.250.000", "Rp1.250.000", "Rp 1.250.000,00".
    Refused: "1.5", "1,5", "1.250.000,50" (Rupiah are stored whole; a decimal point is
    ambiguous between Indonesian thousands and English decimals), negative amounts."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    refused = ValidationError(
        _("not an amount in whole Rupiah (write 1250000 or 1.250.000): %(value)s")
        % {"value": _shown(value)}
    )
    if isinstance(value, str):
        text = _RUPIAH_PREFIX.sub("", re.sub(r"\s", "", value))
        text = re.sub(r",0{1,2}$", "", text)  # Rp 1.250.000,00
        if not (_DIGITS.match(text) or _THOUSANDS.match(text)):
            raise refused
        value = text
    try:
        number = as_int(value)
    except ValidationError:
        raise refused from None
    if number is not None and number < 0:
        raise ValidationError(_("may not be negative"))
    return number


def as_decimal(value) -> decimal.Decimal | None:
    """A measured quantity or a coordinate: 12.5, "12,5", "1.250,75", -0.4321. Several dots
    are thousands separators ("1.250.000"); a comma and dots together is Indonesian writing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("not a number: %(value)s") % {"value": _shown(value)})
    if isinstance(value, int | float):
        number = decimal.Decimal(str(value))
    else:
        text = re.sub(r"\s", "", as_text(value))
        if "," in text:  # Indonesian writing: 1.250.000,50 or 12,5
            text = text.replace(".", "").replace(",", ".")
        elif text.count(".") > 1:
            text = text.replace(".", "")
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise ValidationError(_("not a number: %(value)s") % {"value": _shown(value)}) from None
    if not number.is_finite():
        raise ValidationError(_("not a number: %(value)s") % {"value": _shown(value)})
    return number


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # Excel's 1900 date system (with its leap-year bug)
SERIAL_RANGE = (1, 73050)  # 1900-01-01 … 2099-12-31


def as_date(value) -> datetime.date | None:
    """A date: a real date cell, an Excel serial number (45838), or text as YYYY-MM-DD,
    DD/MM/YYYY, DD-MM-YYYY or DD.MM.YYYY. Anything else is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    refused = ValidationError(
        _("not a date (use YYYY-MM-DD or DD/MM/YYYY): %(value)s") % {"value": _shown(value)}
    )
    if isinstance(value, bool):
        raise refused
    text = as_text(value)
    serial = value if isinstance(value, int | float) else None
    if serial is None and _DIGITS.match(text):
        serial = int(text)
    if serial is not None:
        if serial != int(serial) or not SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
            raise refused
        return EXCEL_EPOCH + datetime.timedelta(days=int(serial))
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise refused


def as_bool(value) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValidationError(_("write Ya or Tidak"))


def as_region_code(value) -> str:
    code = as_text(value)
    if code and not is_valid_code(code):
        raise ValidationError(_("not a Kemendagri region code (e.g. 64.02.06.1001)"))
    return code


def as_choice(choices) -> Callable[[object], str]:
    """A parser accepting a choice's value or its label, case-insensitively."""
    by_word = {}
    for value, label in choices:
        by_word[str(value).lower()] = value
        by_word[str(label).lower()] = value

    def parse(cell) -> str:
        text = as_text(cell)
        if not text:
            return ""
        try:
            return by_word[text.lower()]
        except KeyError:
            allowed = ", ".join(str(v) for v, _label in choices)
            raise ValidationError(
                _("unknown value; allowed: %(allowed)s") % {"allowed": allowed}
            ) from None

    return parse


# --- reading a workbook --------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str = ""
    parse: Callable[[object], object] = as_text
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers for the same column

    def headers(self) -> list[str]:
        return [_normalise_header(h) for h in (self.key, *self.aliases)]


@dataclass
class Row:
    line: int  # the spreadsheet's own row number, as the user sees it
    values: dict
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Preview:
    columns: Sequence[Column]
    rows: list[Row] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # shown, but do not stop the import

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def error_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]

    @property
    def valid_count(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    def check(self, rule: Callable[[Row], Iterable[str] | None]) -> "Preview":
        """Run the app's own rule on each row that parsed; its messages join the row's errors."""
        for row in self.rows:
            if row.ok:
                row.errors.extend(rule(row) or ())
        return self

    def check_unique(self, *keys: str) -> "Preview":
        """The same key (one column, or several together) twice in one file is an error on the
        second line. Texts are compared case-insensitively."""
        seen: dict = {}
        for row in self.rows:
            values = tuple(row.values.get(k) for k in keys)
            if any(v in (None, "") for v in values):
                continue
            value = tuple(v.strip().casefold() if isinstance(v, str) else v for v in values)
            if value in seen:
                row.errors.append(
                    _("%(column)s %(value)s already appears on line %(line)s")
                    % {
                        "column": " + ".join(keys),
                        "value": " / ".join(str(v) for v in values),
                        "line": seen[value],
                    }
                )
            else:
                seen[value] = row.line
        return self


def _normalise_header(value) -> str:
    return re.sub(r"\s+", "_", as_text(value).lower())


# --- limits: a workbook is a zip of XML; inspect it before any parser sees it ----------------
#
# openpyxl in read-only mode streams the rows of a sheet, but it loads the shared-strings table
# (every distinct text of the workbook) and the styles whole. A small upload can expand to
# gigabytes (a "zip bomb") or to millions of tiny strings, so the archive is measured first,
# from its directory and by streaming the shared strings through the decompressor, and refused
# beyond these limits. They are far above any real registry file (80,000 rows × 30 columns).


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int = 50 * 1024 * 1024  # the compressed upload
    max_entries: int = 200  # files inside the archive
    max_total_bytes: int = 600 * 1024 * 1024  # all entries, uncompressed
    max_sheet_bytes: int = 500 * 1024 * 1024  # one worksheet's XML
    max_other_bytes: int = 20 * 1024 * 1024  # styles, workbook, relations…
    max_ratio: int = 200  # uncompressed ÷ compressed, for entries above 1 MB
    max_shared_strings_bytes: int = 64 * 1024 * 1024
    max_shared_strings: int = 500_000
    max_rows: int = 100_000  # data rows (an import may set fewer)
    max_columns: int = 200  # columns read per row; the rest of a wide row is ignored


LIMITS = Limits()
MAX_IMPORT_BYTES = LIMITS.max_upload_bytes
_MB = 1024 * 1024


def inspect_xlsx(upload, limits: Limits = LIMITS) -> list[str]:
    """File-level refusals of an .xlsx upload, before it is parsed; [] when it may be read."""
    size = getattr(upload, "size", None)
    if size is not None and size > limits.max_upload_bytes:
        return [_("The file is larger than %(mb)s MB.") % {"mb": limits.max_upload_bytes // _MB}]
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        return [_("The file is not an Excel workbook (.xlsx).")]
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return [_("The file is not an Excel workbook (.xlsx).")]
    too_big = _("The workbook expands to more than the import allows (%(what)s); it is refused.")
    if len(entries) > limits.max_entries:
        return [too_big % {"what": _("%(n)s files inside") % {"n": len(entries)}}]
    total = 0
    shared = None
    for entry in entries:
        total += entry.file_size
        name = entry.filename
        is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
        cap = limits.max_sheet_bytes if is_sheet else limits.max_other_bytes
        if name == "xl/sharedStrings.xml":
            cap, shared = limits.max_shared_strings_bytes, entry
        if entry.file_size > cap:
            return [too_big % {"what": f"{name}: {entry.file_size // _MB} MB"}]
        if entry.file_size > _MB and entry.file_size > limits.max_ratio * max(
            entry.compress_size, 1
        ):
            return [too_big % {"what": _("%(name)s is compressed too strongly") % {"name": name}}]
    if total > limits.max_total_bytes:
        return [too_big % {"what": f"{total // _MB} MB"}]
    if shared is not None:
        return _inspect_shared_strings(archive, shared, limits)
    return []


def _inspect_shared_strings(archive, entry, limits: Limits) -> list[str]:
    """Stream the shared strings through the decompressor (never more than the declared size,
    which the directory check capped) and count the strings without parsing the XML."""
    count, read, tail = 0, 0, b""
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(1024 * 1024):
                read += len(chunk)
                if read > limits.max_shared_strings_bytes:
                    break
                data = tail + chunk
                count += data.count(b"<si>") + data.count(b"<si ")
                # a tag cut in two at the chunk boundary is counted once, in the next chunk
                cut = max(data.rfind(b"<", len(data) - 4), -1)
                tail = data[cut:] if cut >= 0 else b""
                if tail.startswith((b"<si>", b"<si ")):
                    tail = b""
                if count > limits.max_shared_strings:
                    break
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
        return [_("The file is not an Excel workbook (.xlsx).")]
    if read > limits.max_shared_strings_bytes or count > limits.max_shared_strings:
        return [
            _(
                "The workbook holds more than %(n)s different texts; split the file or remove "
                "unused sheets."
            )
            % {"n": f"{limits.max_shared_strings:,}".replace(",", ".")}
        ]
    return []


def read_xlsx(
    upload, columns: Sequence[Column], *, max_rows: int | None = None, limits: Limits = LIMITS
) -> Preview:
    """Parse the first sheet of an .xlsx upload into a Preview; nothing is written.

    The archive is inspected first (`inspect_xlsx`); rows are then streamed, at most
    `max_rows` (default `limits.max_rows`) data rows of at most `limits.max_columns` cells."""
    import openpyxl

    preview = Preview(columns=columns)
    refused = inspect_xlsx(upload, limits)
    if refused:
        preview.file_errors.extend(refused)
        return preview
    upload.seek(0)
    try:
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        preview.file_errors.append(_("The file is not an Excel workbook (.xlsx)."))
        return preview
    try:
        if not workbook.worksheets:
            preview.file_errors.append(_("The sheet is empty."))
            return preview
        _read_rows(
            workbook.worksheets[0],
            columns,
            preview,
            min(max_rows or limits.max_rows, limits.max_rows),
            limits.max_columns,
        )
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:  # malformed XML inside
        preview.rows.clear()
        preview.file_errors.append(
            _("The workbook could not be read: %(error)s") % {"error": str(error)[:200]}
        )
    finally:
        workbook.close()
    return preview


def unknown_columns(header, columns: Sequence[Column]) -> list[str]:
    """A warning for every header that no column reads (its data would otherwise vanish)."""
    known = {h for c in columns for h in c.headers()}
    unknown = [as_text(h) for h in header if as_text(h) and _normalise_header(h) not in known]
    if not unknown:
        return []
    return [
        _("These columns are not read and will not be imported: %(columns)s")
        % {"columns": ", ".join(unknown)}
    ]


def read_table(
    upload, columns: Sequence[Column], *, max_rows: int | None = None, limits: Limits = LIMITS
) -> Preview:
    """An .xlsx workbook (its first sheet) or a CSV file, told apart by their first bytes.

    CSV as people have it (`kawal.core.csvfiles`): UTF-8 with or without BOM, or Windows-1252;
    `;`, `,` or tab between fields. Either way the same columns, aliases, parsers, limits and
    warnings apply, and `N/A` cells are read as empty."""
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head == b"PK\x03\x04":
        return read_xlsx(upload, columns, max_rows=max_rows, limits=limits)
    return read_csv_table(upload, columns, max_rows=max_rows, limits=limits)


def read_csv_table(
    upload, columns: Sequence[Column], *, max_rows: int | None = None, limits: Limits = LIMITS
) -> Preview:
    from kawal.core.csvfiles import read_csv

    preview = Preview(columns=columns)
    size = getattr(upload, "size", None)
    if size is not None and size > limits.max_upload_bytes:
        preview.file_errors.append(
            _("The file is larger than %(mb)s MB.") % {"mb": limits.max_upload_bytes // _MB}
        )
        return preview
    table = read_csv(upload, max_bytes=limits.max_upload_bytes)
    if table.error:
        preview.file_errors.append(
            _("The file is neither an Excel workbook (.xlsx) nor a CSV file: %(error)s")
            % {"error": table.error}
        )
        return preview
    records = ((line, cells[: limits.max_columns]) for line, cells in table.records)
    _read_records(
        table.headers[: limits.max_columns],
        records,
        columns,
        preview,
        min(max_rows or limits.max_rows, limits.max_rows),
    )
    return preview


def _read_rows(sheet, columns, preview: Preview, max_rows: int, max_columns: int) -> None:
    rows = sheet.iter_rows(values_only=True, max_col=max_columns)
    header = next(rows, None)
    if header is None:
        preview.file_errors.append(_("The sheet is empty."))
        return
    _read_records(header, enumerate(rows, start=2), columns, preview, max_rows)


def _read_records(header, numbered, columns, preview: Preview, max_rows: int) -> None:
    """Rows of (line, cells) under `header` into the preview: columns found by their headers
    (or aliases), unknown headers listed as a warning, each cell parsed."""
    positions = {_normalise_header(h): i for i, h in enumerate(header) if h is not None}
    found = {
        c.key: next((positions[h] for h in c.headers() if h in positions), None) for c in columns
    }
    missing = [c.key for c in columns if c.required and found[c.key] is None]
    if missing:
        preview.file_errors.append(
            _("Missing required columns: %(columns)s") % {"columns": ", ".join(missing)}
        )
        return
    preview.warnings.extend(unknown_columns(header, columns))
    wanted = [(c, found[c.key]) for c in columns]
    for line, cells in numbered:
        if cells is None or all(_blank(v) for v in cells):
            continue
        if len(preview.rows) >= max_rows:
            preview.rows.clear()
            preview.file_errors.append(
                _("More than %(count)s rows; split the file.") % {"count": max_rows}
            )
            return
        preview.rows.append(_parse_row(line, cells, wanted))
    if not preview.rows:
        preview.file_errors.append(_("The sheet has no data rows."))


# What exports write in an empty cell (the ministry's files: `N/A`; Excel's missing lookup).
EMPTY_WORDS = frozenset({"n/a", "#n/a"})


def _blank(value) -> bool:
    return value is None or as_text(value) == "" or as_text(value).casefold() in EMPTY_WORDS


def _parse_row(line: int, cells, wanted) -> Row:
    row = Row(line=line, values={})
    for column, position in wanted:
        raw = cells[position] if position is not None and position < len(cells) else None
        if isinstance(raw, str) and _blank(raw):
            raw = None
        try:
            value = column.parse(raw)
        except ValidationError as error:
            row.errors.extend(f"{column.key}: {m}" for m in error.messages)
            continue
        if column.required and value in (None, ""):
            row.errors.append(_("%(column)s: required") % {"column": column.key})
        row.values[column.key] = value
    return row


def commit(preview: Preview, apply: Callable[[list[Row]], object]):
    """Write every row in one transaction through `apply`, or nothing at all.

    `apply` may raise ValidationError (a rule that only the write can see); the whole import is
    then rolled back and the error is raised for the view to show.
    """
    if not preview.ok:
        raise ValidationError(gettext_lazy("The file has errors; nothing was imported."))
    with transaction.atomic():
        return apply(preview.rows)


def template_rows(columns: Sequence[Column]) -> list[str]:
    """Header row for a blank template download (with xlsx.xlsx_response)."""
    return [c.key for c in columns]
