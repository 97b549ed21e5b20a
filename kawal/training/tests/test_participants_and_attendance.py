import datetime

import pytest
from django.core.exceptions import ValidationError

from kawal.core.models import AuditEvent
from kawal.events.models import Attendance as EventAttendance
from kawal.training import selectors, services
from kawal.training.models import Participant, Seat
from kawal.training.tests.conftest import START


def test_officers_of_the_kecamatan_served_are_invited(
    admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch()
    officers = make_officers(make_cooperative("64.02.06.1001"), 2)

    created = services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[o.pk for o in officers], invited_on=START
    )

    assert len(created) == 2
    assert AuditEvent.objects.filter(
        action="training_participants_add", object_id=str(batch.pk)
    ).exists()


def test_an_officer_from_outside_the_batch_region_is_refused_and_nobody_is_added(
    admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch(districts=["64.02.06"])
    inside = make_officers(make_cooperative("64.02.06.1001"), 1)
    outside = make_officers(make_cooperative("64.02.05.2006"), 1)

    with pytest.raises(ValidationError) as error:
        services.participants_add(
            actor=admin_user,
            batch=batch,
            officer_ids=[inside[0].pk, outside[0].pk],
            invited_on=START,
        )

    assert outside[0].name in str(error.value)
    assert not Participant.objects.filter(batch=batch).exists()


def test_a_batch_over_capacity_is_refused_and_nothing_is_half_saved(
    admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch(capacity=3)
    officers = make_officers(make_cooperative("64.02.06.1001"), 4)
    services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[officers[0].pk], invited_on=START
    )

    with pytest.raises(ValidationError) as error:
        services.participants_add(
            actor=admin_user,
            batch=batch,
            officer_ids=[o.pk for o in officers[1:]],
            invited_on=START,
        )

    assert error.value.code == "over_capacity"
    assert batch.participants.count() == 1


def test_a_declined_invitation_frees_a_seat(
    admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch(capacity=1)
    first, second = make_officers(make_cooperative("64.02.06.1001"), 2)
    (p,) = services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[first.pk], invited_on=START
    )
    services.participant_set_invitation(
        actor=admin_user, participant=p, invitation=Participant.Invitation.DECLINED
    )

    services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[second.pk], invited_on=START
    )

    assert batch.participants.count() == 2


def test_attendance_is_kept_per_day_and_completion_needs_every_day(
    admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch(days=3)
    a, b = make_officers(make_cooperative("64.02.06.1001"), 2)
    pa, pb = services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[a.pk, b.pk], invited_on=START
    )
    for day in batch.days:
        services.attendance_set(actor=admin_user, participant=pa, day=day, present=True)
    services.attendance_set(actor=admin_user, participant=pb, day=batch.days[0], present=True)
    services.attendance_set(actor=admin_user, participant=pb, day=batch.days[1], present=True)
    services.attendance_set(actor=admin_user, participant=pb, day=batch.days[1], present=False)

    batch.refresh_from_db()
    completed = services.batch_close(actor=admin_user, batch=batch, expected_version=batch.version)

    assert completed == 1
    # attendance lives in the events app: one check-in of pb's registrant for the first session
    assert Seat.objects.filter(participant=pb, registrant__attendance__isnull=False).count() == 1
    rows = {p.officer_id: p for p in selectors.batch_participants(batch=batch)}
    assert rows[a.pk].completed and not rows[b.pk].completed
    assert rows[b.pk].present_days == {batch.days[0]}
    assert AuditEvent.objects.filter(action="training_attendance").count() == 6


def test_attendance_outside_the_batch_days_is_refused(
    admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch(days=2)
    (officer,) = make_officers(make_cooperative("64.02.06.1001"), 1)
    (p,) = services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[officer.pk], invited_on=START
    )
    with pytest.raises(ValidationError):
        services.attendance_set(
            actor=admin_user, participant=p, day=START + datetime.timedelta(days=5), present=True
        )
    assert not EventAttendance.objects.exists()


def test_capacity_cannot_drop_below_those_already_invited(
    admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch(capacity=5)
    officers = make_officers(make_cooperative("64.02.06.1001"), 3)
    services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[o.pk for o in officers], invited_on=START
    )
    with pytest.raises(ValidationError):
        services.batch_update(
            actor=admin_user,
            batch=batch,
            expected_version=batch.version + 1,
            districts=["64.02.06"],
            capacity=2,
        )
    batch.refresh_from_db()
    assert batch.capacity == 5


def test_test_scores_must_be_whole_numbers_up_to_100(
    admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch()
    (officer,) = make_officers(make_cooperative("64.02.06.1001"), 1)
    (p,) = services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[officer.pk], invited_on=START
    )
    services.attendance_set(actor=admin_user, participant=p, day=START, present=True)
    with pytest.raises(ValidationError):
        services.participant_result(
            actor=admin_user, participant=p, completed=True, pre_score=40, post_score=101
        )
    services.participant_result(
        actor=admin_user, participant=p, completed=True, pre_score=40, post_score=75
    )
    p.refresh_from_db()
    assert (p.pre_score, p.post_score, p.completed) == (40, 75, True)
