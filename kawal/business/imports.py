"""Import monthly business reports: declarative column specs + one row-apply function, for
two readers of the same rows.

1. The plain import (.xlsx first sheet or CSV, one header row). One row per KMP, month and
   outlet: its village (`kode_desa` or names, placed like every import), `bulan` (2026-03), `gerai` (the outlet type, e.g. sembako; empty on
   the row with the cooperative's own figures), then the figures.
2. The KMP's own Excel book (one cooperative): one sheet per outlet and month, named
   "<gerai> <YYYY-MM>" (e.g. "Sembako 2026-03"), plus a sheet "Koperasi <YYYY-MM>" for the
   cooperative's own figures. In each sheet, column A holds the label and column B the value,
   using the labels of BOOK_LABELS (case and spacing do not matter).

Both give a `kawal.core.spreadsheets.Preview` with the same keys; `check_rows` adds the
business rules per row and `apply_rows` submits one report per KMP and month through the
service. Both run through the one import page (`kawal.core.imports`): dry run equal to the
commit, the file kept under a token, large files in the worker. The book's cooperative comes
from the page's address: `BOOK_KINDS["buku"]` binds it (`bind`), checked against the user's
scope at every step.
"""

import re
from collections import defaultdict
from dataclasses import replace

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.business import rules, selectors, services
from kawal.business.models import ReportSource
from kawal.cooperatives import selectors as registry
from kawal.cooperatives.models import Outlet
from kawal.core.imports import ImportKind
from kawal.core.scope import Cap, can
from kawal.core.spreadsheets import (
    Column,
    Preview,
    Row,
    as_int,
    as_positive_int,
    as_text,
)
from kawal.regions import reconcile
from kawal.regions import services as region_services

MAX_ROWS = 20000


def as_month(value):
    if value in (None, ""):
        return None
    month = rules.parse_month(value)
    if month is None:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("not a month (use YYYY-MM, e.g. 2026-03)"))
    return month


OUTLET_COLUMNS = [
    Column("omzet", parse=as_positive_int),
    Column("hpp", parse=as_positive_int),
    Column("biaya_operasional", parse=as_positive_int),
    Column("laba_rugi", parse=as_int),
    Column("jumlah_transaksi", parse=as_positive_int),
    Column("nilai_stok", parse=as_positive_int),
]
KMP_COLUMNS = [
    Column("anggota_masuk", parse=as_positive_int),
    Column("anggota_keluar", parse=as_positive_int),
    Column("jumlah_anggota", parse=as_positive_int),
    Column("jumlah_kk_desa", parse=as_positive_int),
    Column("simpanan_pokok", parse=as_positive_int),
    Column("simpanan_wajib", parse=as_positive_int),
    Column("simpanan_sukarela", parse=as_positive_int),
    Column("total_aset", parse=as_positive_int),
    Column("kewajiban", parse=as_positive_int),
    Column("pinjaman_beredar", parse=as_positive_int),
    Column("tunggakan", parse=as_positive_int),
]
COLUMNS = reconcile.with_place(
    Column("bulan", parse=as_month, required=True, aliases=("periode", "bulan_laporan")),
    Column("gerai", parse=as_text, aliases=("jenis_gerai", "unit_usaha")),
    *OUTLET_COLUMNS,
    *KMP_COLUMNS,
)
# Spreadsheet key → service field.
LINE_KEYS = {
    "omzet": "revenue",
    "hpp": "cogs",
    "biaya_operasional": "operating_cost",
    "laba_rugi": "profit",
    "jumlah_transaksi": "transactions",
    "nilai_stok": "stock_value",
}
FIGURE_KEYS = {
    "anggota_masuk": "members_joined",
    "anggota_keluar": "members_left",
    "jumlah_anggota": "members_total",
    "jumlah_kk_desa": "households",
    "simpanan_pokok": "savings_pokok",
    "simpanan_wajib": "savings_wajib",
    "simpanan_sukarela": "savings_sukarela",
    "total_aset": "total_assets",
    "kewajiban": "liabilities",
    "pinjaman_beredar": "loan_balance",
    "tunggakan": "loan_arrears",
}
# The Excel book: label in column A → key.
BOOK_LABELS = {
    "omzet": "omzet",
    "penjualan": "omzet",
    "hpp": "hpp",
    "harga pokok penjualan": "hpp",
    "biaya operasional": "biaya_operasional",
    "laba/rugi": "laba_rugi",
    "laba rugi": "laba_rugi",
    "jumlah transaksi": "jumlah_transaksi",
    "nilai stok": "nilai_stok",
    "anggota masuk": "anggota_masuk",
    "anggota keluar": "anggota_keluar",
    "jumlah anggota": "jumlah_anggota",
    "jumlah kk desa": "jumlah_kk_desa",
    "simpanan pokok": "simpanan_pokok",
    "simpanan wajib": "simpanan_wajib",
    "simpanan sukarela": "simpanan_sukarela",
    "total aset": "total_aset",
    "kewajiban": "kewajiban",
    "pinjaman beredar": "pinjaman_beredar",
    "tunggakan": "tunggakan",
}
KMP_SHEET = "koperasi"
SHEET_NAME = re.compile(r"^\s*(?P<unit>.+?)\s+(?P<month>\d{4}-\d{1,2})\s*$")


