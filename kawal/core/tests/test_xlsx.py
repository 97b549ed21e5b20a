import datetime
import io
from decimal import Decimal

import openpyxl

from kawal.core.xlsx import FLUSH_ROWS, xlsx_chunks, xlsx_response


def read(data: bytes):
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_values_of_every_type_read_back():
    rows = [
        ("64.02.06.1001", 25, Decimal("1250000.5"), datetime.date(2025, 6, 30), True, None),
        ("A & B <c> \x07bell", 0, 1.5, datetime.datetime(2025, 7, 21, 10, 0), False, ""),
    ]
    data = b"".join(xlsx_chunks(["kode", "n", "rp", "tgl", "aktif", "kosong"], rows, "Koperasi"))
    assert read(data) == [
        ("kode", "n", "rp", "tgl", "aktif", "kosong"),
        ("64.02.06.1001", 25, 1250000.5, "2025-06-30", "Ya", None),
        ("A & B <c> bell", 0, 1.5, "2025-07-21 10:00", "Tidak", None),
    ]


def test_rows_are_sent_in_pieces_as_they_are_read():
    consumed = []

    def rows():
        for i in range(FLUSH_ROWS * 3):
            consumed.append(i)
            yield (i, f"row {i}")

    chunks = xlsx_chunks(["n", "teks"], rows())
    first = next(chunks)
    assert first and consumed == []  # the first bytes leave before any row is read
    next(chunks)
    assert len(consumed) == FLUSH_ROWS  # one flush per FLUSH_ROWS rows, not the whole file
    data = first + b"".join([b"" for _ in ()]) + b"".join(chunks)
    assert len(data) > 0


def test_response_is_a_streamed_download():
    response = xlsx_response("koperasi.xlsx", ["a"], iter([(1,)]))
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="koperasi.xlsx"'
    assert read(b"".join(response.streaming_content)) == [("a",), (1,)]
