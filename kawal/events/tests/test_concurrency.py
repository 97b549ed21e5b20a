"""Real races need PostgreSQL (SQLite serialises writers itself): many threads open the same
personal links and scan the same codes at once; each person counts exactly once."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from kawal.events import services
from kawal.events.models import Attendance, Venue

ON_POSTGRESQL = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="real concurrent writers need PostgreSQL",
)


def _together(target, jobs, threads=8):
    barrier = threading.Barrier(threads, timeout=10)
    failures, answers = [], []
    lock = threading.Lock()

    def run(chunk):
        try:
            barrier.wait()
            for job in chunk:
                answer = target(job)
                with lock:
                    answers.append(answer)
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
            failures.append(error)
        finally:
            connection.close()

    chunks = [jobs[i::threads] for i in range(threads)]
    workers = [threading.Thread(target=run, args=(c,)) for c in chunks]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return failures, answers


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_of_the_personal_link_count_once(make_event, make_registrant):
    # given 20 video participants, each opening the link 6 times, from 8 threads at once
    event = make_event("online")
    people = [make_registrant(event) for _ in range(20)]
    jobs = [p.code for p in people for _ in range(6)]
    failures, answers = _together(lambda code: services.checkin_link(code=code).status, jobs)
    # then every answer counted, exactly 20 "recorded" and one row per person
    assert failures == []
    assert answers.count("recorded") == 20 and answers.count("repeat") == 100
    assert Attendance.objects.filter(event=event).count() == 20


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_concurrent_door_scans_never_exceed_the_seats(
    admin_user, make_event, make_venue, make_registrant
):
    # given a watch point of 5 seats and 12 people (registered by video) scanned twice at once
    event = make_event("hybrid")
    point = make_venue(event, capacity=5)
    people = [make_registrant(event) for _ in range(12)]
    jobs = [p.code for p in people] * 2

    def scan(code):
        return services.checkin_door(actor=admin_user, event=event, venue=point, code=code).status

    failures, answers = _together(scan, jobs)
    # then exactly 5 are seated, the seat counter agrees, and everyone else heard "full"/"repeat"
    assert failures == []
    assert answers.count("recorded") == 5
    assert set(answers) <= {"recorded", "repeat", "full"}
    assert Attendance.objects.filter(event=event).count() == 5
    assert Venue.objects.get(pk=point.pk).checked_in == 5
