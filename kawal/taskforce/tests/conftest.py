import datetime

import pytest
from django.utils import timezone

from kawal.accounts.models import Agency


@pytest.fixture
def make_agency(kukar):
    def make(code="dpmd", short_name=None, region_code="64.02", **extra):
        return Agency.objects.create(
            code=code,
            name=extra.pop("name", f"Dinas {code.upper()}"),
            short_name=short_name or code.upper(),
            region_id=region_code,
            **extra,
        )

    return make


@pytest.fixture
def make_followup(admin_user):
    from kawal.followups.services import followup_create

    def make(agency, title="Kirim data lahan", due=None, region_code="64.02", **extra):
        return followup_create(
            actor=admin_user,
            title=title,
            owner_agency=agency,
            due_date=due or timezone.localdate() + datetime.timedelta(days=7),
            region_code=region_code,
            **extra,
        )

    return make


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def pdf_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name="bukti.pdf", content=PDF):
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def make_meeting(admin_user):
    """A meeting (default: held yesterday at 09.00 local) with the given agencies invited."""
    from django.utils import timezone

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
