"""XLSX: visits and consultations export (scoped), caseload import (dry run, all or nothing)."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kawal.core.scope import Role
from kawal.mentoring import services
from kawal.mentoring.models import Assignment


def _workbook(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["username", "kode_desa", "mulai"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("penugasan.xlsx", data.getvalue())


def _read(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def test_visit_export_is_scoped_and_has_the_columns(
    client, make_user, admin_user, coop, other_coop
):
    for c in (coop, other_coop):
        services.visit_record(
            actor=admin_user, cooperative=c, visit_date=timezone.localdate(), purpose="Cek"
        )
    client.force_login(make_user(Role.CAMAT, "64.02.06"))
    rows = _read(client.get("/pendampingan/kunjungan/ekspor.xlsx"))
    assert rows[0][:3] == ["tanggal_kunjungan", "kode_desa", "koperasi"]
    assert [r[1] for r in rows[1:]] == [coop.village_id]


def test_consultation_export_follows_the_topic_filter(client, admin_user, coop):
    for topic in ("pajak", "usaha"):
        services.consultation_create(
            actor=admin_user,
            cooperative=coop,
            visitor_name="A",
            visitor_role="ketua",
            topic=topic,
            question="?",
        )
    client.force_login(admin_user)
    rows = _read(client.get("/pendampingan/konsultasi/ekspor.xlsx?topik=pajak"))
    assert len(rows) == 2 and rows[1][5] == "pajak"


def test_caseload_import_dry_run_shows_row_errors_and_writes_nothing(
    client, admin_user, make_mentor, coop, other_coop
):
    ba = make_mentor("64.02.06", username="ba-imp")
    client.force_login(admin_user)
    upload = _workbook(
        [
            ["ba-imp", coop.village_id, "2026-07-01"],
            ["nobody", other_coop.village_id, None],
            ["ba-imp", "64.02.99.9999", None],
            ["ba-imp", coop.village_id, None],
            ["ba-imp", "bukan-kode", "kemarin"],
        ]
    )
    response = client.post("/pendampingan/penugasan/impor/", {"berkas": upload, "aksi": "cek"})
    preview = response.context["preview"]
    assert not preview.ok
    assert [r.line for r in preview.error_rows] == [3, 4, 5, 6]
    assert not Assignment.objects.filter(mentor=ba).exists()
    # A commit with an unknown token does nothing.
    response = client.post("/pendampingan/penugasan/impor/", {"aksi": "impor", "token": "x"})
    assert response.status_code == 404 and not Assignment.objects.filter(mentor=ba).exists()


def test_caseload_import_commits_every_row(client, admin_user, make_mentor, coop, other_coop):
    ba = make_mentor("64.02", username="ba-imp")
    client.force_login(admin_user)
    upload = _workbook(
        [["ba-imp", coop.village_id, "01/07/2026"], ["ba-imp", other_coop.village_id]]
    )
    response = client.post("/pendampingan/penugasan/impor/", {"berkas": upload, "aksi": "cek"})
    assert response.context["preview"].ok
    assert not Assignment.objects.filter(mentor=ba).exists()
    token = response.context["job"].token  # the checked file waits server-side
    response = client.post("/pendampingan/penugasan/impor/", {"aksi": "impor", "token": token})
    assert response.status_code == 302
    assigned = Assignment.objects.filter(mentor=ba).order_by("cooperative__village_id")
    assert [a.cooperative for a in assigned] == [other_coop, coop]
    assert str(assigned.get(cooperative=coop).started_on) == "2026-07-01"


def test_caseload_import_refuses_a_file_that_is_neither_xlsx_nor_csv(client, admin_user):
    client.force_login(admin_user)
    fake = SimpleUploadedFile("penugasan.xlsx", b"%PDF-1.4\x00\x01\x02 not a table")
    response = client.post("/pendampingan/penugasan/impor/", {"berkas": fake, "aksi": "cek"})
    assert response.context["preview"].file_errors


def test_a_camat_cannot_import_a_cooperative_of_another_kecamatan(
    client, make_user, make_mentor, other_coop
):
    make_mentor("64.02.06", username="ba-imp")
    client.force_login(make_user(Role.CAMAT, "64.02.06"))
    response = client.post(
        "/pendampingan/penugasan/impor/",
        {"berkas": _workbook([["ba-imp", other_coop.village_id, None]]), "aksi": "cek"},
    )
    assert response.context["preview"].error_rows[0].line == 2
    assert not Assignment.objects.exists()
