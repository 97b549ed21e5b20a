"""Rows an import cannot place wait in the review queue; one pick places them for good."""

from kawal.cooperatives.models import Cooperative
from kawal.cooperatives.tests.conftest import xlsx
from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.regions.models import Crosswalk, ReviewItem

HEADER = ("Provinsi", "Kabupaten/Kota", "desa_kelurahan", "nama_koperasi", "villageId", "Catatan")


def post(client, rows, action="cek", header=HEADER):
    upload = xlsx(header, rows)
    return client.post("/koperasi/impor/", {"jenis": "koperasi", "aksi": action, "berkas": upload})


def test_a_repeated_village_name_without_kecamatan_waits_in_the_queue(client, admin_user):
    client.force_login(admin_user)
    rows = [("KALIMANTAN TIMUR", "KAB. KUTAI KARTANEGARA", "DESA BUKIT RAYA", "KDMP", "V-1", "x")]
    preview = post(client, rows).context["preview"]
    assert not preview.ok
    assert "Bukit Raya" in "; ".join(preview.error_rows[0].errors)
    item = ReviewItem.objects.get()
    assert {code for code, _label in item.candidates} == {"64.02.13.2016", "64.02.16.2002"}
    assert not Cooperative.objects.exists()


def test_unknown_columns_are_listed_as_a_warning(client, admin_user):
    client.force_login(admin_user)
    rows = [("Kalimantan Timur", "Kutai Kartanegara", "Bukit Raya", "KDMP", "V-1", "x")]
    preview = post(client, rows).context["preview"]
    assert any("Catatan" in w for w in preview.warnings)


def test_one_click_remembers_the_pick_and_the_rerun_places_the_row(client, admin_user):
    client.force_login(admin_user)
    rows = [("Kalimantan Timur", "Kutai Kartanegara", "Bukit Raya", "KDMP Bukit Raya", "V-1", "")]
    post(client, rows)
    item = ReviewItem.objects.get()
    response = client.post(
        f"/wilayah/antrean/{item.pk}/pilih/", {"kode": "64.02.16.2002"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # the row partial only
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.RESOLVED
    assert Crosswalk.objects.filter(source="simkopdes", external_id="V-1").get().region_id == (
        "64.02.16.2002"
    )
    assert AuditEvent.objects.filter(action="review.resolve").count() == 1
    response = post(client, rows, action="impor")
    assert response.status_code == 302, response.context["preview"].error_rows[0].errors
    assert Cooperative.objects.get().village_id == "64.02.16.2002"


def test_a_pick_outside_the_candidates_is_refused(client, admin_user):
    client.force_login(admin_user)
    post(client, [("Kalimantan Timur", "Kutai Kartanegara", "Bukit Raya", "K", "", "")])
    item = ReviewItem.objects.get()
    client.post(f"/wilayah/antrean/{item.pk}/pilih/", {"kode": "64.02.06.1001"})
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN
    assert not Crosswalk.objects.exists()


def test_the_queue_page_full_and_its_query_ceiling(
    client, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    post(client, [("Kalimantan Timur", "Kutai Kartanegara", "Bukit Raya", "K", "", "")])
    post(client, [("Kalimantan Timur", "Kutai Kartanegara", "Sumber Sari", "K", "", "")])
    with django_assert_max_num_queries(12):
        response = client.get("/wilayah/antrean/")
    page = response.content.decode()
    assert "<html" in page and "Bukit Raya" in page and "Sumber Sari" in page


def test_queue_items_of_one_kecamatan_are_not_seen_from_another(client, make_user):
    from kawal.regions.reconcile import AMBIGUOUS, Match
    from kawal.regions.services import review_item_put

    review_item_put(
        source="cooperatives",
        match=Match(None, AMBIGUOUS, (("64.02.13.2016", "Bukit Raya"),), "two", "64.02.13|4|x"),
        given={"desa": "Bukit Raya"},
        scope_code="64.02.13",
    )
    item = ReviewItem.objects.get()
    camat = make_user(Role.CAMAT, "64.02.06")
    client.force_login(camat)
    assert "Bukit Raya" not in client.get("/wilayah/antrean/").content.decode()
    assert (
        client.post(f"/wilayah/antrean/{item.pk}/pilih/", {"kode": "64.02.13.2016"}).status_code
        == 404
    )
    own = make_user(Role.CAMAT, "64.02.13")
    client.force_login(own)
    assert "Bukit Raya" in client.get("/wilayah/antrean/").content.decode()


def test_a_code_that_disagrees_with_the_names_is_a_row_error(client, admin_user):
    client.force_login(admin_user)
    header = ("kode_desa", "kecamatan", "desa", "name")
    rows = [("6402061001", "Tenggarong", "Rapak Lambur", "K")]
    preview = post(client, rows, header=header).context["preview"]
    assert "Rapak Lambur" in "; ".join(preview.error_rows[0].errors)
    assert not ReviewItem.objects.exists()  # a conflict is the file's to fix


def test_an_old_code_is_imported_on_the_new_code(client, admin_user):
    client.force_login(admin_user)
    header = ("kode_desa", "name")
    response = post(client, [("64.02.08.2001", "KDMP Kedang Ipil")], action="impor", header=header)
    assert response.status_code == 302
    assert Cooperative.objects.get().village_id == "64.02.19.2001"
