"""Assessment workflow (draft → submitted → verified), follow-ups for gaps, scope and versions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.readiness import services
from kawal.readiness.models import Area, Assessment, Instrument, Item
from kawal.readiness.tests.conftest import BADAK, DAY, TGR2, other_dinas, score_all_manual


def test_pendamping_assesses_and_dinas_verifies_gaps_become_followups(
    admin_user, instrument, coop, pendamping, dinas_agency
):
    from kawal.followups.models import FollowUp

    # given an assigned pendamping who scores every manual item 25
    assessment = services.assessment_create(actor=pendamping, cooperative=coop, assessed_on=DAY)
    score_all_manual(assessment, pendamping, 25)
    services.assessment_submit(actor=pendamping, assessment=assessment)
    assert AuditEvent.objects.filter(
        action="assessment_submit", object_id=str(assessment.pk), actor=pendamping
    ).exists()
    # the pendamping may not verify
    with pytest.raises(PermissionDenied):
        services.assessment_verify(actor=pendamping, assessment=assessment)
    # when the Dinas verifies
    services.assessment_verify(actor=admin_user, assessment=assessment)
    assessment.refresh_from_db()
    # then it is verified, audited, and every item below 50 is a follow-up of the Dinas
    assert assessment.status == "verified" and assessment.verified_by == admin_user
    assert AuditEvent.objects.filter(
        action="assessment_verify", region_code=coop.village_id
    ).exists()
    gaps = assessment.scores.filter(score__lt=50)
    followups = FollowUp.objects.filter(cooperative=coop)
    assert followups.count() == gaps.count() > 0
    first = followups.first()
    assert first.owner_agency == dinas_agency
    assert first.owner_user == pendamping
    assert first.region_id == coop.village_id
    assert first.source in list(gaps)
    assert first.source_kind == "assessment"
    assert first.due_date > DAY
    from kawal.readiness.selectors import assessment_followups

    assert set(assessment_followups(assessment)) == set(followups)


def test_verify_without_the_dinas_agency_changes_nothing(admin_user, instrument, coop):
    assessment = services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    score_all_manual(assessment, admin_user, 0)
    services.assessment_submit(actor=admin_user, assessment=assessment)
    with pytest.raises(ValidationError) as error:
        services.assessment_verify(actor=other_dinas(), assessment=assessment)
    assert error.value.code == "no_agency"
    assessment.refresh_from_db()
    assert assessment.status == "submitted"  # rolled back with the failed follow-ups


def test_return_sends_back_to_draft_with_reason(admin_user, instrument, coop, pendamping):
    assessment = services.assessment_create(actor=pendamping, cooperative=coop, assessed_on=DAY)
    score_all_manual(assessment, pendamping)
    services.assessment_submit(actor=pendamping, assessment=assessment)
    with pytest.raises(ValidationError):
        services.assessment_return(actor=admin_user, assessment=assessment, reason=" ")
    services.assessment_return(
        actor=admin_user, assessment=assessment, reason="Bukti AD/ART kurang"
    )
    assessment.refresh_from_db()
    assert assessment.status == "draft" and assessment.return_reason == "Bukti AD/ART kurang"


def test_assessment_outside_the_assessors_scope_is_refused(
    make_user, make_cooperative, instrument, pendamping
):
    # a cooperative in another kecamatan: not even visible → 404
    far = make_cooperative(BADAK)
    with pytest.raises(Http404):
        services.assessment_create(actor=pendamping, cooperative=far, assessed_on=DAY)
    # a cooperative of the same kecamatan but not assigned: visible, not editable → 403
    near = make_cooperative(TGR2)
    with pytest.raises(PermissionDenied):
        services.assessment_create(actor=pendamping, cooperative=near, assessed_on=DAY)
    assert not Assessment.objects.exists()


def test_the_cooperatives_own_board_cannot_assess_itself(make_user, instrument, coop):
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    with pytest.raises(PermissionDenied):
        services.assessment_create(actor=pengurus, cooperative=coop, assessed_on=DAY)


def test_no_instrument_gives_a_clear_message(admin_user, coop):
    with pytest.raises(ValidationError) as error:
        services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    assert error.value.code == "no_instrument"


# --- instrument versions --------------------------------------------------------------------


def test_default_instrument_is_a_published_local_instrument(instrument):
    assert instrument.status == "published" and instrument.version == 1
    assert "local" in instrument.title.lower() or "lokal" in instrument.title.lower()
    assert services.weight_problems(instrument) == []
    codes = set(instrument.areas.values_list("code", flat=True))
    assert codes == {"kelembagaan", "usaha", "keuangan", "sinergi_bumdes"}
    assert Item.objects.filter(area__instrument=instrument, method="auto").exists()
    assert Item.objects.filter(area__instrument=instrument, method="manual").exists()


def test_published_version_is_immutable(admin_user, instrument):
    area = instrument.areas.first()
    with pytest.raises(ValidationError):
        services.area_save(actor=admin_user, instrument=instrument, area=area, weight=50)
    with pytest.raises(ValidationError):
        services.item_delete(actor=admin_user, item=area.items.first())


def test_editing_makes_a_new_version_and_old_assessments_keep_theirs(
    admin_user, instrument, coop, make_cooperative
):
    old = services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    draft = services.instrument_new_version(actor=admin_user, instrument=instrument)
    assert draft.version == 2 and draft.status == "draft" and draft.based_on == instrument
    assert draft.areas.count() == instrument.areas.count()
    # change a weight so they no longer add up: publishing is refused with a clear message
    area = draft.areas.get(code="usaha")
    services.area_save(actor=admin_user, instrument=draft, area=area, weight=40)
    with pytest.raises(ValidationError) as error:
        services.instrument_publish(actor=admin_user, instrument=draft)
    assert "110%" in str(error.value)
    draft.refresh_from_db()
    assert draft.status == "draft"
    # fix it and publish: v1 is replaced, not changed
    services.area_save(
        actor=admin_user, instrument=draft, area=draft.areas.get(code="keuangan"), weight=10
    )
    services.instrument_publish(actor=admin_user, instrument=draft)
    instrument.refresh_from_db()
    assert instrument.status == "retired"
    assert Area.objects.get(instrument=instrument, code="usaha").weight == 30
    assert old.scores.first().item.area.instrument == instrument
    other = make_cooperative(TGR2)
    new = services.assessment_create(actor=admin_user, cooperative=other, assessed_on=DAY)
    assert new.instrument == draft
    assert AuditEvent.objects.filter(action="instrument_publish").count() == 2


def test_item_weights_per_area_must_add_up(admin_user, instrument):
    draft = services.instrument_new_version(actor=admin_user, instrument=instrument)
    area = draft.areas.get(code="keuangan")
    services.item_save(
        actor=admin_user,
        area=area,
        code="laporan",
        text="Laporan keuangan",
        weight=10,
        method="manual",
        evidence="",
        order=9,
    )
    problems = services.weight_problems(draft)
    assert any("110%" in p and area.name in p for p in problems)


def test_automatic_item_needs_a_known_rule(admin_user, instrument):
    draft = services.instrument_new_version(actor=admin_user, instrument=instrument)
    area = draft.areas.first()
    with pytest.raises(ValidationError):
        services.item_save(
            actor=admin_user,
            area=area,
            code="x",
            text="X",
            weight=0,
            method="auto",
            resolver="tidak_ada",
        )


def test_only_the_dinas_edits_the_instrument(make_user, instrument):
    camat = make_user(Role.CAMAT, "64.02.06")
    with pytest.raises((PermissionDenied, Http404)):
        services.instrument_new_version(actor=camat, instrument=instrument)
    assert Instrument.objects.count() == 1


def test_one_open_draft_per_cooperative(admin_user, instrument, coop):
    draft = services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    with pytest.raises(ValidationError) as error:
        services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    assert error.value.code == "draft_exists" and error.value.params["pk"] == draft.pk
    assert Assessment.objects.count() == 1


def test_dinas_starts_with_the_default_instrument(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/kesiapan/instrumen/")
    assert [r.code for r in page.context["regencies"]] == ["64.02"]
    response = client.post("/kesiapan/instrumen/bawaan/", {"region": "64.02"})
    assert response.status_code == 302
    assert Instrument.objects.get().status == "published"
    assert client.post("/kesiapan/instrumen/bawaan/", {"region": "64.02"}).status_code == 404


def test_a_camat_sees_but_does_not_assess(make_user, instrument, coop):
    camat = make_user(Role.CAMAT, "64.02.06")
    with pytest.raises(PermissionDenied):
        services.assessment_create(actor=camat, cooperative=coop, assessed_on=DAY)
