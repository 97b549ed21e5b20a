import pytest
from django.core.cache import cache
from django.urls import reverse

from kawal.events.models import Registrant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_flood_of_registrations_from_one_address_is_refused(client, settings, make_event):
    # given a limit of three registrations per address and window
    settings.KAWAL_EVENT_LIMITS = {"register": (3, 600), "bad_code": (30, 600)}
    event = make_event(self_registration=True)
    url = reverse("events_public:register", args=[event.public_code])
    answers = [
        client.post(url, {"name": f"Warga Nomor {i}", "phone": f"08123456780{i}"}).status_code
        for i in range(5)
    ]
    # then three are registered and the rest told to wait
    assert answers[:3] == [302, 302, 302] and answers[3:] == [429, 429]
    assert Registrant.objects.filter(event=event).count() == 3


def test_an_honest_second_address_is_not_affected(client, settings, make_event):
    settings.KAWAL_EVENT_LIMITS = {"register": (1, 600), "bad_code": (30, 600)}
    event = make_event(self_registration=True)
    url = reverse("events_public:register", args=[event.public_code])
    client.post(url, {"name": "Warga Satu", "phone": "081234567801"}, REMOTE_ADDR="10.0.0.1")
    other = client.post(url, {"name": "Warga Dua", "phone": "081234567802"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


def test_guessing_codes_is_cut_off_before_the_database(
    client, settings, make_event, make_registrant, django_assert_num_queries
):
    settings.KAWAL_EVENT_LIMITS = {"register": (10, 600), "bad_code": (3, 600)}
    event = make_event("online")
    person = make_registrant(event)
    for _ in range(3):
        assert client.get(reverse("events_public:link", args=["ZZZZZZZZZZZZ"])).status_code == 404
    # then the address is refused without a lookup, even with a real code
    with django_assert_num_queries(0):
        response = client.get(reverse("events_public:link", args=[person.code]))
    assert response.status_code == 429


def test_self_registration_form_rejects_bad_numbers_clearly(client, make_event):
    event = make_event(self_registration=True)
    url = reverse("events_public:register", args=[event.public_code])
    response = client.post(url, {"name": "Warga Desa", "phone": "12345"})
    assert response.status_code == 200
    assert "0812" in response.content.decode()  # the example of a valid number
    assert not Registrant.objects.exists()
