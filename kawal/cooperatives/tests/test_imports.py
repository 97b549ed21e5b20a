from kawal.cooperatives.models import Cooperative, Officer
from kawal.cooperatives.tests.conftest import nik_for, xlsx
from kawal.core.models import AuditEvent

HEADER = ("kode_desa", "name", "skema", "principal_saving", "anggota_perempuan", "latitude")


def post(client, kind, upload, action):
    return client.post("/koperasi/impor/", {"jenis": kind, "aksi": action, "berkas": upload})


def test_dry_run_lists_every_bad_row_and_writes_nothing(client, admin_user):
    client.force_login(admin_user)
    upload = xlsx(
        HEADER,
        [
            (
                "64.02.06.1001",
                "Koperasi Kelurahan Merah Putih Jahab",
                "pendirian_baru",
                100000,
                10,
                -0.4,
            ),
            ("64.02.99.9999", "Tidak Ada", "", "", "", ""),
            ("64.02.06.1002", "Loa Ipuh", "skema-aneh", "seratus", "", ""),
            ("64.02.06.1001", "Dobel", "", "", "", ""),
            ("64.02.06.1003", "Jauh", "", "", "", 50),
        ],
    )
    response = post(client, "koperasi", upload, "impor")
    preview = response.context["preview"]
    assert not preview.ok
    assert [r.line for r in preview.error_rows] == [3, 4, 5, 6]
    assert "64.02.99.9999" in preview.error_rows[0].errors[0]
    assert any("principal_saving" in e for e in preview.error_rows[1].errors)
    assert not Cooperative.objects.exists()


def test_import_then_reimport_changes_nothing(client, admin_user):
    client.force_login(admin_user)
    rows = [
        (
            "64.02.06.1001",
            "Koperasi Kelurahan Merah Putih Jahab",
            "pendirian_baru",
            100000,
            10,
            -0.4,
        ),
        ("64.02.06.1002", "Koperasi Kelurahan Merah Putih Loa Ipuh", "", "", 3, ""),
    ]
    assert post(client, "koperasi", xlsx(HEADER, rows), "cek").context["preview"].ok
    assert not Cooperative.objects.exists()  # the dry run wrote nothing
    response = post(client, "koperasi", xlsx(HEADER, rows), "impor")
    assert response.status_code == 302
    assert Cooperative.objects.count() == 2
    assert Cooperative.objects.get(village_id="64.02.06.1001").simpanan_pokok == 100000
    audits = AuditEvent.objects.filter(action="cooperative_import").count()
    assert audits == 2
    post(client, "koperasi", xlsx(HEADER, rows), "impor")
    assert Cooperative.objects.count() == 2
    assert AuditEvent.objects.filter(action="cooperative_import").count() == audits
    rows[1] = ("64.02.06.1002", "Koperasi Kelurahan Merah Putih Loa Ipuh", "", "", 9, "")
    post(client, "koperasi", xlsx(HEADER, rows), "impor")
    changed = Cooperative.objects.get(village_id="64.02.06.1002")
    assert changed.members_female == 9 and changed.version == 2


def test_camat_cannot_import_outside_its_kecamatan(client, camat):
    client.force_login(camat)
    upload = xlsx(
        HEADER, [("64.02.05.2006", "Koperasi Desa Merah Putih Tanah Datar", "", "", "", "")]
    )
    preview = post(client, "koperasi", upload, "impor").context["preview"]
    assert not preview.ok
    assert not Cooperative.objects.exists()


def test_wrong_file_type_is_refused(client, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    fake = SimpleUploadedFile("data.xlsx", b"%PDF-1.4 not a workbook")
    preview = post(client, "koperasi", fake, "impor").context["preview"]
    assert preview.file_errors


OFFICER_HEADER = ("kode_desa", "badan", "role", "name", "gender", "nik", "phone", "anggota_bpd")


def test_officer_import_validates_nik_and_is_idempotent(client, admin_user, coop):
    client.force_login(admin_user)
    bad = xlsx(
        OFFICER_HEADER,
        [
            (
                "64.02.06.1001",
                "pengurus",
                "Ketua",
                "Ani",
                "P",
                nik_for(1, True),
                "081234567890",
                "Tidak",
            ),
            ("64.02.06.1001", "pengurus", "bendahara", "Budi", "L", "12345", "", ""),
            ("64.02.06.1002", "pengurus", "sekretaris", "Cici", "P", "", "", ""),
        ],
    )
    preview = post(client, "pengurus", bad, "impor").context["preview"]
    assert [r.line for r in preview.error_rows] == [3, 4]
    assert any("nik" in e for e in preview.error_rows[0].errors)
    assert not Officer.objects.exists()
    good_rows = [
        (
            "64.02.06.1001",
            "pengurus",
            "Ketua",
            "Ani",
            "P",
            nik_for(1, True),
            "081234567890",
            "Tidak",
        ),
        ("64.02.06.1001", "pengawas", "ketua_pengawas", "Pak Lurah", "L", "", "", ""),
    ]
    assert post(client, "pengurus", xlsx(OFFICER_HEADER, good_rows), "impor").status_code == 302
    assert Officer.objects.count() == 2
    assert post(client, "pengurus", xlsx(OFFICER_HEADER, good_rows), "impor").status_code == 302
    assert Officer.objects.count() == 2
    assert Officer.objects.get(name="Ani").phone == "+6281234567890"


def test_template_download_has_the_columns(client, admin_user):
    import io

    import openpyxl

    client.force_login(admin_user)
    response = client.get("/koperasi/impor/?jenis=koperasi&templat=1")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header = next(book.active.iter_rows(values_only=True))
    assert header[:2] == ("kode_desa", "name")
