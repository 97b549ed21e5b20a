"""The officer import: keyed by NIK, else name and body; the dry run runs the commit's rules."""

from kawal.cooperatives.models import Officer
from kawal.cooperatives.tests.conftest import nik_for, xlsx
from kawal.core.models import AuditEvent

HEADER = ("kode_desa", "badan", "role", "name", "gender", "nik")


def post(client, rows, action):
    return client.post(
        "/koperasi/impor/",
        {"jenis": "pengurus", "aksi": action, "berkas": xlsx(HEADER, rows)},
    )


def test_three_rows_with_one_nik_fail_the_dry_run_with_their_lines(
    client, admin_user, make_cooperative
):
    coop = make_cooperative("64.02.06.1001")
    client.force_login(admin_user)
    nik = nik_for(1)
    rows = [
        (coop.village_id, "pengurus", "ketua", "Ani", "P", nik),
        (coop.village_id, "pengurus", "sekretaris", "Budi", "L", nik),
        (coop.village_id, "pengawas", "anggota", "Cici", "P", nik),
    ]
    response = post(client, rows, "cek")
    preview = response.context["preview"]
    assert [r.line for r in preview.error_rows] == [3, 4]
    assert "baris 2" in preview.error_rows[0].errors[0]
    assert not Officer.objects.exists()


def test_rows_without_nik_reimported_never_duplicate(client, admin_user, make_cooperative):
    coop = make_cooperative("64.02.06.1001")
    client.force_login(admin_user)
    rows = [
        (coop.village_id, "pengurus", "ketua", "Ani", "P", ""),
        (coop.village_id, "pengawas", "anggota", "Budi", "L", ""),
    ]
    assert post(client, rows, "impor").status_code == 302
    audits = AuditEvent.objects.count()
    versions = list(Officer.objects.order_by("pk").values_list("version", flat=True))
    assert post(client, rows, "impor").status_code == 302
    assert Officer.objects.filter(cooperative=coop).count() == 2
    assert list(Officer.objects.order_by("pk").values_list("version", flat=True)) == versions
    assert AuditEvent.objects.count() == audits


def test_the_same_name_twice_without_nik_in_one_file_is_refused(
    client, admin_user, make_cooperative
):
    coop = make_cooperative("64.02.06.1001")
    client.force_login(admin_user)
    rows = [
        (coop.village_id, "pengurus", "ketua", "Ani", "P", ""),
        (coop.village_id, "pengurus", "bendahara", "ani", "P", ""),
    ]
    response = post(client, rows, "cek")
    assert [r.line for r in response.context["preview"].error_rows] == [3]
