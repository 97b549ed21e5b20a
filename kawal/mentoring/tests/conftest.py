"""Mentoring fixtures: an agency, cooperatives in two kecamatan, a BA with a caseload."""

import datetime
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.core.scope import Role

TENGGARONG_VILLAGE = "64.02.06.1001"
MUARA_BADAK_VILLAGE = "64.02.05.2006"


def png_bytes(width=4, height=3) -> bytes:
    raw = b"".join(b"\x00" + b"\xc8\x1e\x1e" * width for _ in range(height))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def photo():
    return SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agency(kukar):
    from kawal.accounts.models import Agency

    return Agency.objects.create(
        code="diskopukm", name="Dinas Koperasi dan UKM", short_name="DiskopUKM", region=kukar
    )


@pytest.fixture
def coop(make_cooperative):
    return make_cooperative(TENGGARONG_VILLAGE)


@pytest.fixture
def other_coop(make_cooperative):
    return make_cooperative(MUARA_BADAK_VILLAGE)


@pytest.fixture
def make_mentor(make_user, admin_user):
    """make_mentor(region_code, kind="ba", cooperatives=()): a pendamping user with a profile."""
    from kawal.mentoring import services

    def make(region_code="64.02.06", kind="ba", cooperatives=(), username=None):
        user = make_user(Role.PENDAMPING, region_code, username=username)
        services.mentor_save(
            actor=admin_user,
            user=user,
            kind=kind,
            region_code=region_code,
            contract_start=datetime.date(2026, 6, 1),
            contract_end=datetime.date(2026, 12, 31),
        )
        for c in cooperatives:
            services.assignment_start(
                actor=admin_user, mentor=user, cooperative=c, started_on=datetime.date(2026, 6, 1)
            )
        return user

    return make


@pytest.fixture
def ba(make_mentor, coop):
    return make_mentor("64.02.06", cooperatives=[coop], username="ba-tgr")