def _outlet_words() -> dict[str, str]:
    words = {}
    for value, label in Outlet.Type.choices:
        words[value] = value
        words[str(label).lower()] = value
    words["usp"] = Outlet.Type.SIMPAN_PINJAM
    words["apotek"] = Outlet.Type.APOTEK
    words["klinik"] = Outlet.Type.KLINIK
    return words


# --- the KMP's own Excel book ------------------------------------------------------------


def read_book(upload, *, village_code: str) -> Preview:
    """Turn a cooperative's book (one sheet per outlet and month) into rows of COLUMNS."""
    import zipfile

    import openpyxl

    preview = Preview(columns=COLUMNS)
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
    parsers = {c.key: c for c in COLUMNS}
    unknown: dict[str, None] = {}  # labels with a value that no figure reads, in order
    try:
        for number, sheet in enumerate(workbook.worksheets, start=1):
            match = SHEET_NAME.match(sheet.title)
            row = Row(line=number, values={"kode_desa": village_code, "sheet": sheet.title})
            if match is None:
                row.errors.append(
                    _("sheet %(name)s: name it “<unit> <YYYY-MM>”, e.g. “Sembako 2026-03”")
                    % {"name": sheet.title}
                )
                preview.rows.append(row)
                continue
            unit = match["unit"].strip()
            row.values["bulan"] = rules.parse_month(match["month"])
            row.values["gerai"] = "" if unit.lower() == KMP_SHEET else unit
            if row.values["bulan"] is None:
                row.errors.append(_("sheet %(name)s: unreadable month") % {"name": sheet.title})
            for cells in sheet.iter_rows(min_col=1, max_col=2, values_only=True):
                label = re.sub(r"\s+", " ", as_text(cells[0]).lower()) if cells else ""
                key = BOOK_LABELS.get(label.rstrip(":"))
                if key is None:
                    if label and len(cells) > 1 and as_text(cells[1]):
                        unknown.setdefault(as_text(cells[0]), None)
                    continue
                try:
                    row.values[key] = parsers[key].parse(cells[1] if len(cells) > 1 else None)
                except Exception as error:  # ValidationError from a parser
                    messages = getattr(error, "messages", [str(error)])
                    row.errors.extend(f"{sheet.title} / {label}: {m}" for m in messages)
            preview.rows.append(row)
    finally:
        workbook.close()
    if not preview.rows:
        preview.file_errors.append(_("The workbook has no sheets."))
    if unknown:
        preview.warnings.append(
            _("These labels are not read and will not be imported: %(labels)s")
            % {"labels": ", ".join(list(unknown)[:30])}
        )
    return preview


# --- shared: business rules per row and the apply function --------------------------------


def check_rows(preview: Preview, *, user, today) -> Preview:
    """Every row: a cooperative the user may report for, a month not in the future, an open
    outlet of that type; one row per KMP/month/outlet."""
    if preview.file_errors:
        return preview
    codes = {r.values.get("kode_desa") for r in preview.rows}
    coops = {
        c.village_id: c
        for c in selectors.cooperatives(user=user).filter(village_id__in=codes)
        if can(user, Cap.EDIT, c.village_id)
    }
    opened = registry.open_outlets(cooperative_ids=[c.pk for c in coops.values()])
    words = _outlet_words()
    current = rules.first_of_month(today)
    seen: dict = {}

    def rule(row):
        errors = []
        coop = coops.get(row.values.get("kode_desa"))
        if coop is None:
            return [_("kode_desa: no cooperative %(code)s that you may report for")
                    % {"code": row.values.get("kode_desa")}]  # fmt: skip
        month = row.values.get("bulan")
        if month and month > current:
            errors.append(_("bulan: the month has not begun yet"))
        unit = (row.values.get("gerai") or "").strip()
        outlet = None
        if unit:
            kind = words.get(unit.lower()) or words.get(unit.lower().replace(" ", "_"))
            matches = [
                o
                for o in opened[coop.pk]
                if o.outlet_type == kind or str(o).lower() == unit.lower()
            ]
            if not matches:
                errors.append(
                    _("gerai: %(unit)s is not an open outlet of this cooperative") % {"unit": unit}
                )
            elif len(matches) > 1:
                errors.append(
                    _("gerai: two open outlets of type %(unit)s; name the outlet") % {"unit": unit}
                )
            else:
                outlet = matches[0]
        key = (coop.pk, month, outlet.pk if outlet else None)
        if key in seen:
            errors.append(_("repeats line %(line)s") % {"line": seen[key]})
        seen.setdefault(key, row.line)
        row.values["cooperative"], row.values["outlet"] = coop, outlet
        return errors

    return preview.check(rule)


