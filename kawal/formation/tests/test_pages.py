import datetime
import io
import urllib.parse

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kawal.cooperatives import services as coop_services
from kawal.cooperatives.models import Cooperative, Officer
from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.formation import selectors, services
from kawal.formation.models import Notary, Reminder, StepRecord
from kawal.formation.tests.conftest import D, legal_entity, xlsx
from kawal.regions.models import Region


@pytest.fixture
def all_kukar(admin_user, notary):
    """237 cooperatives; 20 with their SK AHU, a few stuck at the name reservation."""
    villages = Region.objects.filter(regency_code="64.02", level=4).order_by("code")
    cooperatives = Cooperative.objects.bulk_create(
        [Cooperative(village=v, name=f"Koperasi Desa Merah Putih {v.name}") for v in villages]
    )
    for cooperative in cooperatives[:20]:
        legal_entity(admin_user, cooperative, notary)
    for cooperative in cooperatives[20:25]:
        services.step_update(
            actor=admin_user, cooperative=cooperative, step="reservasi_nama", status="proses"
        )
    StepRecord.objects.filter(step="reservasi_nama", status="proses").update(
        moved_at=timezone.now() - datetime.timedelta(days=40)
    )
    return cooperatives


def test_matrix_counts_per_kecamatan_with_flat_queries(
    client, admin_user, all_kukar, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        page = client.get("/pembentukan/")
    data = page.context["data"]
    assert data["total"] == 237 and len(data["rows"]) == 20
    footer = {c["step"]: c["n"] for c in data["footer"]}
    assert footer["sk_ahu"] == 20 and footer["reservasi_nama"] == 20
    first = data["rows"][0]
    assert sum(r["total"] for r in data["rows"]) == 237
    assert all(0 <= c["pct"] <= 100 for r in data["rows"] for c in r["cells"])
    assert first["region"].level == 3
    assert page.context["summary"] == {"total": 237, "legal": 20, "without": 217, "stuck": 5}


def test_matrix_drills_down_to_villages_and_htmx_returns_the_table(
    client, admin_user, all_kukar, django_assert_max_num_queries
):
    client.force_login(admin_user)
    code = all_kukar[0].village.district_code
    with django_assert_max_num_queries(20):
        page = client.get(f"/pembentukan/?wilayah={code}")
    rows = page.context["data"]["rows"]
    assert page.context["data"]["level"] == "cooperatives"
    assert {r["cooperative"].village.district_code for r in rows} == {code}
    partial = client.get(f"/pembentukan/?wilayah={code}", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"<table" in partial.content


def test_camat_matrix_is_its_kecamatan_only(client, camat, all_kukar):
    client.force_login(camat)
    page = client.get("/pembentukan/")
    assert page.context["root"].code == "64.02.06"
    assert client.get("/pembentukan/?wilayah=64.02.05").status_code == 404
    assert client.get("/pembentukan/?wilayah=64.02").status_code == 404


def test_matrix_changes_when_a_step_is_saved_through_the_form(client, admin_user, coop, notary):
    legal_entity(admin_user, coop, notary)
    client.force_login(admin_user)
    before = client.get("/pembentukan/").context["data"]["footer"]
    assert {c["step"]: c["n"] for c in before}["npwp"] == 0
    response = client.post(
        f"/pembentukan/koperasi/{coop.pk}/tahap/npwp/",
        {
            "status": "selesai",
            "completed_on": "2025-07-10",
            "document_number": "01.234.567.8-901.000",
            "version": 0,
        },
    )
    assert response.status_code == 302
    after = client.get("/pembentukan/").context["data"]["footer"]
    assert {c["step"]: c["n"] for c in after}["npwp"] == 1


def test_step_form_shows_the_order_error_and_saves_nothing(client, admin_user, coop):
    client.force_login(admin_user)
    response = client.post(
        f"/pembentukan/koperasi/{coop.pk}/tahap/sk_ahu/",
        {
            "status": "selesai",
            "completed_on": "2025-06-20",
            "document_number": "AHU-1",
            "version": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not StepRecord.objects.exists()


def test_step_form_refuses_a_stale_version(client, admin_user, coop):
    client.force_login(admin_user)
    url = f"/pembentukan/koperasi/{coop.pk}/tahap/musdesus/"
    assert client.post(url, {"status": "proses", "version": 0}).status_code == 302
    again = client.post(url, {"status": "bermasalah", "notes": "x", "version": 0})
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    assert StepRecord.objects.get().status == "proses"


def test_pengurus_uploads_through_the_page_and_the_dinas_verifies(
    client, admin_user, make_user, coop, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    client.force_login(pengurus)
    pdf = SimpleUploadedFile("ba.pdf", b"%PDF-1.4 ok")
    response = client.post(
        f"/pembentukan/koperasi/{coop.pk}/tahap/musdesus/dokumen/",
        {"kind": "lainnya", "other": "Daftar hadir", "file": pdf},
    )
    assert response.status_code == 302
    fake = SimpleUploadedFile("ba.pdf", b"MZ\x90\x00 program")
    refused = client.post(
        f"/pembentukan/koperasi/{coop.pk}/tahap/musdesus/dokumen/",
        {"kind": "lainnya", "other": "Palsu", "file": fake},
    )
    assert refused.status_code == 400 and refused.context["document_form"].errors["file"]
    assert client.get("/pembentukan/verifikasi/").status_code == 403
    client.force_login(admin_user)
    queue = client.get("/pembentukan/verifikasi/")
    (document,) = queue.context["page"].object_list
    client.post(f"/pembentukan/dokumen/{document.pk}/periksa/", {"decision": "terima"})
    document.refresh_from_db()
    assert document.status == "verified"


def test_stuck_page_sorted_by_days_with_flat_queries(
    client, admin_user, all_kukar, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        page = client.get("/pembentukan/macet/")
    rows = page.context["rows"]
    assert len(rows) == 5 and all(r.days_stuck == 40 for r in rows)
    partial = client.get("/pembentukan/macet/", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content


def test_list_filters_by_step_status_overdue_and_stuck(client, admin_user, all_kukar):
    services.target_set(
        actor=admin_user, scheme="pendirian_baru", step="sk_ahu", due_date=D(2025, 6, 30)
    )
    client.force_login(admin_user)
    count = lambda q: client.get(f"/koperasi/?{q}").context["page"].paginator.count  # noqa: E731
    assert count("tahap=sk_ahu") == 20
    assert count("tahap=sk_ahu&status_tahap=belum") == 217
    assert count("tahap=reservasi_nama&status_tahap=proses") == 5
    assert count("terlambat=ya") == 217
    assert count("macet=ya") == 5
    rows = client.get("/koperasi/?macet=ya").context["rows"]
    assert all(r.stage["stuck"] for r in rows)


def test_notary_csv_import_preview_commit_and_reimport(client, admin_user, camat):
    header = "Nama,Tempat Kedudukan,Provinsi,No. AHU,SK Pengangkatan Notaris,Sertifikat Pelatihan NPAK,Email,HP1,HP2,Kantor,Alamat\n"
    good = header + (
        "Ani Notaris S.H.,Tenggarong,Kalimantan Timur,AHU-1,SK-1,NPAK-1,ani@contoh.test,0812,,,Jl. A\n"
        "Budi Notaris S.H.,Samarinda,Kalimantan Timur,AHU-2,SK-2,NPAK-2,,,,,\n"
    )
    bad = (
        header
        + "Cici,Bontang,,,,,bukan-email,,,,\n,,,,,,,,,,\nAni Notaris S.H.,Tenggarong,,,,,,,,,\nAni Notaris S.H.,Tenggarong,,,,,,,,,\n"
    )
    client.force_login(admin_user)
    preview = client.post(
        "/pembentukan/notaris/impor/",
        {"aksi": "impor", "berkas": SimpleUploadedFile("npak.csv", bad.encode())},
    )
    assert [r.line for r in preview.context["preview"].error_rows] == [2, 5]
    assert not Notary.objects.exists()
    for _ in range(2):
        response = client.post(
            "/pembentukan/notaris/impor/",
            {"aksi": "impor", "berkas": SimpleUploadedFile("npak.csv", good.encode())},
        )
        assert response.status_code == 302
    assert Notary.objects.count() == 2
    assert AuditEvent.objects.filter(action="notary_create").count() == 2
    assert not AuditEvent.objects.filter(action="notary_update").exists()
    client.force_login(camat)
    assert client.get("/pembentukan/notaris/impor/").status_code == 403
    assert client.get("/pembentukan/notaris/").status_code == 200


def test_notary_workload_and_median_days(admin_user, make_cooperative, notary):
    a = make_cooperative("64.02.06.1002")
    b = make_cooperative("64.02.06.1003")
    legal_entity(admin_user, a, notary, sk_on=D(2025, 6, 20))  # rapat 28 May → 23 days
    legal_entity(admin_user, b, notary, sk_on=D(2025, 6, 24))  # → 27 days
    c = make_cooperative("64.02.06.1004")
    for step, day in (("musdesus", 1), ("rapat_pendirian", 2), ("reservasi_nama", 3)):
        services.step_update(
            actor=admin_user,
            cooperative=c,
            step=step,
            status="selesai",
            completed_on=D(2025, 6, day),
        )
    services.step_update(
        actor=admin_user, cooperative=c, step="akta", status="proses", notary=notary
    )
    rows = list(selectors.notary_list(user=admin_user))
    selectors.notary_workload(user=admin_user, notaries=rows)
    assert (rows[0].deeds, rows[0].open_deeds, rows[0].median_days) == (3, 1, 25)


def test_reminders_daily_lists_due_and_overdue_steps_with_whatsapp(client, admin_user, coop, camat):
    coop_services.officer_create(
        actor=admin_user,
        cooperative=coop,
        body=Officer.Body.PENGURUS,
        position=Officer.Position.KETUA,
        name="Ketua Jahab",
        sex="P",
        phone="0812 3456 7890",
    )
    today = timezone.localdate()
    services.target_set(
        actor=admin_user,
        scheme="pendirian_baru",
        step="musdesus",
        due_date=today - datetime.timedelta(days=10),
    )
    services.target_set(
        actor=admin_user,
        scheme="pendirian_baru",
        step="rapat_pendirian",
        due_date=today + datetime.timedelta(days=5),
    )
    services.target_set(
        actor=admin_user,
        scheme="pendirian_baru",
        step="akta",
        due_date=today + datetime.timedelta(days=30),
    )
    result = services.reminders_build(on=today)
    assert result["reminders"] == 2 and result["overdue"] == 1
    services.reminders_build(on=today)  # idempotent
    assert Reminder.objects.count() == 2
    client.force_login(camat)
    page = client.get("/pembentukan/pengingat/")
    rows = page.context["rows"]
    assert [r.step for r in rows] == ["musdesus", "rapat_pendirian"]
    link = rows[0].whatsapp
    assert link.startswith("https://wa.me/6281234567890?text=")
    assert "Ketua" in urllib.parse.unquote(link)
    assert page.context["per_kecamatan"][0]["overdue"] == 1
    home = client.get("/")
    assert any(t == "formation/panel_home.html" for t, _ in home.context["panels"])


def test_daily_task_runs_the_builder(admin_user, coop):
    from kawal.formation.tasks import daily_reminders

    services.target_set(
        actor=admin_user, scheme="pendirian_baru", step="musdesus", due_date=D(2025, 5, 31)
    )
    result = daily_reminders.call()
    assert result["reminders"] == 1


def test_home_panel_query_count(
    client, admin_user, camat, all_kukar, django_assert_max_num_queries
):
    # given targets that have passed or are near, and a ketua with a phone in every cooperative
    today = timezone.localdate()
    for step, days in (("musdesus", -10), ("rapat_pendirian", -3), ("reservasi_nama", 4)):
        services.target_set(
            actor=admin_user,
            scheme="pendirian_baru",
            step=step,
            due_date=today + datetime.timedelta(days=days),
        )
    Officer.objects.bulk_create(
        [
            Officer(
                cooperative=c,
                body=Officer.Body.PENGURUS,
                position=Officer.Position.KETUA,
                name=f"Ketua {c.pk}",
                sex="L",
                phone=f"+62812340{c.pk:05d}",
            )
            for c in Cooperative.objects.all()
        ]
    )
    result = services.reminders_build(on=today)
    assert result["reminders"] > 200
    client.force_login(camat)
    with django_assert_max_num_queries(20):
        home = client.get("/")
    assert home.status_code == 200
    panel = dict(home.context["panels"])["formation/panel_home.html"]
    assert len(panel["reminders"]) == 8
    assert all(r.whatsapp.startswith("https://wa.me/62812340") for r in panel["reminders"])
    with django_assert_max_num_queries(20):
        page = client.get("/pembentukan/pengingat/")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert len(rows) > 20 and all(r.whatsapp for r in rows)


STEP_HEADER = (
    "kode_desa",
    "musdesus_date",
    "meeting_date",
    "reservasi_nama_date",
    "akta_number",
    "akta_date",
    "npak_name",
    "sk_number",
    "sk_date",
    "tahap_proses",
)


def test_step_import_with_simkopdes_columns(client, admin_user, coop, notary, make_cooperative):
    other = make_cooperative("64.02.06.1002")
    client.force_login(admin_user)
    rows = [
        (
            "64.02.06.1001",
            "2025-05-20",
            "2025-05-28",
            "2025-06-02",
            "12",
            "2025-06-10",
            notary.name,
            "AHU-1",
            "2025-06-20",
            "",
        ),
        ("64.02.06.1002", "2025-05-21", "2025-05-29", "", "", "", "", "", "", "reservasi_nama"),
    ]
    url = "/pembentukan/impor/"
    response = client.post(
        url, {"jenis": "tahapan", "aksi": "impor", "berkas": xlsx(STEP_HEADER, rows)}
    )
    assert response.status_code == 302
    assert StepRecord.objects.get(cooperative=coop, step="sk_ahu").document_number == "AHU-1"
    assert StepRecord.objects.get(cooperative=other, step="reservasi_nama").status == "proses"
    count = AuditEvent.objects.count()
    client.post(url, {"jenis": "tahapan", "aksi": "impor", "berkas": xlsx(STEP_HEADER, rows)})
    assert AuditEvent.objects.count() == count  # idempotent


def test_step_import_out_of_order_rolls_back_everything(client, admin_user, coop, make_cooperative):
    make_cooperative("64.02.06.1002")
    client.force_login(admin_user)
    rows = [
        ("64.02.06.1002", "2025-05-21", "", "", "", "", "", "", "", ""),
        ("64.02.06.1001", "2025-05-20", "", "", "", "", "", "AHU-1", "2025-06-20", ""),  # no akta
        ("64.02.99.9999", "2025-05-20", "", "", "", "", "", "", "", ""),
    ]
    response = client.post(
        "/pembentukan/impor/",
        {"jenis": "tahapan", "aksi": "impor", "berkas": xlsx(STEP_HEADER, rows)},
    )
    assert [r.line for r in response.context["preview"].error_rows] == [4]
    rows.pop()
    response = client.post(
        "/pembentukan/impor/",
        {"jenis": "tahapan", "aksi": "impor", "berkas": xlsx(STEP_HEADER, rows)},
    )
    # the order rule is a rule of the write: it is reported on its line, nothing is written
    assert [r.line for r in response.context["preview"].error_rows] == [3]
    assert not StepRecord.objects.exists()


def test_matrix_export_streams(client, admin_user, all_kukar):
    client.force_login(admin_user)
    response = client.get("/pembentukan/matriks.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 21 and rows[0][:3] == ("kode", "wilayah", "koperasi")


def test_notary_list_and_cooperative_page_query_ceilings(
    client, admin_user, all_kukar, django_assert_max_num_queries
):
    for i in range(26):
        Notary.objects.create(name=f"Notaris {i:02d}", seat="Samarinda")
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        page = client.get("/pembentukan/notaris/")
    assert len(page.context["rows"]) == 27
    with django_assert_max_num_queries(20):
        assert client.get(f"/koperasi/{all_kukar[0].pk}/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/pembentukan/koperasi/{all_kukar[0].pk}/tahap/npwp/").status_code == 200


def test_verify_never_redirects_off_site(client, admin_user, coop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = services.document_upload(
        actor=admin_user,
        cooperative=coop,
        step="musdesus",
        kind="x",
        file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 ok"),
    )
    StepDocumentModel = type(document)
    StepDocumentModel.objects.filter(pk=document.pk).update(status="submitted")
    client.force_login(admin_user)
    response = client.post(
        f"/pembentukan/dokumen/{document.pk}/periksa/",
        {"decision": "terima", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/pembentukan/verifikasi/"


def test_formation_pages_never_leak_another_kecamatan(client, camat, admin_user, make_cooperative):
    inside = make_cooperative("64.02.06.1002")
    outside = make_cooperative("64.02.05.2006")
    for cooperative in (inside, outside):
        services.step_update(
            actor=admin_user, cooperative=cooperative, step="musdesus", status="proses"
        )
    StepRecord.objects.update(moved_at=timezone.now() - datetime.timedelta(days=30))
    client.force_login(camat)
    assert client.get(f"/pembentukan/koperasi/{outside.pk}/tahap/musdesus/").status_code == 404
    assert client.get(f"/pembentukan/koperasi/{inside.pk}/tahap/musdesus/").status_code == 200
    stuck = client.get("/pembentukan/macet/").context["rows"]
    assert [r.cooperative_id for r in stuck] == [inside.pk]
    services.reminders_build(on=timezone.localdate())
    listed = client.get("/koperasi/?macet=ya").context["rows"]
    assert [r.pk for r in listed] == [inside.pk]
