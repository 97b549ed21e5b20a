import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kawal.core.scope import Role
from kawal.events import services
from kawal.events.models import Attendance, Venue

pytestmark = pytest.mark.django_db


def _link(registrant):
    return reverse("events_public:link", args=[registrant.code])


def test_opening_the_personal_link_records_once_and_sends_to_the_video(
    client, make_event, make_registrant, django_assert_max_num_queries
):
    # given an online event under way and a registrant joining by video
    event = make_event("online")
    person = make_registrant(event)
    # when the link is opened three times
    for _ in range(3):
        with django_assert_max_num_queries(2):  # one lookup, one insert; no session write
            response = client.get(_link(person))
        # then each time the answer is the video, kept server-side until now
        assert response.status_code == 302
        assert response["Location"] == "https://video.example.org/launch"
        assert "sessionid" not in response.cookies
    # and exactly one attendance exists
    attendance = Attendance.objects.get()
    assert attendance.registrant_id == person.pk and attendance.method == "link"


def test_the_video_link_is_never_shown_on_the_event_pages(client, admin_user, make_event):
    event = make_event("online")
    client.force_login(admin_user)
    page = client.get(reverse("events:detail", args=[event.pk]))
    assert page.status_code == 200 and b"video.example.org" not in page.content


def test_unknown_and_malformed_codes_are_answered_clearly(client, make_event, make_registrant):
    event = make_event("online")
    make_registrant(event)
    unknown = client.get(reverse("events_public:link", args=["ZZZZZZZZZZZZ"]))
    malformed = client.get(reverse("events_public:link", args=["abc"]))
    for response in (unknown, malformed):
        assert response.status_code == 404
        assert (
            "not registered" in response.content.decode()
            or "tidak terdaftar" in response.content.decode()
        )
    assert not Attendance.objects.exists()


def test_a_forged_code_of_the_right_shape_is_unknown(make_event, make_registrant):
    event = make_event("online")
    person = make_registrant(event)
    forged = person.code[:-1] + ("0" if person.code[-1] != "0" else "1")
    assert services.checkin_link(code=forged).status == "unknown"


def test_too_early_and_too_late_are_not_counted(client, make_event, make_registrant):
    # given an event tomorrow and one that ended an hour ago
    tomorrow = make_event("online", starts_in=24 * 60)
    ended = make_event("online", starts_in=-5 * 60, hours=4)
    early = client.get(_link(make_registrant(tomorrow)))
    late = client.get(_link(make_registrant(ended)))
    # then each says why, and nothing is recorded
    assert early.status_code == 200 and tomorrow.title in early.content.decode()
    assert late.status_code == 410
    assert not Attendance.objects.exists()


def test_a_seated_participant_opening_the_link_sees_the_ticket(
    client, make_event, make_venue, make_registrant
):
    event = make_event("hybrid")
    person = make_registrant(event, venue=make_venue(event))
    response = client.get(_link(person), follow=True)
    assert response.status_code == 200
    assert (
        b"<svg" in response.content
        and services.format_code(person.code).encode() in response.content
    )
    assert not Attendance.objects.exists()


def test_door_check_in_counts_once_and_answers_every_case(
    admin_user, make_event, make_venue, make_registrant
):
    event = make_event("hybrid")
    other = make_event("hybrid", title="Acara lain")
    point = make_venue(event, capacity=1)
    first = make_registrant(event, venue=point)
    second = make_registrant(event)  # registered by video, turns up at the full point
    stranger = make_registrant(other)

    def door(code):
        return services.checkin_door(actor=admin_user, event=event, venue=point, code=code).status

    assert door(services.format_code(first.code).lower()) == "recorded"
    assert door(first.code) == "repeat"
    assert door(second.code) == "full"  # one seat, taken
    assert door(stranger.code) == "other_event"
    assert door("ZZZZ-ZZZZ-ZZZZ") == "unknown"
    assert door("12") == "malformed"
    assert Attendance.objects.filter(event=event).count() == 1
    assert Venue.objects.get(pk=point.pk).checked_in == 1


def test_door_page_shows_the_answer_as_a_partial(
    client, make_user, make_event, make_venue, make_registrant
):
    event = make_event("offline")
    hall = make_venue(event, kind="main", capacity=10, name="Aula Kecamatan")
    person = make_registrant(event, venue=hall, name="Rahmawati")
    committee = make_user(Role.ADMIN_DINAS, "64.02", username="panitia")
    client.force_login(committee)
    url = reverse("events:door", args=[event.pk])
    full = client.get(url, {"tempat": hall.pk})
    assert full.status_code == 200 and b"<html" in full.content and b'id="id_code"' in full.content
    partial = client.post(url, {"code": person.code, "venue": hall.pk}, HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert b"<html" not in partial.content and "Rahmawati" in text
    assert "1" in text and "10" in text  # present here: 1 of 10 seats
    repeat = client.post(url, {"code": person.code, "venue": hall.pk}, HTTP_HX_REQUEST="true")
    assert "counted once" in repeat.content.decode() or "dihitung sekali" in repeat.content.decode()


def test_a_mentor_cannot_run_the_door(client, make_user, make_event):
    event = make_event("offline")
    mentor = make_user(Role.PENDAMPING, "64.02", username="pendamping-x")
    client.force_login(mentor)
    response = client.post(reverse("events:door", args=[event.pk]), {"code": "AAAA-AAAA-AAAA"})
    assert response.status_code in (403, 404)
    assert not Attendance.objects.exists()


def test_late_door_check_in_is_refused(admin_user, make_event, make_registrant):
    event = make_event("offline", starts_in=-600, hours=2)
    person = make_registrant(event)
    result = services.checkin_door(actor=admin_user, event=event, venue=None, code=person.code)
    assert result.status == "late" and result.ends_at < timezone.now() + datetime.timedelta(0)
