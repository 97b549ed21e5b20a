import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def make_event(admin_user):
    """make_event(format="online", starts_in=minutes, **fields): an event of Kukar under way."""
    from kawal.events import services

    def make(format="online", starts_in=-10, hours=3, **fields):
        start = timezone.now() + datetime.timedelta(minutes=starts_in)
        fields.setdefault("title", "Peluncuran KMP")
        fields.setdefault("kind", "launch")
        fields.setdefault("region_id", "64.02")
        fields.setdefault("organiser", "Dinas Koperasi dan UKM")
        if format != "offline":
            fields.setdefault("video_url", "https://video.example.org/launch")
        return services.event_create(
            actor=admin_user,
            format=format,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=hours),
            **fields,
        )

    return make


@pytest.fixture
def make_venue(admin_user):
    from kawal.events import services

    def make(event, capacity=50, district_code="64.02.06", kind="watch_point", name=None):
        return services.venue_save(
            actor=admin_user,
            event=event,
            kind=kind,
            name=name or f"Titik nobar {district_code}",
            capacity=capacity,
            district_code=district_code,
        )

    return make


@pytest.fixture
def make_registrant(admin_user):
    from kawal.events import services

    counter = {"n": 0}

    def make(event, venue=None, name=None, phone="", kind="official", **extra):
        counter["n"] += 1
        return services.registrant_add(
            actor=admin_user,
            event=event,
            kind=kind,
            name=name or f"Peserta Nomor {counter['n']}",
            phone=phone,
            venue=venue,
            **extra,
        )

    return make
