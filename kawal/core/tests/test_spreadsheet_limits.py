"""Hostile or oversized workbooks are refused before any parser expands them."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.core import spreadsheets as sp
from kawal.core.tests.xlsx_bombs import huge_string_bomb, many_strings_bomb, rows_file

COLUMNS = [sp.Column("kode_desa", required=True), sp.Column("nama")]


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("bom.xlsx", data)


def test_a_shared_strings_table_expanding_a_thousandfold_is_refused_unparsed(monkeypatch):
    data = huge_string_bomb(megabytes=100)
    assert len(data) < 1024 * 1024  # a small upload
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: 1 / 0)  # never reached
    preview = sp.read_xlsx(upload(data), COLUMNS)
    assert not preview.ok and not preview.rows
    assert "lebih besar dari yang diizinkan" in preview.file_errors[0]


def test_millions_of_tiny_shared_strings_are_refused_unparsed(monkeypatch):
    data = many_strings_bomb(count=5_000_000)
    assert len(data) < 300 * 1024
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: 1 / 0)
    preview = sp.read_xlsx(upload(data), COLUMNS)
    assert not preview.ok
    assert "lebih besar dari yang diizinkan" in preview.file_errors[0]


def test_a_million_ordinary_strings_are_counted_and_refused_unparsed(monkeypatch):
    data = many_strings_bomb(count=1_000_000, varied=True)
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: 1 / 0)
    preview = sp.read_xlsx(upload(data), COLUMNS)
    assert not preview.ok
    assert "teks berbeda" in preview.file_errors[0]


def test_strings_within_the_limit_are_read():
    limits = sp.Limits(max_shared_strings=50_000)
    data = many_strings_bomb(count=40_000)
    preview = sp.read_xlsx(upload(data), COLUMNS, limits=limits)
    assert preview.ok, preview.file_errors
    assert len(preview.rows) == 1


def test_a_strongly_compressed_sheet_is_refused():
    data = rows_file(1, ["kode_desa", "nama"], lambda i: ["64.02.06.1001", "a"])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry.filename, source.read(entry))
        target.writestr("xl/media/padding.bin", b"\0" * (10 * 1024 * 1024))
    preview = sp.read_xlsx(upload(out.getvalue()), COLUMNS)
    assert "terlalu kuat" in preview.file_errors[0]


def test_too_many_entries_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for i in range(sp.LIMITS.max_entries + 1):
            target.writestr(f"x/{i}.xml", b"<a/>")
    preview = sp.read_xlsx(upload(out.getvalue()), COLUMNS)
    assert "berkas di dalamnya" in preview.file_errors[0]


def test_rows_beyond_the_import_limit_are_refused_and_none_kept():
    data = rows_file(30, ["kode_desa", "nama"], lambda i: [f"64.02.06.{1001 + i}", "a"])
    preview = sp.read_xlsx(upload(data), COLUMNS, max_rows=20)
    assert preview.file_errors == ["Lebih dari 20 baris; pecah berkasnya."]
    assert preview.rows == []


def test_cells_beyond_the_column_limit_are_not_read():
    header = ["kode_desa", "nama", *[f"x{i}" for i in range(300)]]
    data = rows_file(1, header, lambda i: ["64.02.06.1001", "a", *["z"] * 300])
    limits = sp.Limits(max_columns=5)
    preview = sp.read_xlsx(upload(data), COLUMNS, limits=limits)
    assert preview.ok
    assert preview.rows[0].values == {"kode_desa": "64.02.06.1001", "nama": "a"}
