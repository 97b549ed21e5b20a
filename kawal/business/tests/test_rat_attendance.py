"""A RAT's attendance list is an event of the events app: registration and door check-in."""

import datetime

import pytest

from kawal.business import selectors, services
from kawal.events import services as events
from kawal.events.models import Event, Registrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def rat(coop, admin_user):
    return services.rat_save(
        actor=admin_user,
        cooperative=coop,
        fiscal_year=2025,
        scheduled_on=datetime.date(2026, 3, 14),
        members_total=40,
    )


def test_members_checked_in_at_the_door_become_the_rats_members_present(
    client, admin_user, coop, rat
):
    client.force_login(admin_user)
    url = f"/usaha/koperasi/{coop.pk}/rat/2025/"
    assert "Buka daftar hadir" in client.get(url).content.decode()

    response = client.post(f"{url}daftar-hadir/")

    event = Event.objects.get(subject_type="business.rat", subject_id=str(rat.pk))
    assert response.url == f"/acara/{event.pk}/"
    assert (event.kind, event.region_id) == (Event.Kind.RAT, coop.village_id)
    assert client.post(f"{url}daftar-hadir/").url == response.url  # one list per RAT
    people = [
        events.registrant_add(
            actor=admin_user, event=event, kind=Registrant.Kind.PUBLIC, name=f"Anggota {n}"
        )
        for n in range(3)
    ]
    for person in people[:2]:
        events.attendance_record(actor=admin_user, registrant=person, present=True)

    assert selectors.rat_attendance(rat) == {"event": event, "registered": 3, "present": 2}
    page = client.get(url)
    assert page.context["form"].initial["members_present"] == 2
    assert "2 dari 3" in page.content.decode()


def test_a_board_may_not_open_the_list_and_a_rat_without_a_date_is_refused(
    client, pengurus, admin_user, coop, rat
):
    client.force_login(pengurus)
    assert (
        "Buka daftar hadir"
        not in client.get(f"/usaha/koperasi/{coop.pk}/rat/2025/").content.decode()
    )
    assert client.post(f"/usaha/koperasi/{coop.pk}/rat/2025/daftar-hadir/").status_code == 403
    assert not Event.objects.exists()

    services.rat_save(
        actor=admin_user,
        cooperative=coop,
        fiscal_year=2024,
        expected_version=None,
    )
    client.force_login(admin_user)
    response = client.post(f"/usaha/koperasi/{coop.pk}/rat/2024/daftar-hadir/", follow=True)
    assert "Rencanakan tanggal rapat dulu" in response.content.decode()
    assert not Event.objects.exists()
