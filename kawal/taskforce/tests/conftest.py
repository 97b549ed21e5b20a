import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def make_meeting(admin_user):
    """A meeting (default: held yesterday at 09.00 local) with the given agencies invited."""

    from kawal.taskforce.services import meeting_schedule

    def make(agencies=(), start=None, **extra):
        if start is None:
            day = timezone.localdate() - datetime.timedelta(days=1)
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        extra.setdefault("place", "Ruang Rapat Setda")
        return meeting_schedule(
            actor=admin_user,
            region_code="64.02",
            title=extra.pop("title", "Rapat Koordinasi Satgas KMP"),
            starts_at=start,
            agencies=list(agencies),
            **extra,
        )[0]

    return make
