import pytest
from django.urls import reverse

from kawal.core.scope import Role

pytestmark = pytest.mark.django_db


def _paser():
    from kawal.regions.models import Region

    Region.objects.get_or_create(
        code="64.01",
        defaults={
            "name": "Paser",
            "level": 2,
            "kind": "kabupaten",
            "province_code": "64",
            "regency_code": "64.01",
            "parent_id": "64",
        },
    )


def test_an_event_of_another_regency_is_invisible(client, make_user, make_event):
    # given a Kukar event and a Dinas user of Paser
    _paser()
    event = make_event()
    outsider = make_user(Role.ADMIN_DINAS, "64.01", username="paser")
    client.force_login(outsider)
    # then the list does not show it and every page of it answers 404
    assert event.title.encode() not in client.get(reverse("events:list")).content
    for name in ("detail", "registrants", "live", "door", "plan", "report", "export"):
        assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 404, name


def test_a_camat_sees_events_of_the_kecamatan_not_of_the_regency(client, make_user, make_event):
    regency_event = make_event(title="Peluncuran kabupaten")
    local = make_event(title="Sosialisasi kecamatan", region_id="64.02.06")
    camat = make_user(Role.CAMAT, "64.02.06")
    client.force_login(camat)
    page = client.get(reverse("events:list")).content.decode()
    assert local.title in page and regency_event.title not in page
