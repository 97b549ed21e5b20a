"""Pages: the holds-back table, the cooperative section and home panel, phone forms, scope."""

import datetime

import pytest

from kawal.cooperatives.models import Outlet
from kawal.core.scope import Role
from kawal.followups.models import FollowUp
from kawal.operations import services
from kawal.operations.models import OutletEvent, Stage

from .conftest import MUARA_BADAK, TENGGARONG

D = datetime.date


def _world(legal_coop, make_outlet, partner, admin_user):
    """Tenggarong: one without land, one waiting on Bulog; Muara Badak: one building."""
    no_land = legal_coop(TENGGARONG)
    make_outlet(no_land)
    waiting = legal_coop("64.02.06.1002")
    make_outlet(waiting, land_area_m2=1500, land_ownership="desa")
    services.partnership_create(
        actor=admin_user,
        cooperative=waiting,
        partner=partner(),
        covers="beras",
        started_on=D(2025, 9, 1),
    )
    building = legal_coop(MUARA_BADAK)
    make_outlet(building, status="pembangunan", progress_pct=40, land_area_m2=1200)
    legal_coop("64.02.06.1003", plan=False)  # no business plan
    return no_land, waiting, building


@pytest.mark.django_db
def test_each_kmp_gets_one_cause_and_the_table_sorts_by_cause_or_kecamatan(
    legal_coop, make_outlet, partner, admin_user, client, django_assert_max_num_queries
):
    no_land, waiting, building = _world(legal_coop, make_outlet, partner, admin_user)
    client.force_login(admin_user)

    with django_assert_max_num_queries(14):
        page = client.get("/operasional/")
    causes = [(row.pk, row.cause) for row, _line in page.context["rows"]]
    assert causes[0][1] == "no_plan"
    assert (no_land.pk, "no_land") in causes
    assert (waiting.pk, "partnership") in causes
    assert (building.pk, "building") in causes

    by_district = client.get("/operasional/?urut=kecamatan")
    assert [r.village.district_code for r, _l in by_district.context["rows"]] == sorted(
        r.village.district_code for r, _l in by_district.context["rows"]
    )
    only = client.get("/operasional/?sebab=partnership")
    assert [r.pk for r, _l in only.context["rows"]] == [waiting.pk]


@pytest.mark.django_db
def test_the_table_query_count_does_not_grow_with_the_number_of_kmp(
    legal_coop, make_outlet, partner, admin_user, client, django_assert_max_num_queries
):
    _world(legal_coop, make_outlet, partner, admin_user)
    for village in ("64.02.06.1004", "64.02.06.1005", "64.02.06.1006", "64.02.06.1007"):
        make_outlet(legal_coop(village))
    client.force_login(admin_user)
    for url in ("/operasional/", "/operasional/portofolio/", "/operasional/pinjaman/"):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/operasional/kemitraan/").status_code == 200


@pytest.mark.django_db
def test_htmx_gets_only_the_table(legal_coop, make_outlet, partner, admin_user, client):
    _world(legal_coop, make_outlet, partner, admin_user)
    client.force_login(admin_user)

    full = client.get("/operasional/")
    partial = client.get("/operasional/?sebab=no_land", HTTP_HX_REQUEST="true")

    assert b"<html" in full.content
    assert b"<html" not in partial.content
    assert b"<table" in partial.content


@pytest.mark.django_db
def test_a_camat_sees_only_its_kecamatan(
    legal_coop, make_outlet, partner, admin_user, make_user, client
):
    no_land, waiting, building = _world(legal_coop, make_outlet, partner, admin_user)
    camat = make_user(Role.CAMAT, "64.02.05")  # Muara Badak
    client.force_login(camat)

    rows = [row.pk for row, _l in client.get("/operasional/").context["rows"]]
    assert rows == [building.pk]
    assert client.get(f"/operasional/koperasi/{no_land.pk}/").status_code == 404
    assert client.get(f"/operasional/koperasi/{building.pk}/").status_code == 200
    partnership = waiting.partnerships.get()
    assert client.get(f"/operasional/kemitraan/{partnership.pk}/").status_code == 404
    # The camat's home page carries the panel with its own numbers.
    home = client.get("/")
    assert "operations/panel_home.html" in [t.name for t in home.templates]
    assert b"/operasional/?sebab=building" in home.content


@pytest.mark.django_db
def test_the_cooperative_page_shows_what_holds_it_back(
    legal_coop, make_outlet, partner, admin_user, client
):
    _no_land, waiting, _building = _world(legal_coop, make_outlet, partner, admin_user)
    client.force_login(admin_user)

    page = client.get(f"/koperasi/{waiting.pk}/")
    line = client.get(f"/operasional/koperasi/{waiting.pk}/baris/", HTTP_HX_REQUEST="true")

    assert "operations/section_cooperative.html" in [t.name for t in page.templates]
    assert f"/operasional/koperasi/{waiting.pk}/baris/".encode() in page.content
    assert b"Perum Bulog" in line.content
    assert b"<html" not in line.content