def apply_rows(rows: list[Row], *, user, source: str = ReportSource.IMPORT, today=None) -> int:
    """Submit one report per KMP and month (a correction where one exists); returns how many.
    Runs inside `commit`'s transaction: the first refusal rolls everything back."""
    grouped: dict = defaultdict(lambda: {"figures": {}, "lines": []})
    for row in rows:
        entry = grouped[(row.values["cooperative"], row.values["bulan"])]
        if row.values["outlet"] is None:
            entry["figures"] = {field: row.values.get(key) for key, field in FIGURE_KEYS.items()}
        else:
            line = {field: row.values.get(key) for key, field in LINE_KEYS.items()}
            line["outlet_id"] = row.values["outlet"].pk
            line["label"] = str(row.values["outlet"])
            entry["lines"].append(line)
    for (coop, month), entry in grouped.items():
        services.report_submit(
            actor=user,
            cooperative=coop,
            month=month,
            figures=entry["figures"],
            lines=entry["lines"],
            source=source,
            today=today,
            refresh=False,
        )
    if grouped:  # one recompute for every cooperative touched, from its earliest month
        today = today or timezone.localdate()
        earliest = min(month for _coop, month in grouped)
        services.status_refresh(
            cooperative_ids=sorted({coop.pk for coop, _month in grouped}),
            months=services.months_from(earliest, today),
        )
    return len(grouped)


def _check_plain(preview: Preview, user) -> list[Row]:
    """The plain file: each row placed on its village first (codes in any form, names,
    SIMKOPDES ids; the review queue for the rest), then the business rules."""
    region_services.place_villages(preview, user=user, source="business", cap=Cap.EDIT)
    check_rows(preview, user=user, today=timezone.localdate())
    return preview.rows


def _check_book(preview: Preview, user) -> list[Row]:
    """The book: its cooperative comes from the page (bound), every row carries its village."""
    check_rows(preview, user=user, today=timezone.localdate())
    return preview.rows


def _apply_plain(*, actor, rows: list[Row]) -> int:
    return apply_rows(rows, user=actor, source=ReportSource.IMPORT)


def _apply_book(*, actor, rows: list[Row]) -> int:
    return apply_rows(rows, user=actor, source=ReportSource.BOOK)


def book_cooperative(*, user, pk):
    """The cooperative whose book `user` may import: visible and editable (EDIT on its
    village), else Http404."""
    coop = selectors.cooperative_get(user=user, pk=pk)
    if not can(user, Cap.EDIT, coop.village_id):
        raise Http404
    return coop


def _bind_book(user, params: dict) -> ImportKind:
    """The book import for the page's cooperative (params {"koperasi": pk}), checked again on
    every step of the flow (the worker's included)."""
    coop = book_cooperative(user=user, pk=params.get("koperasi"))
    village = coop.village_id

    def read(upload, kind):
        return read_book(upload, village_code=village)

    return replace(BOOK, read=read, bind=None)


BOOK = ImportKind(
    "buku",
    gettext_lazy("The cooperative's Excel book"),
    (),  # the book has no columns: one sheet per outlet and month, labels in column A
    _check_book,
    _apply_book,
    natural_key=gettext_lazy(
        "the month and the outlet of each sheet: a month already reported becomes a correction"
    ),
    bind=_bind_book,
    accept=("xlsx",),
)
BOOK_KINDS = {"buku": BOOK}

KINDS = {
    "laporan": ImportKind(
        "laporan",
        gettext_lazy("Monthly business reports"),
        COLUMNS,
        _check_plain,
        _apply_plain,
        natural_key=gettext_lazy(
            "the village code (kode_desa), the month and the outlet: a month already reported "
            "becomes a correction"
        ),
        max_rows=MAX_ROWS,
    )
}


def book_template(cooperative, month) -> bytes:
    """An example book for one cooperative and month: a sheet per open outlet and one for the
    cooperative's own figures (openpyxl, small)."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    stamp = f"{month:%Y-%m}"
    kmp = workbook.create_sheet(f"Koperasi {stamp}")
    for label in ("Anggota masuk", "Anggota keluar", "Jumlah anggota", "Jumlah KK desa",
                  "Simpanan pokok", "Simpanan wajib", "Simpanan sukarela", "Total aset",
                  "Kewajiban", "Pinjaman beredar", "Tunggakan"):  # fmt: skip
        kmp.append([label, None])
    for outlet in registry.open_outlets(cooperative_ids=[cooperative.pk])[cooperative.pk]:
        sheet = workbook.create_sheet(f"{outlet.outlet_type.replace('_', ' ').title()} {stamp}")
        for label in ("Omzet", "HPP", "Biaya operasional", "Laba/rugi", "Jumlah transaksi",
                      "Nilai stok"):  # fmt: skip
            sheet.append([label, None])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
