import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.core import spreadsheets as sp
from kawal.core.xlsx import xlsx_chunks

COLUMNS = [
    sp.Column("kode_desa", parse=sp.as_region_code, required=True),
    sp.Column("nama", required=True),
    sp.Column("anggota", parse=sp.as_positive_int),
    sp.Column("tanggal", parse=sp.as_date),
    sp.Column("aktif", parse=sp.as_bool),
]


def workbook(rows, header=("kode_desa", "nama", "anggota", "tanggal", "aktif")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("data.xlsx", buffer.getvalue())


def test_clean_file_parses_every_cell():
    preview = sp.read_xlsx(
        workbook([("64.02.06.1001", "KMP A", "25", "30/06/2025", "Ya")]), COLUMNS
    )
    assert preview.ok
    assert preview.rows[0].values == {
        "kode_desa": "64.02.06.1001",
        "nama": "KMP A",
        "anggota": 25,
        "tanggal": datetime.date(2025, 6, 30),
        "aktif": True,
    }


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_ok():
    upload = workbook(
        [
            ("64.02.06.1001", "KMP A", 10, None, None),
            ("64-02", "KMP B", -3, "kemarin", "mungkin"),
            (None, None, None, None, None),  # blank lines are skipped
            ("64.02.06.1002", "", 5, None, None),
        ]
    )
    preview = sp.read_xlsx(upload, COLUMNS)
    assert not preview.ok
    assert [r.line for r in preview.error_rows] == [3, 5]
    assert len(preview.error_rows[0].errors) == 4
    assert preview.error_rows[1].errors == ["nama: wajib diisi"]
    assert preview.valid_count == 1


def test_app_rules_and_duplicates_join_the_row_errors():
    upload = workbook(
        [("64.02.06.1001", "A"), ("64.02.06.1001", "B"), ("64.02.06.9999", "C")],
        header=("kode_desa", "nama"),
    )
    preview = sp.read_xlsx(upload, COLUMNS).check_unique("kode_desa")
    preview.check(
        lambda row: ["desa tidak dikenal"] if row.values["kode_desa"].endswith("9999") else []
    )
    assert [(r.line, len(r.errors)) for r in preview.error_rows] == [(3, 1), (4, 1)]


def test_missing_required_header_stops_before_rows():
    preview = sp.read_xlsx(workbook([("x",)], header=("nama_desa",)), COLUMNS)
    assert preview.file_errors and not preview.rows


def test_a_file_that_is_not_xlsx_is_refused():
    preview = sp.read_xlsx(SimpleUploadedFile("data.xlsx", b"%PDF-1.4 nope"), COLUMNS)
    assert preview.file_errors == ["Berkas bukan buku kerja Excel (.xlsx)."]


def test_too_many_rows_is_a_file_error():
    upload = workbook(
        [("64.02.06.1001", f"KMP {i}") for i in range(5)], header=("kode_desa", "nama")
    )
    preview = sp.read_xlsx(upload, COLUMNS, max_rows=3)
    assert preview.file_errors


@pytest.mark.django_db
def test_commit_is_all_or_nothing(kukar):
    from kawal.regions.models import Region

    preview = sp.read_xlsx(
        workbook([("64.02.06.1001", "Nama Baru")], header=("kode_desa", "nama")), COLUMNS
    )

    def apply(rows):
        Region.objects.filter(code=rows[0].values["kode_desa"]).update(name=rows[0].values["nama"])
        raise ValidationError("rule seen only at write time")

    with pytest.raises(ValidationError):
        sp.commit(preview, apply)
    assert Region.objects.get(code="64.02.06.1001").name != "Nama Baru"


def test_commit_refuses_a_preview_with_errors():
    preview = sp.read_xlsx(workbook([("bad", "A")], header=("kode_desa", "nama")), COLUMNS)
    with pytest.raises(ValidationError):
        sp.commit(preview, lambda rows: None)


def test_indonesian_numbers_and_choices():
    assert sp.as_decimal("1.250.000,50") == sp.as_decimal(1250000.5)
    assert sp.as_int("1.250") == 1250
    parse = sp.as_choice([("konsumen", "Konsumen"), ("produsen", "Produsen")])
    assert parse("PRODUSEN") == "produsen"
    with pytest.raises(ValidationError):
        parse("grosir")


def test_exported_file_reads_back_into_an_import():
    data = b"".join(xlsx_chunks(["kode_desa", "nama"], [("64.02.06.1001", "KMP A")]))
    preview = sp.read_xlsx(SimpleUploadedFile("x.xlsx", data), COLUMNS)
    assert preview.ok and preview.rows[0].values["nama"] == "KMP A"


def test_read_table_takes_a_windows_1252_csv_with_na_cells_like_a_workbook():
    # given a CSV as Excel writes it on an Indonesian Windows: cp1252, `;`, CRLF, N/A cells
    text = (
        "KODE_DESA;Nama;Anggota;Tanggal;Aktif;Catatan\r\n"
        "64.02.06.1001;Koperasi “Café”;N/A;30/06/2025;Ya;x\r\n"
        "64.02.06.1002;Dua;#N/A;N/A;n/a;y\r\n"
    )
    upload = SimpleUploadedFile("data.csv", text.encode("cp1252"))
    # when it is read like a workbook
    preview = sp.read_table(upload, COLUMNS)
    # then the same columns, parsers and warnings apply, and N/A is empty
    assert preview.ok, [r.errors for r in preview.rows]
    first, second = preview.rows
    assert (first.line, second.line) == (2, 3)
    assert first.values["nama"] == "Koperasi “Café”"
    assert first.values["anggota"] is None and first.values["tanggal"] == datetime.date(2025, 6, 30)
    assert second.values["tanggal"] is None and second.values["aktif"] is None
    assert any("Catatan" in w for w in preview.warnings)


def test_read_table_refuses_a_file_that_is_neither_xlsx_nor_csv():
    preview = sp.read_table(SimpleUploadedFile("x.xlsx", b"%PDF-1.4\x00\x01"), COLUMNS)
    assert preview.file_errors and not preview.rows
