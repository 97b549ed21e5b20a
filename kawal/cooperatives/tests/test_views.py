import io

import openpyxl
import pytest

from kawal.cooperatives import selectors
from kawal.cooperatives.models import Cooperative
from kawal.cooperatives.tests.conftest import add_board
from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.regions.models import Region


@pytest.fixture
def two_regions(make_cooperative):
    return (
        make_cooperative("64.02.06.1001", name="Koperasi Kelurahan Merah Putih Jahab"),
        make_cooperative("64.02.05.2006", name="Koperasi Desa Merah Putih Tanah Datar"),
    )


@pytest.fixture
def all_kukar(admin_user):
    """A cooperative with a board in every one of Kukar's 237 villages."""
    villages = Region.objects.filter(regency_code="64.02", level=4).select_related("parent")
    cooperatives = Cooperative.objects.bulk_create(
        [Cooperative(village=v, name=f"Koperasi Desa Merah Putih {v.name}") for v in villages]
    )
    for cooperative in cooperatives[:5]:
        add_board(admin_user, cooperative)
    return cooperatives


def test_camat_sees_only_its_kecamatan(client, camat, two_regions):
    inside, outside = two_regions
    client.force_login(camat)
    page = client.get("/koperasi/")
    names = [row.name for row in page.context["rows"]]
    assert names == [inside.name]
    assert client.get(f"/koperasi/{inside.pk}/").status_code == 200
    assert client.get(f"/koperasi/{outside.pk}/").status_code == 404
    assert client.get(f"/koperasi/{outside.pk}/ubah/").status_code == 404


def test_pengurus_sees_and_edits_only_its_own_cooperative(client, make_user, two_regions):
    inside, outside = two_regions
    pengurus = make_user(Role.PENGURUS, outside.village_id)
    client.force_login(pengurus)
    assert [r.pk for r in client.get("/koperasi/").context["rows"]] == [outside.pk]
    assert client.get(f"/koperasi/{inside.pk}/").status_code == 404
    response = client.post(
        f"/koperasi/{outside.pk}/ubah/",
        {
            "name": outside.name,
            "scheme": "pendirian_baru",
            "business_type": "konsumen",
            "simpanan_pokok": 100000,
            "simpanan_wajib": 10000,
            "hibah": 0,
            "members_male": 20,
            "members_female": 25,
            "version": 1,
        },
    )
    assert response.status_code == 302
    assert Cooperative.objects.get(pk=outside.pk).members_female == 25


def test_read_only_role_gets_403_on_edit_pages(client, pimpinan, two_regions):
    client.force_login(pimpinan)
    inside, _ = two_regions
    assert client.get(f"/koperasi/{inside.pk}/").status_code == 200
    assert client.get(f"/koperasi/{inside.pk}/ubah/").status_code == 403
    assert client.get(f"/koperasi/{inside.pk}/pengurus/tambah/").status_code == 403


def test_htmx_request_gets_only_the_rows(client, admin_user, two_regions):
    client.force_login(admin_user)
    full = client.get("/koperasi/?q=Jahab")
    partial = client.get("/koperasi/?q=Jahab", HTTP_HX_REQUEST="true")
    assert b"<html" in full.content and b"<html" not in partial.content
    assert b"Jahab" in partial.content and b"Tanah Datar" not in partial.content


def test_list_query_count_is_flat(client, admin_user, all_kukar, django_assert_max_num_queries):
    import datetime

    from django.utils import timezone

    from kawal.formation import services as formation
    from kawal.formation.models import StepRecord

    # given a musdesus target that has passed, met by all but 30 cooperatives (Tenggarong's
    # among the late ones)
    formation.target_set(
        actor=admin_user,
        scheme="pendirian_baru",
        step="musdesus",
        due_date=timezone.localdate() - datetime.timedelta(days=5),
    )
    ordered = sorted(all_kukar, key=lambda c: (not c.village_id.startswith("64.02.06."), c.pk))
    late, on_time = ordered[:30], ordered[30:]
    StepRecord.objects.bulk_create(
        [
            StepRecord(
                cooperative=c,
                step="musdesus",
                status="selesai",
                started_on=datetime.date(2025, 5, 1),
                completed_on=datetime.date(2025, 5, 1),
            )
            for c in on_time
        ]
    )
    tenggarong_late = sum(1 for c in late if c.village_id.startswith("64.02.06."))
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        page = client.get("/koperasi/")
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 237
    with django_assert_max_num_queries(20):
        overdue = client.get("/koperasi/?terlambat=ya")
    assert overdue.context["page"].paginator.count == 30
    with django_assert_max_num_queries(20):
        filtered = client.get(
            "/koperasi/?peringatan=ada&kecamatan=64.02.06&terlambat=ya&macet=tidak"
        )
    assert filtered.status_code == 200
    warned = {c.pk for c in filtered.context["page"].object_list}
    assert 0 < len(warned) <= tenggarong_late
    assert warned <= {c.pk for c in late}


