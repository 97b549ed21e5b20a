"""The ministry's NPAK list imported as published: encoding, N/A, merged rows, seats."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.core.models import AuditEvent
from kawal.formation import npak
from kawal.formation.models import Notary
from kawal.formation.tests.npak_fixture import HEADER, npak_csv_bytes

URL = "/pembentukan/notaris/impor/"
LINE = '{n},"{name}",{seat},Kalimantan Timur,{ahu},SK-1,{cert},{email},{hp1},N/A,-,{addr}\r\n'


def csv_bytes(*rows, encoding="cp1252") -> bytes:
    text = ",".join(HEADER) + "\r\n"
    for n, row in enumerate(rows, start=1):
        values = {"ahu": "N/A", "cert": "N/A", "email": "N/A", "hp1": "N/A", "addr": "N/A"}
        values.update(row)
        text += LINE.format(n=n, **values)
    return text.encode(encoding)


def upload(client, data: bytes, action="cek"):
    return client.post(URL, {"aksi": action, "berkas": SimpleUploadedFile("npak.csv", data)})


RENE = {"name": "René Notaris, S.H., M.Kn.", "seat": "KAB. KUTAI KARTANEGARA"}


def test_windows_1252_and_utf8_with_bom_are_both_read():
    for raw, encoding in (
        (csv_bytes(RENE), "windows-1252"),
        (b"\xef\xbb\xbf" + csv_bytes(RENE, encoding="utf-8"), "utf-8-sig"),
    ):
        parsed = npak.read_npak(raw)
        assert parsed.encoding == encoding
        assert parsed.rows[0]["name"] == "René Notaris, S.H., M.Kn."


def test_na_and_dash_cells_are_empty_and_quoted_addresses_span_lines():
    raw = csv_bytes({**RENE, "addr": '"Jl. Contoh 1\r\nRT 02"'}, {**RENE, "name": "Ani"})
    parsed = npak.read_npak(raw)
    first, second = parsed.rows
    assert first["address"] == "Jl. Contoh 1\nRT 02"
    assert "ahu_number" not in first and "phone_2" not in first and "office_phone" not in first
    assert second["_line"] == 4  # the address took two lines of the file


def test_an_unknown_encoding_is_a_file_error():
    parsed = npak.read_npak("Nama\nA\n".encode("utf-16-le"))
    assert parsed.file_errors


def test_rows_of_one_notary_are_merged_field_by_field(kukar):
    raw = csv_bytes(
        {**RENE, "cert": "NPAK-1", "email": "rene@contoh.test", "hp1": "0811111"},
        {
            "name": "RENE NOTARIS SH MKn",
            "seat": "Kabupaten Kutai Kartanegara",
            "ahu": "AHU-9",
            "addr": "Jl. B",
            "hp1": "0822222",
            "email": "kantor@contoh.test",
        },
    )
    plan = npak.plan_npak(npak.read_npak(raw))
    assert len(plan.notaries) == 1
    notary = plan.notaries[0]
    assert notary.lines == [2, 3]
    assert notary.regency == "64.02"
    fields = npak.fields_of(notary)
    assert fields["training_certificate"] == "NPAK-1"
    assert fields["ahu_number"] == "AHU-9"
    assert fields["phone"] == "0811111" and fields["phone_2"] == "0822222"
    assert fields["email"] == "rene@contoh.test" and fields["more_emails"] == ["kantor@contoh.test"]


def test_import_is_idempotent_and_an_encoding_fix_updates(client, admin_user):
    client.force_login(admin_user)
    broken = csv_bytes(RENE, encoding="cp1252").decode("utf-8", errors="replace").encode()
    assert upload(client, broken, "impor").status_code == 302
    assert Notary.objects.get().name.startswith("Ren\ufffd")
    assert upload(client, csv_bytes(RENE), "impor").status_code == 302
    assert Notary.objects.get().name == "René Notaris, S.H., M.Kn."
    count = AuditEvent.objects.count()
    assert upload(client, csv_bytes(RENE), "impor").status_code == 302
    assert Notary.objects.count() == 1
    assert AuditEvent.objects.count() == count  # nothing changed, nothing audited


def test_bad_rows_are_all_listed_and_nothing_is_saved(client, admin_user):
    client.force_login(admin_user)
    raw = csv_bytes(RENE, {**RENE, "name": "N/A"}, {**RENE, "name": "Budi", "email": "bukan"})
    response = upload(client, raw, "impor")
    assert [r.line for r in response.context["preview"].error_rows] == [3, 4]
    assert not Notary.objects.exists()


def test_unknown_columns_are_a_warning(client, admin_user):
    client.force_login(admin_user)
    raw = b"Nama,Tempat Kedudukan,Catatan\r\nAni,Tenggarong,x\r\n"
    preview = upload(client, raw).context["preview"]
    assert any("Catatan" in w for w in preview.warnings)


def test_the_synthetic_ministry_file_imports_whole(client, admin_user):
    client.force_login(admin_user)
    raw = npak_csv_bytes(rows=300, seed=5)
    response = upload(client, raw)
    preview = response.context["preview"]
    plan = npak.plan_npak(npak.read_npak(raw))
    assert preview.ok, preview.error_rows[:3]
    assert plan.merged  # the fixture has notaries on two rows
    assert "digabung menjadi satu notaris" in response.content.decode()  # the merge is shown
    assert upload(client, raw, "impor").status_code == 302
    assert Notary.objects.count() == len(plan.notaries)
    assert Notary.objects.filter(regency_id="64.02").exists()
