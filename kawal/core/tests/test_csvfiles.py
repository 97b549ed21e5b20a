from kawal.core.csvfiles import read_csv


def test_bom_semicolon_and_crlf():
    table = read_csv("\ufeffNama;Kota\r\nAni;Tenggarong\r\n\r\nBudi;Samarinda\r\n".encode())
    assert (table.encoding, table.delimiter, table.headers) == ("utf-8-sig", ";", ["Nama", "Kota"])
    assert list(table.rows) == [
        (2, {"Nama": "Ani", "Kota": "Tenggarong"}),
        (4, {"Nama": "Budi", "Kota": "Samarinda"}),
    ]


def test_windows_1252_is_detected_not_replaced():
    table = read_csv("Nama,Kota\nJosé Ñoto,Tenggarong\n".encode("cp1252"))
    assert table.encoding == "cp1252"
    assert list(table.rows)[0][1]["Nama"] == "José Ñoto"


def test_quoted_multiline_field_keeps_the_line_numbers_true():
    table = read_csv(b'Nama,Alamat\nAni,"Jl. A\nRT 2"\nBudi,Jl. B\n')
    assert [line for line, _record in table.rows] == [2, 4]


def test_binary_and_oversized_files_are_refused():
    assert read_csv(b"PK\x03\x04rest").error
    assert read_csv(b"a,b\n1,2\n", max_bytes=4).error
