"""One registration and attendance mechanism: a batch's days are events (training sessions),
its participants their registrants, and a day's attendance their check-in (issue 17)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kawal.events import services as event_services
from kawal.events.models import Attendance, Event, Registrant
from kawal.training import selectors, services
from kawal.training.models import Seat, Session
from kawal.training.tests.conftest import START


def _invite(admin_user, batch, officers):
    return services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[o.pk for o in officers], invited_on=START
    )


def test_each_day_of_a_batch_is_a_training_session_event_with_the_participants_registered(
    admin_user, make_cooperative, make_officers, make_batch
):
    # Given a three-day batch with two participants
    batch = make_batch(days=3)
    officers = make_officers(make_cooperative("64.02.06.1001"), 2)

    # When they are invited
    _invite(admin_user, batch, officers)

    # Then there is one event per day, of kind training session, naming the batch as subject
    sessions = list(Session.objects.filter(batch=batch).select_related("event"))
    assert [s.day for s in sessions] == batch.days
    for n, session in enumerate(sessions, start=1):
        event = session.event
        assert event.kind == Event.Kind.TRAINING
        assert (event.subject_type, event.subject_id) == ("training.batch", str(batch.pk))
        assert timezone.localtime(event.starts_at).date() == session.day
        assert event.title.endswith(f"hari {n}")
        # and each participant is a registrant of it, with a personal code
        registrants = Registrant.objects.filter(event=event).order_by("name")
        assert [r.name for r in registrants] == sorted(o.name for o in officers)
        assert all(len(r.code) == 12 and r.cooperative_id for r in registrants)
    assert Seat.objects.filter(session__batch=batch).count() == 6


def test_a_check_in_at_the_events_door_is_the_days_training_attendance(
    admin_user, make_cooperative, make_officers, make_batch, monkeypatch
):
    # Given a participant of a two-day batch and the registrant of its second day
    batch = make_batch(days=2)
    (participant,) = _invite(admin_user, batch, make_officers(make_cooperative("64.02.06.1001"), 1))
    second = Seat.objects.select_related("registrant", "session__event").get(
        participant=participant, session__day=batch.days[1]
    )
    during = datetime.datetime.combine(
        batch.days[1], datetime.time(9, 30), timezone.get_current_timezone()
    )
    monkeypatch.setattr(timezone, "now", lambda: during)

    # When the committee types the code at the events door page on that day
    result = event_services.checkin_door(
        actor=admin_user, event=second.session.event, venue=None, code=second.registrant.code
    )

    # Then the training register shows the participant present that day, and only that day
    assert result.status == "recorded"
    assert selectors.present_days([participant.pk])[participant.pk] == {batch.days[1]}
    assert selectors.attendance_counts(batch=batch) == {batch.days[1]: 1}
    # and ticking it again on the training list changes nothing (one attendance per registrant)
    services.attendance_set(
        actor=admin_user, participant=participant, day=batch.days[1], present=True
    )
    assert Attendance.objects.count() == 1


def test_the_training_list_records_and_removes_a_check_in_at_any_time(
    admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch(days=2)  # November 2025: long past, outside any check-in window
    (participant,) = _invite(admin_user, batch, make_officers(make_cooperative("64.02.06.1001"), 1))

    services.attendance_set(actor=admin_user, participant=participant, day=START, present=True)
    row = Attendance.objects.get()
    assert row.method == Attendance.Method.DOOR and row.checked_in_by == admin_user

    services.attendance_set(actor=admin_user, participant=participant, day=START, present=False)
    assert not Attendance.objects.exists()


def test_new_dates_move_the_sessions_and_keep_the_days_with_attendance(
    admin_user, make_cooperative, make_officers, make_batch
):
    # Given a two-day batch with one participant present on the first day
    batch = make_batch(days=2)
    (participant,) = _invite(admin_user, batch, make_officers(make_cooperative("64.02.06.1001"), 1))
    services.attendance_set(actor=admin_user, participant=participant, day=START, present=True)
    dropped = Session.objects.get(batch=batch, day=batch.days[1]).event_id

    # When the batch becomes three days starting the same day
    batch.refresh_from_db()
    three = START + datetime.timedelta(days=2)
    services.batch_update(
        actor=admin_user,
        batch=batch,
        expected_version=batch.version,
        districts=["64.02.06"],
        end_date=three,
    )

    # Then the third day is a new session with the participant registered; the first keeps
    # its attendance
    assert sorted(Session.objects.filter(batch=batch).values_list("day", flat=True)) == [
        START,
        START + datetime.timedelta(days=1),
        three,
    ]
    assert Seat.objects.filter(participant=participant).count() == 3
    assert Event.objects.filter(pk=dropped).exists()
    assert selectors.present_days([participant.pk])[participant.pk] == {START}

    # When the batch is moved so that the first day (with attendance) would drop out
    batch.refresh_from_db()
    with pytest.raises(ValidationError):
        services.batch_update(
            actor=admin_user,
            batch=batch,
            expected_version=batch.version,
            districts=["64.02.06"],
            start_date=START + datetime.timedelta(days=1),
        )
    # Then nothing changed

    # When it is shortened to its first day instead, the empty days' events go
    batch.refresh_from_db()
    services.batch_update(
        actor=admin_user,
        batch=batch,
        expected_version=batch.version,
        districts=["64.02.06"],
        end_date=START,
    )
    assert list(Session.objects.filter(batch=batch).values_list("day", flat=True)) == [START]
    assert not Event.objects.filter(pk=dropped).exists()
    assert Event.objects.filter(subject_type="training.batch").count() == 1
    assert Seat.objects.filter(participant=participant).count() == 1


def test_a_cancelled_batch_leaves_no_training_session_in_events(
    admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch(days=2)
    _invite(admin_user, batch, make_officers(make_cooperative("64.02.06.1001"), 1))
    batch.refresh_from_db()

    services.batch_cancel(
        actor=admin_user, batch=batch, expected_version=batch.version, reason="Dana belum cair"
    )

    assert not Session.objects.filter(batch=batch).exists()
    assert not Event.objects.filter(subject_type="training.batch").exists()
    assert not Registrant.objects.exists()


def test_the_migration_turns_old_attendance_into_event_check_ins(
    admin_user, make_cooperative, make_officers, programme
):
    # The suite builds tables from the models (no old attendance table): the migration's
    # transformation is run on the current models with the old rows given as data.
    import importlib

    from kawal.events.models import Attendance as EventAttendance
    from kawal.training.models import Batch, Participant

    migration = importlib.import_module("kawal.training.migrations.0002_sessions_are_events")
    # Given a two-day batch from before (no sessions), one participant present on day one
    batch = Batch.objects.create(
        programme=programme,
        region_id="64.02",
        number=9,
        start_date=START,
        end_date=START + datetime.timedelta(days=1),
        venue="Pendopo Odah Etam",
        capacity=10,
    )
    (officer,) = make_officers(make_cooperative("64.02.06.1001"), 1)
    participant = Participant.objects.create(
        batch=batch, officer=officer, cooperative=officer.cooperative, invited_on=START
    )
    recorded = timezone.now() - datetime.timedelta(days=300)

    # When the migration moves the old rows
    migration.move(
        {(participant.pk, START): (recorded, admin_user.pk)},
        Batch=Batch,
        Participant=Participant,
        Session=Session,
        Seat=Seat,
        Event=Event,
        Registrant=Registrant,
        Attendance=EventAttendance,
    )

    # Then each day is a session event, the officer is registered for both, present on day one
    sessions = list(Session.objects.filter(batch=batch).select_related("event"))
    assert [s.day for s in sessions] == [START, START + datetime.timedelta(days=1)]
    assert {s.event.kind for s in sessions} == {Event.Kind.TRAINING}
    assert Registrant.objects.filter(name=officer.name).count() == 2
    assert selectors.present_days([participant.pk])[participant.pk] == {START}
    row = EventAttendance.objects.get()
    assert row.event_id == sessions[0].event_id
    assert (row.checked_in_at, row.checked_in_by_id) == (recorded, admin_user.pk)
    # and the training pages read it like attendance taken today
    assert selectors.attendance_counts(batch=batch) == {START: 1}


def test_the_batch_page_links_each_day_to_its_event_which_lists_the_participants(
    client, admin_user, make_cooperative, make_officers, make_batch, django_assert_max_num_queries
):
    batch = make_batch(days=2)
    officers = make_officers(make_cooperative("64.02.06.1001"), 2)
    _invite(admin_user, batch, officers)
    first = Session.objects.get(batch=batch, day=START).event_id
    client.force_login(admin_user)

    with django_assert_max_num_queries(20):
        page = client.get(f"/pelatihan/angkatan/{batch.pk}/")
    registrants = client.get(f"/acara/{first}/peserta/")

    assert f'href="/acara/{first}/"'.encode() in page.content
    assert registrants.status_code == 200
    assert all(o.name.encode() in registrants.content for o in officers)
