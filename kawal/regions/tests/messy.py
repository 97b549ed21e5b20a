"""Messy files as people send them, for the tests of every import with region columns.

Every kind of import (cooperatives, pengurus, formation steps, SIMKOPDES, potential, caseload,
operations, business reports) places its rows through `regions.services.place_villages`; these
helpers run one kind's dry run and commit on the same four kinds of place a real file mixes:

* names instead of codes (kecamatan and village only, upper case, `KEC.`/`DESA` prefixes),
* an old code (from before the 2021 kecamatan split in Kukar),
* a village name that fits two villages of the regency (ambiguous: the review queue),
* a code that disagrees with the names of its row (a row error, never queued),

plus a column nobody reads (a warning) and, for CSV, a Windows-1252 file with `N/A` cells and
a row given twice.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.core import imports as flow

NAMES_CODE = "64.02.06.2012"  # Desa Rapak Lambur, Kec. Tenggarong
OLD_CODE = "64.02.08.2001"  # Kedang Ipil before the split of Kota Bangun
NEW_CODE = "64.02.19.2001"  # ...its code since 2021 (Kota Bangun Darat)
AMBIGUOUS = {"64.02.13.2016", "64.02.16.2002"}  # two desa named Bukit Raya
PLACED = {NAMES_CODE, NEW_CODE}

PLACE_HEADER = ["Kode Desa", "Kecamatan", "Desa/Kelurahan"]  # the ministry's headers
PLACES = [
    ("", "KEC. TENGGARONG", "DESA RAPAK LAMBUR"),  # line 2: names only
    (OLD_CODE, "", ""),  # line 3: an old code
    ("", "", "Bukit Raya"),  # line 4: ambiguous without its kecamatan
    ("6402061001", "Tenggarong", "Bendang Raya"),  # line 5: the code is Jahab
]
UNKNOWN_COLUMN = "Keterangan Lain"


def xlsx_upload(header, rows, name="messy.xlsx"):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def cp1252_csv_upload(header, rows, name="messy.csv"):
    """A CSV as Excel saves it on an Indonesian Windows: Windows-1252, `;`, CRLF."""

    def cell(value):
        text = "" if value is None else str(value)
        return f'"{text}"' if ";" in text or '"' in text else text

    lines = [";".join(cell(v) for v in row) for row in [header, *rows]]
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode("cp1252"))


def messy_file(own: dict, places=PLACES):
    header = [*PLACE_HEADER, *own, UNKNOWN_COLUMN]
    rows = [[*place, *own.values(), "catatan"] for place in places]
    return header, rows


def assert_messy_file_is_placed_or_refused(kind, user, own: dict, *, source: str, stored):
    """The dry run places names and old codes, queues the ambiguous row, refuses the code that
    disagrees with its names and warns of the unknown column; the commit of the placed rows
    writes on the current codes. `stored()` returns the village codes the import wrote."""
    from kawal.regions.models import ReviewItem

    header, rows = messy_file(own)
    outcome = flow.run(kind, xlsx_upload(header, rows), user, commit=False)
    preview = outcome.preview
    assert not preview.file_errors, preview.file_errors
    lines = {row.line: row for row in preview.rows}
    assert lines[2].ok, lines[2].errors
    assert lines[2].values["kode_desa"] == NAMES_CODE
    assert lines[3].ok, lines[3].errors
    assert lines[3].values["kode_desa"] == NEW_CODE
    assert "Bukit Raya" in " ".join(lines[4].errors)
    assert "_review_item" in lines[4].values
    assert "Bendang Raya" in " ".join(lines[5].errors)
    assert "_review_item" not in lines[5].values  # a conflict is the file's to fix
    item = ReviewItem.objects.get(source=source)
    assert {code for code, _label in item.candidates} == AMBIGUOUS
    assert any(UNKNOWN_COLUMN in str(w) for w in preview.warnings)
    assert not outcome.committed and stored() == set()

    header, rows = messy_file(own, PLACES[:2])
    outcome = flow.run(kind, xlsx_upload(header, rows), user, commit=True)
    assert outcome.committed, [r.errors for r in outcome.preview.error_rows]
    assert stored() == PLACED


def assert_cp1252_csv_is_read(kind, user, own: dict):
    """A Windows-1252 CSV with `N/A` cells (read as empty) and a row given twice (an error on
    the second line only)."""
    header, rows = messy_file(own, PLACES[:1])
    upload = cp1252_csv_upload(header, [rows[0], rows[0]])
    preview = flow.run(kind, upload, user, commit=False).preview
    assert not preview.file_errors, preview.file_errors
    assert [row.line for row in preview.rows] == [2, 3]
    assert preview.rows[0].ok, preview.rows[0].errors
    assert preview.rows[0].values["kode_desa"] == NAMES_CODE
    assert [row.line for row in preview.error_rows] == [3]
    assert "2" in " ".join(preview.rows[1].errors)  # names the first line
    return preview