def test_warning_filter_agrees_with_the_rules_on_every_cooperative(client, admin_user, all_kukar):
    client.force_login(admin_user)
    clean = client.get("/koperasi/?peringatan=tidak").context["page"].paginator.count
    warned = client.get("/koperasi/?peringatan=ada").context["page"].paginator.count
    everyone = list(Cooperative.objects.select_related("village__parent"))
    selectors.attach_warnings(everyone)
    assert clean == sum(1 for c in everyone if c.warning_count == 0) > 0
    assert clean + warned == 237


def test_detail_shows_warnings_masked_nik_and_history(client, admin_user, coop):
    officers = add_board(admin_user, coop, pengurus=4)
    client.force_login(admin_user)
    page = client.get(f"/koperasi/{coop.pk}/")
    content = page.content.decode()
    assert "pengurus_even" not in content  # messages, not codes
    assert officers[0].nik not in content
    assert "6402********0001" in content
    events = list(page.context["events"])
    created = [e for e in events if e.action == "officer_create"]
    assert len(created) == len(officers)
    assert {e.object_id for e in created} == {str(o.pk) for o in officers}
    # the history masks the NIK of the officers it shows
    assert all(e.changes["nik"][1] != officers[0].nik for e in created)


def test_officer_form_rejects_a_malformed_nik_with_a_message(client, admin_user, coop):
    client.force_login(admin_user)
    response = client.post(
        f"/koperasi/{coop.pk}/pengurus/tambah/",
        {"body": "pengurus", "position": "ketua", "name": "Budi", "sex": "L", "nik": "12345"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["nik"]
    assert not coop.officers.exists()


def test_officer_edit_keeps_the_nik_when_left_empty(client, admin_user, coop):
    officer = add_board(admin_user, coop)[0]
    client.force_login(admin_user)
    form = client.get(f"/koperasi/pengurus/{officer.pk}/ubah/")
    assert officer.nik not in form.content.decode()
    response = client.post(
        f"/koperasi/pengurus/{officer.pk}/ubah/",
        {
            "body": "pengurus",
            "position": "ketua",
            "name": "Nama Baru",
            "sex": officer.sex,
            "nik": "",
            "is_active": "on",
            "version": officer.version,
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.name == "Nama Baru" and officer.nik
    assert AuditEvent.objects.filter(action="officer_update", object_id=str(officer.pk)).exists()


def test_export_streams_the_filtered_list_inside_the_scope(client, camat, two_regions):
    client.force_login(camat)
    response = client.get("/koperasi/ekspor.xlsx")
    assert response.streaming
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "kode_desa" and "sk_number" in rows[0]
    assert [r[0] for r in rows[1:]] == ["64.02.06.1001"]


def test_register_a_cooperative_with_the_suggested_name(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/koperasi/tambah/").status_code == 200
    response = client.post(
        "/koperasi/tambah/", {"village_code": "64.02.02.2014", "scheme": "pendirian_baru"}
    )
    assert response.status_code == 302
    created = Cooperative.objects.get(village_id="64.02.02.2014")
    assert created.name == "Koperasi Desa Merah Putih Sumber Sari Kecamatan Loa Kulu"
    again = client.post(
        "/koperasi/tambah/", {"village_code": "64.02.02.2014", "scheme": "pendirian_baru"}
    )
    assert again.status_code == 200 and again.context["form"].errors["village_code"]
    unknown = client.post(
        "/koperasi/tambah/", {"village_code": "64.02.99.9999", "scheme": "pendirian_baru"}
    )
    assert unknown.context["form"].errors["village_code"]
    assert Cooperative.objects.count() == 1


def test_camat_cannot_register_outside_its_kecamatan(client, camat):
    client.force_login(camat)
    response = client.post(
        "/koperasi/tambah/", {"village_code": "64.02.05.2006", "scheme": "pendirian_baru"}
    )
    assert response.context["form"].errors["village_code"]
    assert not Cooperative.objects.exists()


def test_htmx_rows_carry_the_export_link_of_the_filter(client, admin_user, two_regions):
    client.force_login(admin_user)
    partial = client.get("/koperasi/?kecamatan=64.02.06", HTTP_HX_REQUEST="true")
    assert b"/koperasi/ekspor.xlsx?kecamatan=64.02.06" in partial.content