@pytest.mark.django_db
def test_a_pengurus_updates_its_outlet_stage_with_a_photo_from_the_phone_page(
    legal_coop, make_outlet, make_user, client, photo
):
    coop = legal_coop(MUARA_BADAK)
    outlet = make_outlet(coop)
    pengurus = make_user(Role.PENGURUS, MUARA_BADAK)
    client.force_login(pengurus)

    response = client.post(
        f"/operasional/gerai/{outlet.pk}/",
        {
            "stage": Stage.LAND,
            "happened_on": "2025-09-01",
            "land_area_m2": "1100",
            "land_status": "aset_desa",
            "photo": photo(),
        },
    )

    assert response.status_code == 302
    outlet.refresh_from_db()
    assert outlet.status == Outlet.Status.PERSIAPAN
    event = OutletEvent.objects.get(outlet=outlet)
    assert event.photo and event.recorded_by == pengurus
    assert client.get(f"/operasional/tahap/{event.pk}/foto/").status_code == 200


@pytest.mark.django_db
def test_an_invalid_step_shows_a_message_and_saves_nothing(
    legal_coop, make_outlet, make_user, client
):
    outlet = make_outlet(legal_coop(MUARA_BADAK))
    client.force_login(make_user(Role.PENGURUS, MUARA_BADAK))

    response = client.post(
        f"/operasional/gerai/{outlet.pk}/",
        {"stage": Stage.LAND, "happened_on": "2099-01-01", "land_status": "aset_desa"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not OutletEvent.objects.exists()


@pytest.mark.django_db
def test_a_cause_spawns_a_follow_up_linked_to_its_record(
    legal_coop, make_outlet, partner, admin_user, make_agency, client
):
    _no_land, waiting, _building = _world(legal_coop, make_outlet, partner, admin_user)
    agency = make_agency("dpmd")
    partnership = waiting.partnerships.get()
    client.force_login(admin_user)

    response = client.post(
        f"/operasional/tindak-lanjut/kemitraan/{partnership.pk}/",
        {
            "title": "Dorong verifikasi gudang Bulog",
            "owner_agency": agency.pk,
            "due_date": "2026-12-31",
        },
    )

    assert response.status_code == 302
    followup = FollowUp.objects.get()
    assert followup.source_id == partnership.pk
    assert followup.cooperative_id == waiting.pk
    assert followup.region_id == waiting.village_id


def _causes(user) -> dict:
    from kawal.operations import selectors

    return {row.pk: row.cause for row in selectors.attach_details(selectors.holds_back(user=user))}


@pytest.mark.django_db
def test_land_without_construction_and_an_equipped_outlet_have_their_own_causes(
    legal_coop, make_outlet, admin_user, train_officers, close_batch
):
    # Both KMP have trained officers: "officers not trained" (checked before these two causes,
    # since training registers its fact) does not hide them.
    idle = legal_coop(TENGGARONG)
    make_outlet(idle, land_area_m2=1500, land_ownership="desa")
    ready = legal_coop(MUARA_BADAK)
    outlet = make_outlet(ready)
    services.outlet_stage_record(
        actor=admin_user,
        outlet=outlet,
        stage=Stage.LAND,
        happened_on=D(2025, 8, 1),
        land_area_m2=1200,
        land_status="hibah",
    )
    services.outlet_stage_record(
        actor=admin_user,
        outlet=outlet,
        stage=Stage.BUILDING,
        happened_on=D(2025, 8, 20),
        builder="agrinas",
        progress_pct=50,
    )
    services.outlet_stage_record(
        actor=admin_user, outlet=outlet, stage=Stage.EQUIPPED, happened_on=D(2025, 9, 20)
    )

    close_batch(train_officers(idle))
    close_batch(train_officers(ready))

    assert _causes(admin_user) == {idle.pk: "not_built", ready.pk: "not_open"}


@pytest.mark.django_db
def test_officers_not_trained_fires_until_two_officers_complete_a_batch(
    legal_coop, make_outlet, admin_user, client, train_officers, close_batch
):
    # Given a KMP with land, nothing pending with a partner or a bank, and no trained officer
    coop = legal_coop(TENGGARONG)
    make_outlet(coop, land_area_m2=1500, land_ownership="desa")
    client.force_login(admin_user)

    # then officers not trained is what holds it back, linked to its training section
    assert _causes(admin_user) == {coop.pk: "untrained"}
    line = client.get(f"/operasional/koperasi/{coop.pk}/baris/", HTTP_HX_REQUEST="true")
    assert f'href="/koperasi/{coop.pk}/#pelatihan"'.encode() in line.content
    counts = client.get("/operasional/").context["counts"]
    assert dict((c.code, n) for c, n in counts["by_cause"])["untrained"] == 1
    checklist = client.get(f"/operasional/koperasi/{coop.pk}/").context["checklist"]
    assert {item["key"]: item["done"] for item in checklist}["trained"] is False

    # When two officers attend a batch that is not closed yet, nothing changes
    batch = train_officers(coop, n=2)
    assert _causes(admin_user) == {coop.pk: "untrained"}

    # when the batch is closed they have completed it, and the next cause shows
    close_batch(batch)
    assert _causes(admin_user) == {coop.pk: "not_built"}
    checklist = client.get(f"/operasional/koperasi/{coop.pk}/").context["checklist"]
    assert {item["key"]: item["done"] for item in checklist}["trained"] is True

    # and one of the two leaving the board brings the cause back
    from kawal.cooperatives.models import Officer

    leaving = Officer.objects.filter(cooperative=coop).order_by("pk").first()
    Officer.objects.filter(pk=leaving.pk).update(is_active=False)
    assert _causes(admin_user) == {coop.pk: "untrained"}
