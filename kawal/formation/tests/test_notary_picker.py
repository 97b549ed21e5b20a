"""The deed step picks its notary by search (never a list of the national register), and the
step import names a notary by name and seat."""

import datetime

from kawal.cooperatives.tests.conftest import xlsx
from kawal.formation.models import Notary, StepRecord


def many_notaries(count=60):
    Notary.objects.bulk_create(
        [
            Notary(
                name=f"Notaris Nomor {i}",
                seat="Tenggarong" if i % 2 else "Kota Medan",
                province_code="64" if i % 2 else "12",
            )
            for i in range(count)
        ]
    )


def test_the_deed_form_renders_a_search_not_a_select(client, admin_user, coop, notary):
    many_notaries()
    client.force_login(admin_user)
    page = client.get(f"/pembentukan/koperasi/{coop.pk}/tahap/akta/").content.decode()
    assert 'hx-get="/pembentukan/notaris/cari/"' in page
    assert "<select" not in page or "Notaris Nomor" not in page
    assert page.count("Notaris Nomor") == 0


def test_search_is_limited_to_the_province_unless_asked(client, admin_user):
    many_notaries()
    client.force_login(admin_user)
    local = client.get("/pembentukan/notaris/cari/", {"q": "nomor", "provinsi": "64"})
    body = local.content.decode()
    assert "Tenggarong" in body and "Kota Medan" not in body
    assert body.count('type="radio"') == 20  # a page of matches, never the whole register
    everywhere = client.get("/pembentukan/notaris/cari/", {"q": "nomor 2", "semua": "1"})
    assert "Kota Medan" in everywhere.content.decode()


def test_saving_the_deed_with_a_picked_notary(client, admin_user, coop, notary):
    from kawal.formation import services

    for step, day in (("musdesus", 1), ("rapat_pendirian", 2), ("reservasi_nama", 3)):
        services.step_update(
            actor=admin_user,
            cooperative=coop,
            step=step,
            status="selesai",
            completed_on=datetime.date(2025, 5, day),
        )
    client.force_login(admin_user)
    response = client.post(
        f"/pembentukan/koperasi/{coop.pk}/tahap/akta/",
        {
            "status": "selesai",
            "completed_on": "2025-05-10",
            "document_number": "7",
            "notary": notary.pk,
            "version": 0,
        },
    )
    assert response.status_code == 302
    assert StepRecord.objects.get(cooperative=coop, step="akta").notary == notary


HEADER = (
    "kode_desa",
    "musdesus_date",
    "meeting_date",
    "reservasi_nama_date",
    "akta_number",
    "akta_date",
    "npak_name",
    "npak_seat",
)


def step_file(name, seat=""):
    return xlsx(
        HEADER,
        [
            (
                "64.02.06.1001",
                "2025-05-01",
                "2025-05-02",
                "2025-05-03",
                "9",
                "2025-05-10",
                name,
                seat,
            )
        ],
    )


def test_an_ambiguous_notary_name_is_a_row_error_with_the_candidates(client, admin_user, coop):
    Notary.objects.create(name="Sama Nama, S.H.", seat="Tenggarong", province_code="64")
    Notary.objects.create(name="Sama Nama, S.H.", seat="Kota Samarinda", province_code="64")
    client.force_login(admin_user)
    response = client.post(
        "/pembentukan/impor/",
        {"jenis": "tahapan", "aksi": "impor", "berkas": step_file("SAMA NAMA SH")},
    )
    errors = "; ".join(response.context["preview"].error_rows[0].errors)
    assert "Tenggarong" in errors and "Kota Samarinda" in errors
    assert not StepRecord.objects.filter(step="akta").exists()


def test_the_seat_tells_two_notaries_of_one_name_apart(client, admin_user, coop):
    Notary.objects.create(name="Sama Nama, S.H.", seat="Tenggarong", province_code="64")
    wanted = Notary.objects.create(
        name="Sama Nama, S.H.", seat="Kota Samarinda", province_code="64"
    )
    client.force_login(admin_user)
    response = client.post(
        "/pembentukan/impor/",
        {"jenis": "tahapan", "aksi": "impor", "berkas": step_file("Sama Nama", "KOTA SAMARINDA")},
    )
    assert response.status_code == 302
    assert StepRecord.objects.get(step="akta").notary == wanted
