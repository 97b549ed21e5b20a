"""Review fixes: stale saves, evidence removal, audit of instrument edits, province grants,
the regency's own Dinas Koperasi, areas named from the assessment's instrument, four eyes."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.readiness import selectors, services
from kawal.readiness.models import Assessment, Instrument, Item
from kawal.readiness.tests.conftest import DAY, TGR1, other_dinas, score_all_manual

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _submitted(actor, coop, value=75):
    a = services.assessment_create(actor=actor, cooperative=coop, assessed_on=DAY)
    score_all_manual(a, actor, value)
    services.assessment_submit(actor=actor, assessment=a)
    return a


@pytest.fixture
def berau(kukar):
    """A second regency of the province with one kecamatan and one desa."""
    from kawal.regions.models import Region

    regency = Region.objects.create(
        code="64.03",
        name="Kabupaten Berau",
        level=2,
        kind="kabupaten",
        parent_id="64",
        province_code="64",
        regency_code="64.03",
    )
    district = Region.objects.create(
        code="64.03.01",
        name="Kelay",
        level=3,
        kind="kecamatan",
        parent=regency,
        province_code="64",
        regency_code="64.03",
        district_code="64.03.01",
    )
    Region.objects.create(
        code="64.03.01.2001",
        name="Long Beliu",
        level=4,
        kind="desa",
        parent=district,
        province_code="64",
        regency_code="64.03",
        district_code="64.03.01",
    )
    return regency


# --- 3. stale saves ---------------------------------------------------------------------------


def test_a_stale_verify_is_refused_and_nothing_changes(client, admin_user, instrument, coop):
    # given a submitted assessment the verifier opened at version v
    a = _submitted(admin_user, coop, 0)
    verifier = other_dinas()
    client.force_login(verifier)
    page = client.get(f"/kesiapan/penilaian/{a.pk}/")
    opened = page.context["verify_form"].initial["version"]
    assert f'name="version" value="{opened}"' in page.content.decode()
    # when the assessor meanwhile has it returned and submits it again
    services.assessment_return(actor=verifier, assessment=a, reason="cek lagi")
    a.refresh_from_db()
    services.assessment_submit(actor=admin_user, assessment=a, expected_version=a.version)
    # then verifying from the page read before is refused, with the stale message
    r = client.post(f"/kesiapan/penilaian/{a.pk}/verifikasi/", {"version": opened}, follow=True)
    assert "changed by someone else" in r.content.decode() or "diubah" in r.content.decode()
    a.refresh_from_db()
    assert a.status == "submitted" and a.verified_by is None
    assert not AuditEvent.objects.filter(action="assessment_verify").exists()
    # a form without a version is refused the same way
    client.post(f"/kesiapan/penilaian/{a.pk}/verifikasi/", {})
    a.refresh_from_db()
    assert a.status == "submitted"


def test_stale_versions_are_refused_by_every_assessment_service(
    admin_user, instrument, coop, dinas_agency
):
    a = services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    row = a.scores.filter(item__method="manual").first()
    old = a.version
    services.item_score_save(
        actor=admin_user, assessment=a, item_score=row, score=50, expected_version=old
    )
    for call in (
        lambda: services.item_score_save(
            actor=admin_user, assessment=a, item_score=row, score=75, expected_version=old
        ),
        lambda: services.assessment_refresh_auto(
            actor=admin_user, assessment=a, expected_version=old
        ),
        lambda: services.assessment_submit(actor=admin_user, assessment=a, expected_version=old),
    ):
        with pytest.raises(ValidationError) as error:
            call()
        assert error.value.code == "stale"
        a.refresh_from_db()
    row.refresh_from_db()
    assert row.score == 50
    score_all_manual(a, admin_user)
    services.assessment_submit(actor=admin_user, assessment=a)
    a.refresh_from_db()
    verifier = other_dinas()
    with pytest.raises(ValidationError):
        services.assessment_return(
            actor=verifier, assessment=a, reason="x", expected_version=a.version - 1
        )
    with pytest.raises(ValidationError):
        services.assessment_verify(actor=verifier, assessment=a, expected_version=a.version - 1)
    a.refresh_from_db()
    assert a.status == "submitted"


def test_a_stale_item_score_form_is_refused_over_http(client, instrument, coop, pendamping):
    client.force_login(pendamping)
    client.post(f"/kesiapan/koperasi/{coop.pk}/nilai/", {"assessed_on": "2025-10-01"})
    a = Assessment.objects.get()
    first, second = a.scores.filter(item__method="manual")[:2]
    opened = a.version
    url = f"/kesiapan/penilaian/{a.pk}/butir/"
    assert (
        client.post(
            f"{url}{first.pk}/", {f"s{first.pk}-score": "50", f"s{first.pk}-version": opened}
        ).status_code
        == 302
    )
    # the second form still carries the version read before the first save (no htmx)
    r = client.post(
        f"{url}{second.pk}/", {f"s{second.pk}-score": "75", f"s{second.pk}-version": opened}
    )
    assert r.status_code == 400
    second.refresh_from_db()
    assert second.score is None
    # and a form without any version says why, in words
    r = client.post(f"{url}{second.pk}/", {f"s{second.pk}-score": "75"})
    assert r.status_code == 400
    assert r.context["sections"]  # the page again, with the row's error
    row = next(x for s in r.context["sections"] for x in s["rows"] if x.pk == second.pk)
    assert row.form.non_field_errors()


# --- 4. clearing the evidence ------------------------------------------------------------------


def test_ticking_clear_removes_the_evidence(client, instrument, coop, pendamping):
    client.force_login(pendamping)
    client.post(f"/kesiapan/koperasi/{coop.pk}/nilai/", {"assessed_on": "2025-10-01"})
    a = Assessment.objects.get()
    row = a.scores.filter(item__method="manual").first()
    url = f"/kesiapan/penilaian/{a.pk}/butir/{row.pk}/"
    photo = SimpleUploadedFile("bukti.png", PNG, content_type="image/png")
    r = client.post(
        url, {f"s{row.pk}-score": "75", f"s{row.pk}-evidence": photo, f"s{row.pk}-version": 1}
    )
    assert r.status_code == 302
    row.refresh_from_db()
    stored = row.evidence.name
    assert stored and row.evidence.storage.exists(stored)
    a.refresh_from_db()
    # when the assessor ticks "clear"
    r = client.post(
        url,
        {
            f"s{row.pk}-score": "75",
            f"s{row.pk}-evidence-clear": "on",
            f"s{row.pk}-version": a.version,
        },
    )
    # then the evidence is gone (no server error)
    assert r.status_code == 302
    row.refresh_from_db()
    assert not row.evidence and row.evidence_name == "" and row.score == 75
    assert client.get(f"/kesiapan/penilaian/{a.pk}/bukti/{row.pk}/").status_code == 404
    event = AuditEvent.objects.filter(action="item_score_save").latest("pk")
    assert event.changes["evidence"][1] in ("", None)


# --- 5. audit of instrument edits -------------------------------------------------------------


def test_area_and_item_edits_record_what_changed(client, admin_user, instrument):
    draft = services.instrument_new_version(actor=admin_user, instrument=instrument)
    area = draft.areas.order_by("order").first()
    item = area.items.order_by("order").first()
    client.force_login(admin_user)
    r = client.post(
        f"/kesiapan/instrumen/{draft.pk}/ubah/",
        {
            "what": "area",
            "area": area.pk,
            f"a{area.pk}-code": area.code,
            f"a{area.pk}-name": "Kelembagaan baru",
            f"a{area.pk}-weight": str(area.weight),
            f"a{area.pk}-order": str(area.order),
        },
    )
    assert r.status_code == 302
    event = AuditEvent.objects.filter(action="area_save").latest("pk")
    assert event.changes == {"name": [area.name, "Kelembagaan baru"]}
    r = client.post(
        f"/kesiapan/instrumen/{draft.pk}/ubah/",
        {
            "what": "item",
            "item": item.pk,
            f"i{item.pk}-code": item.code,
            f"i{item.pk}-text": item.text,
            f"i{item.pk}-evidence": item.evidence,
            f"i{item.pk}-weight": str(item.weight),
            f"i{item.pk}-method": item.method,
            f"i{item.pk}-resolver": item.resolver,
            f"i{item.pk}-order": "7",
        },
    )
    assert r.status_code == 302
    event = AuditEvent.objects.filter(action="item_save").latest("pk")
    assert event.changes == {"order": [item.order, 7]}


# --- 6. province grants ------------------------------------------------------------------------


def test_a_provincial_dinas_sees_its_regencies_instruments(
    client, make_user, instrument, berau, django_assert_max_num_queries
):
    province = make_user(Role.ADMIN_DINAS, "64", username="dinas-provinsi")
    assert list(selectors.instrument_list(user=province)) == [instrument]
    assert [r.code for r in selectors.regencies_without_instrument(user=province)] == ["64.03"]
    client.force_login(province)
    assert client.get(f"/kesiapan/instrumen/{instrument.pk}/").status_code == 200
    # it may start Berau's default instrument from the list
    r = client.post("/kesiapan/instrumen/bawaan/", {"region": "64.03"})
    assert r.status_code == 302
    assert Instrument.objects.filter(region_id="64.03", status="published").exists()
    # a camat still sees its own regency's instrument, and not Berau's
    camat = make_user(Role.CAMAT, "64.02.06", username="camat-t2")
    assert list(selectors.instrument_list(user=camat)) == [instrument]
    assert selectors.regencies_without_instrument(user=camat) == []


# --- 7. the regency's own Dinas Koperasi owns the gaps ----------------------------------------


def test_gaps_go_to_the_dinas_koperasi_of_the_cooperatives_regency(
    make_user, dinas_agency, berau, make_cooperative
):
    from kawal.accounts.models import Agency
    from kawal.followups.models import FollowUp

    assessor = make_user(Role.ADMIN_DINAS, "64.03", username="dinas-berau-1")
    verifier = make_user(Role.ADMIN_DINAS, "64.03", username="dinas-berau-2")
    services.instrument_create_default(actor=assessor, region_code="64.03")
    coop = make_cooperative("64.03.01.2001")
    a = _submitted(assessor, coop, 0)
    # without a Dinas Koperasi registered for Berau, Kukar's is never used
    with pytest.raises(ValidationError) as error:
        services.assessment_verify(actor=verifier, assessment=a)
    assert error.value.code == "no_agency" and "64.03" in error.value.messages[0]
    assert not FollowUp.objects.exists()
    berau_dinas = Agency.objects.create(
        code="diskopukm-berau",
        name="Dinas Koperasi Kabupaten Berau",
        short_name="Diskop Berau",
        region_id="64.03",
    )
    a.refresh_from_db()
    services.assessment_verify(actor=verifier, assessment=a)
    owners = set(FollowUp.objects.values_list("owner_agency_id", flat=True))
    assert owners == {berau_dinas.pk}


# --- 8. areas named from the assessment's own instrument --------------------------------------


def test_village_page_names_areas_from_the_assessments_instrument(
    client, admin_user, instrument, coop
):
    a = _submitted(admin_user, coop)
    old_names = {area.code: area.name for area in instrument.areas.all()}
    draft = services.instrument_new_version(actor=admin_user, instrument=instrument)
    for area in draft.areas.all():
        services.area_save(actor=admin_user, instrument=draft, area=area, name=f"Baru {area.name}")
    services.instrument_publish(actor=admin_user, instrument=draft)
    client.force_login(admin_user)
    page = client.get(f"/potensi/desa/{TGR1}/")
    assert page.context["latest"].pk == a.pk
    names = [name for name, _score in page.context["latest_areas"]]
    assert names and set(names) <= set(old_names.values())
    assert not any(n.startswith("Baru ") for n in names)


# --- 9. four eyes --------------------------------------------------------------------------------


def test_the_dinas_cannot_verify_its_own_assessment(client, admin_user, instrument, coop):
    a = _submitted(admin_user, coop)
    with pytest.raises(ValidationError) as error:
        services.assessment_verify(actor=admin_user, assessment=a)
    assert error.value.code == "four_eyes"
    client.force_login(admin_user)
    page = client.get(f"/kesiapan/penilaian/{a.pk}/")
    assert not page.context["may_verify"] and page.context["own_assessment"]
    a.refresh_from_db()
    r = client.post(f"/kesiapan/penilaian/{a.pk}/verifikasi/", {"version": a.version}, follow=True)
    assert r.status_code == 200
    a.refresh_from_db()
    assert a.status == "submitted" and a.verified_by is None


# --- 10. query ceilings on the instrument pages ----------------------------------------------


def test_instrument_pages_query_ceilings(
    client, admin_user, instrument, django_assert_max_num_queries
):
    # given 30 retired versions and a draft with 30 more items
    Instrument.objects.bulk_create(
        Instrument(region_id="64.02", version=n, title=f"Versi {n}", status="retired")
        for n in range(2, 32)
    )
    draft = services.instrument_new_version(actor=admin_user, instrument=instrument)
    area = draft.areas.first()
    Item.objects.bulk_create(
        Item(area=area, code=f"x{n}", text=f"Butir {n}", weight=1, order=50 + n) for n in range(30)
    )
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        page = client.get("/kesiapan/instrumen/")
    assert page.status_code == 200 and len(page.context["instruments"]) == 32
    with django_assert_max_num_queries(20):
        page = client.get(f"/kesiapan/instrumen/{draft.pk}/")
    assert page.status_code == 200 and page.context["may_edit"]
    assert sum(len(a.item_rows) for a in page.context["areas"]) > 30
