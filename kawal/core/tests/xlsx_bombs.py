"""Hostile workbooks for the import limits (tests and benchmarks/bench_imports.py)."""

import io
import zipfile

import openpyxl


def _base() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["kode_desa", "nama"])
    book.active.append(["64.02.06.1001", "KMP A"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_shared_strings(write) -> bytes:
    """A valid workbook whose xl/sharedStrings.xml is produced by `write(stream)`."""
    source = zipfile.ZipFile(io.BytesIO(_base()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for entry in source.infolist():
            if entry.filename != "xl/sharedStrings.xml":
                target.writestr(entry, source.read(entry))
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as stream:
            write(stream)
    return out.getvalue()


def huge_string_bomb(megabytes: int = 200) -> bytes:
    """One shared string of `megabytes` MB: a small upload expanding a thousandfold."""

    def write(stream):
        stream.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/')
        stream.write(b'spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>')
        block = b"A" * (1024 * 1024)
        for _ in range(megabytes):
            stream.write(block)
        stream.write(b"</t></si><si><t>x</t></si></sst>")

    return _with_shared_strings(write)


def many_strings_bomb(count: int = 5_000_000, varied: bool = False) -> bytes:
    """Millions of tiny shared strings (each costs the parser time and memory). `varied`
    numbers them, so that the file compresses like real text instead of a thousandfold."""

    def write(stream):
        stream.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/')
        stream.write(b'spreadsheetml/2006/main">')
        block = b"<si><t>a</t></si>" * 10_000
        for n in range(count // 10_000):
            if varied:
                block = b"".join(b"<si><t>%d</t></si>" % (n * 10_000 + i) for i in range(10_000))
            stream.write(block)
        stream.write(b"</sst>")

    return _with_shared_strings(write)


def rows_file(rows: int, header, make_row) -> bytes:
    """A plain workbook of `rows` data rows, written with the streamed writer."""
    from kawal.core.xlsx import xlsx_chunks

    return b"".join(xlsx_chunks(list(header), (make_row(i) for i in range(rows))))
