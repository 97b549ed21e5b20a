"""A SIMKOPDES export as downloaded: placed by names, flags kept as reported facts, compared
with our steps per kecamatan, and our data exported in the same columns."""

import datetime
import io

import openpyxl

from kawal.cooperatives.tests.conftest import xlsx
from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.formation import services
from kawal.formation.models import ReportedStatus
from kawal.regions.models import Crosswalk

HEADER = (
    "cooperative_id",
    "nama_koperasi",
    "Provinsi",
    "Kabupaten/Kota",
    "Kecamatan",
    "Desa/Kelurahan",
    "villageId",
    "status_npwp",
    "status_nib",
    "status_rekening",
    "status_rat",
    "tanggal_laporan",
)


def export(*rows):
    return xlsx(HEADER, list(rows))


def row(coop_id="C-1", village="JAHAB", npwp="Sudah", nib="Belum", account="", rat="Ya"):
    return (
        coop_id,
        "KDMP",
        "KALIMANTAN TIMUR",
        "KAB. KUTAI KARTANEGARA",
        "TENGGARONG",
        f"KEL. {village}",
        "V-" + coop_id,
        npwp,
        nib,
        account,
        rat,
        "2025-07-01",
    )


def post(client, upload, action="impor"):
    return client.post(
        "/pembentukan/impor/", {"jenis": "simkopdes", "aksi": action, "berkas": upload}
    )


def test_the_export_is_placed_by_names_and_kept_as_reported_facts(client, admin_user, coop):
    client.force_login(admin_user)
    response = post(client, export(row()))
    assert response.status_code == 302, response.context["preview"].error_rows[0].errors
    report = ReportedStatus.objects.get()
    assert (report.cooperative, report.has_npwp, report.has_nib, report.has_account) == (
        coop,
        True,
        False,
        None,
    )
    assert report.rat_held is True and report.reported_on == datetime.date(2025, 7, 1)
    assert Crosswalk.objects.get(entity="village").region_id == "64.02.06.1001"
    assert Crosswalk.objects.get(entity="cooperative").external_id == "C-1"
    assert AuditEvent.objects.filter(action="reported_status_create").count() == 1
    count = AuditEvent.objects.count()
    assert post(client, export(row())).status_code == 302  # the same export again
    assert ReportedStatus.objects.count() == 1 and AuditEvent.objects.count() == count


def test_a_village_without_cooperative_and_a_duplicate_id_are_row_errors(client, admin_user, coop):
    client.force_login(admin_user)
    response = post(client, export(row(), row(village="LOA IPUH")))
    preview = response.context["preview"]
    assert [r.line for r in preview.error_rows] == [3]
    assert not ReportedStatus.objects.exists()


def test_the_reconciliation_page_shows_where_simkopdes_and_we_disagree(
    client, admin_user, coop, django_assert_max_num_queries
):
    client.force_login(admin_user)
    post(client, export(row(npwp="Sudah")))  # SIMKOPDES: NPWP yes; we have no NPWP step done
    with django_assert_max_num_queries(15):
        response = client.get("/pembentukan/simkopdes/", {"kecamatan": "64.02.06"})
    rows = response.context["rows"]
    assert rows[0]["cooperative"] == coop and rows[0]["disagree"]
    assert "⚠" in response.content.decode()
    partial = client.get(
        "/pembentukan/simkopdes/", {"kecamatan": "64.02.06"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.content.decode()


def test_another_kecamatan_is_not_shown_to_a_camat(client, make_user, admin_user, coop):
    client.force_login(admin_user)
    post(client, export(row()))
    camat = make_user(Role.CAMAT, "64.02.05")
    client.force_login(camat)
    assert client.get("/pembentukan/simkopdes/", {"kecamatan": "64.02.06"}).status_code == 404


def test_our_data_is_exported_in_simkopdes_columns(client, admin_user, coop):
    coop.simkopdes_id = "C-1"
    coop.save()
    services.step_update(
        actor=admin_user,
        cooperative=coop,
        step="musdesus",
        status="selesai",
        completed_on=datetime.date(2025, 5, 1),
    )
    client.force_login(admin_user)
    response = client.get("/pembentukan/simkopdes.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("cooperative_id", "name", "kode_desa")
    assert rows[1][0] == "C-1" and rows[1][2] == "64.02.06.1001" and rows[1][6] == "Jahab"
