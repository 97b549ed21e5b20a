"""Spreadsheet import, the same way everywhere (docs/ARCHITECTURE.md §6.4):

    preview = read_xlsx(upload, COLUMNS)          # parse and check every cell, line by line
    preview.check(lambda row: [...])              # the app's own rules per row (village known…)
    if preview.ok: commit(preview, apply)         # one transaction through the services, or nothing

Columns are declared once (`Column`): the header in row 1 (SIMKOPDES names where they exist),
whether it is required, and a parser that turns a cell into a value or raises ValidationError
with a message for the user. Unknown headers are ignored; a missing required header stops the
import before any row is read.
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

MAX_IMPORT_BYTES = 50 * 1024 * 1024
TRUE_WORDS = frozenset({"ya", "y", "yes", "true", "1", "benar", "ada"})
FALSE_WORDS = frozenset({"tidak", "t", "no", "n", "false", "0", "salah", "tidak ada", "-"})


# --- cell parsers: value in, clean value out, or ValidationError --------------------------


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a text column (e.g. an account number)
    return str(value).strip()


def as_int(value) -> int | None:
    text = as_text(value).replace(".", "").replace(" ", "") if isinstance(value, str) else value
    if text in (None, ""):
        return None
    try:
        number = decimal.Decimal(str(text))
    except decimal.InvalidOperation:
        raise ValidationError(_("not a whole number")) from None
    if number != number.to_integral_value():
        raise ValidationError(_("not a whole number"))
    return int(number)


def as_positive_int(value) -> int | None:
    number = as_int(value)
    if number is not None and number < 0:
        raise ValidationError(_("may not be negative"))
    return number


def as_decimal(value) -> decimal.Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return decimal.Decimal(str(value))
    text = as_text(value).replace(" ", "")
    if "," in text:  # Indonesian writing: 1.250.000,50
        text = text.replace(".", "").replace(",", ".")
    try:
        return decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise ValidationError(_("not a number")) from None


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def as_date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = as_text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("not a date (use YYYY-MM-DD or DD/MM/YYYY)"))


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

    def check_unique(self, key: str) -> "Preview":
        """The same key twice in one file is an error on the second line."""
        seen: dict = {}
        for row in self.rows:
            value = row.values.get(key)
            if value in (None, ""):
                continue
            if value in seen:
                row.errors.append(
                    _("%(column)s %(value)s already appears on line %(line)s")
                    % {"column": key, "value": value, "line": seen[value]}
                )
            else:
                seen[value] = row.line
        return self


def _normalise_header(value) -> str:
    return re.sub(r"\s+", "_", as_text(value).lower())


def read_xlsx(upload, columns: Sequence[Column], *, max_rows: int | None = None) -> Preview:
    """Parse the first sheet of an .xlsx upload into a Preview; nothing is written."""
    import openpyxl

    preview = Preview(columns=columns)
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        preview.file_errors.append(_("The file is larger than 50 MB."))
        return preview
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        preview.file_errors.append(_("The file is not an Excel workbook (.xlsx)."))
        return preview
    upload.seek(0)
    try:
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        preview.file_errors.append(_("The file is not an Excel workbook (.xlsx)."))
        return preview
    try:
        _read_rows(workbook.worksheets[0], columns, preview, max_rows)
    finally:
        workbook.close()
    return preview


def _read_rows(sheet, columns, preview: Preview, max_rows) -> None:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        preview.file_errors.append(_("The sheet is empty."))
        return
    positions = {_normalise_header(h): i for i, h in enumerate(header) if h is not None}
    missing = [c.key for c in columns if c.required and _normalise_header(c.key) not in positions]
    if missing:
        preview.file_errors.append(
            _("Missing required columns: %(columns)s") % {"columns": ", ".join(missing)}
        )
        return
    wanted = [(c, positions.get(_normalise_header(c.key))) for c in columns]
    for line, cells in enumerate(rows, start=2):
        if cells is None or all(v is None or as_text(v) == "" for v in cells):
            continue
        if max_rows is not None and len(preview.rows) >= max_rows:
            preview.file_errors.append(
                _("More than %(count)s rows; split the file.") % {"count": max_rows}
            )
            return
        preview.rows.append(_parse_row(line, cells, wanted))
    if not preview.rows:
        preview.file_errors.append(_("The sheet has no data rows."))


def _parse_row(line: int, cells, wanted) -> Row:
    row = Row(line=line, values={})
    for column, position in wanted:
        raw = cells[position] if position is not None and position < len(cells) else None
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
