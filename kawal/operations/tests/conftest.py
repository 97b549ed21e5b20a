"""Operations fixtures: cooperatives with a legal entity, partners, banks, a photo."""

import datetime
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

TENGGARONG = "64.02.06.1001"  # a kelurahan: the bupati approves its loans
MUARA_BADAK = "64.02.05.2006"  # a desa: the kepala desa approves
D = datetime.date


def png_bytes() -> bytes:
    raw = b"\x00\xc8\x1e\x1e"

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def photo():
    def make(name="foto.png"):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    return make


@pytest.fixture
def legal_coop(make_cooperative):
    """A KMP whose SK AHU and SIMKOPDES steps are done (a legal entity with a business plan)."""
    from kawal.formation.models import StepRecord

    def make(village=TENGGARONG, plan=True, **fields):
        coop = make_cooperative(village, **fields)
        StepRecord.objects.create(
            cooperative=coop, step="sk_ahu", status="selesai", completed_on=D(2025, 6, 20)
        )
        if plan:
            StepRecord.objects.create(
                cooperative=coop, step="simkopdes", status="selesai", completed_on=D(2025, 7, 20)
            )
        return coop

    return make


@pytest.fixture
def make_outlet(admin_user):
    from kawal.cooperatives import services as registry

    def make(coop, outlet_type="sembako", **fields):
        return registry.outlet_create(
            actor=admin_user, cooperative=coop, outlet_type=outlet_type, **fields
        )

    return make


@pytest.fixture
def partner(admin_user):
    from kawal.operations import services

    def make(name="Perum Bulog", kind="bulog", region="64.02"):
        return services.partner_save(actor=admin_user, region_code=region, name=name, kind=kind)

    return make


@pytest.fixture
def bank(partner):
    return partner("Bank BRI", "bank")
