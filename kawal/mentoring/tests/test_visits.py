"""Field visits: flags, refusals, recommendations → follow-ups and the recommendation log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.followups.models import FollowUp
from kawal.mentoring import rules, services
from kawal.mentoring.models import ChecklistItem, Recommendation, Visit, VisitPhoto

TODAY = timezone.localdate


def _record(actor, coop, **kw):
    kw.setdefault("visit_date", TODAY())
    kw.setdefault("purpose", "Pendampingan pembukuan")
    return services.visit_record(actor=actor, cooperative=coop, **kw)


def test_visit_near_the_village_on_time_is_not_flagged_and_is_audited(ba, coop):
    village = coop.village
    visit = _record(ba, coop, lat=village.lat + 0.005, lng=village.lng)
    assert not visit.flag_far and not visit.flag_late
    assert visit.distance_km == pytest.approx(0.56, abs=0.05)
    event = AuditEvent.objects.get(action="visit_record", object_id=str(visit.pk))
    assert event.actor == ba and event.region_code == coop.village_id


def test_visit_far_from_the_village_centroid_is_flagged_not_refused(ba, coop):
    village = coop.village
    visit = _record(ba, coop, lat=village.lat + 0.08, lng=village.lng)  # about 9 km north
    assert visit.distance_km > rules.FAR_FROM_VILLAGE_KM
    assert visit.flag_far and Visit.objects.filter(pk=visit.pk).exists()


def test_visit_entered_more_than_three_days_late_is_flagged(ba, coop):
    on_time = _record(ba, coop, visit_date=TODAY() - datetime.timedelta(days=3))
    late = _record(ba, coop, visit_date=TODAY() - datetime.timedelta(days=4))
    assert not on_time.flag_late
    assert late.flag_late


def test_visit_in_the_future_is_refused(ba, coop):
    with pytest.raises(ValidationError) as error:
        _record(ba, coop, visit_date=TODAY() + datetime.timedelta(days=1))
    assert "visit_date" in error.value.error_dict
    assert not Visit.objects.exists()


@pytest.mark.parametrize("lat,lng", [(51.5, -0.12), (-0.4, 150.0), (8.0, 116.9), (-12.0, 117)])
def test_gps_outside_indonesia_is_refused(ba, coop, lat, lng):
    with pytest.raises(ValidationError) as error:
        _record(ba, coop, lat=lat, lng=lng)
    assert "lat" in error.value.error_dict
    assert not Visit.objects.exists()


def test_half_a_position_is_refused(ba, coop):
    with pytest.raises(ValidationError):
        _record(ba, coop, lat=-0.4, lng=None)


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_saved(ba, coop, agency):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        _record(
            ba,
            coop,
            photos=[fake],
            recommendations=[{"text": "Isi buku kas", "owner_agency": agency, "due_date": TODAY()}],
        )
    assert "photos" in error.value.error_dict
    assert not Visit.objects.exists()
    assert not FollowUp.objects.exists() and not Recommendation.objects.exists()


def test_photos_are_stored(ba, coop, photo):
    visit = _record(ba, coop, photos=[photo])
    stored = VisitPhoto.objects.get(visit=visit)
    assert stored.image.name.startswith(f"pendampingan/kunjungan/{visit.pk}/")
    assert stored.image.read(8) == b"\x89PNG\r\n\x1a\n"


def test_each_recommendation_becomes_a_followup_and_a_log_entry(ba, coop, agency):
    due = TODAY() + datetime.timedelta(days=14)
    visit = _record(
        ba,
        coop,
        recommendations=[
            {"text": "Isi buku kas harian", "owner_agency": agency, "due_date": due},
            {"text": "Unggah data anggota", "owner_agency": agency, "due_date": due},
        ],
    )
    recs = list(Recommendation.objects.filter(visit=visit).order_by("id"))
    assert [r.text for r in recs] == ["Isi buku kas harian", "Unggah data anggota"]
    for rec in recs:
        assert rec.followup.source == visit
        assert rec.followup.cooperative == coop and rec.followup.owner_agency == agency
        assert rec.followup.due_date == due
    assert AuditEvent.objects.filter(action="recommendation_create").count() == 2


def test_recommendation_due_before_the_visit_is_refused_whole(ba, coop, agency):
    with pytest.raises(ValidationError):
        _record(
            ba,
            coop,
            visit_date=TODAY() - datetime.timedelta(days=2),
            recommendations=[
                {"text": "x", "owner_agency": agency, "due_date": TODAY() - datetime.timedelta(5)}
            ],
        )
    assert not Visit.objects.exists() and not FollowUp.objects.exists()


def test_checklist_answers_are_kept_as_a_snapshot(ba, coop, admin_user):
    item = services.checklist_item_save(
        actor=admin_user, region_code="64.02", label="Papan nama terpasang"
    )
    visit = _record(ba, coop, checklist={item.pk: "ya"})
    ChecklistItem.objects.filter(pk=item.pk).update(label="Diganti")
    visit.refresh_from_db()
    assert visit.checklist == [{"item": item.pk, "label": "Papan nama terpasang", "answer": "ya"}]


def test_checklist_item_of_another_region_is_refused(ba, coop, admin_user):
    item = services.checklist_item_save(actor=admin_user, region_code="64.02.05", label="X")
    with pytest.raises(ValidationError):
        _record(ba, coop, checklist={item.pk: "ya"})


def test_mentor_cannot_record_a_visit_outside_its_caseload(ba, other_coop):
    with pytest.raises(Http404):
        _record(ba, other_coop)


def test_board_does_not_record_visits_to_itself(make_user, coop):
    board = make_user(Role.PENGURUS, coop.village_id)
    with pytest.raises(PermissionDenied):
        _record(board, coop)


def _rec(ba, coop, agency):
    visit = _record(
        ba,
        coop,
        recommendations=[{"text": "Isi buku kas", "owner_agency": agency, "due_date": TODAY()}],
    )
    return visit.recommendations.get()


def test_the_board_responds_to_its_recommendation(ba, coop, agency, make_user):
    rec = _rec(ba, coop, agency)
    board = make_user(Role.PENGURUS, coop.village_id)
    services.recommendation_respond(
        actor=board, recommendation=rec, response="Sudah dilaksanakan", expected_version=1
    )
    rec.refresh_from_db()
    assert rec.board_response == "Sudah dilaksanakan" and rec.responded_by == board
    assert rec.version == 2
    event = AuditEvent.objects.get(action="recommendation_respond")
    assert event.changes == {"board_response": ["", "Sudah dilaksanakan"]}


def test_a_stale_response_is_refused(ba, coop, agency, make_user):
    rec = _rec(ba, coop, agency)
    board = make_user(Role.PENGURUS, coop.village_id)
    services.recommendation_respond(actor=board, recommendation=rec, response="a")
    stale = Recommendation.objects.get(pk=rec.pk)
    stale.version = 1
    with pytest.raises(ValidationError):
        services.recommendation_respond(
            actor=board, recommendation=stale, response="b", expected_version=1
        )


def test_mentor_and_other_boards_may_not_respond(ba, coop, agency, make_user):
    rec = _rec(ba, coop, agency)
    with pytest.raises(PermissionDenied):
        services.recommendation_respond(actor=ba, recommendation=rec, response="x")
    other_board = make_user(Role.PENGURUS, "64.02.05.2006")
    with pytest.raises(Http404):
        services.recommendation_respond(actor=other_board, recommendation=rec, response="x")
    assert Recommendation.objects.get(pk=rec.pk).board_response == ""


def test_haversine_matches_a_known_distance():
    # Tenggarong to Samarinda is roughly 25 km as the crow flies.
    assert rules.haversine_km(-0.4193, 116.9323, -0.5022, 117.1536) == pytest.approx(26, abs=2)
