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


@pytest.fixture
def train_officers(admin_user):
    """train_officers(coop, n=2): n new active officers of the KMP are invited to a one-day
    training batch for its kecamatan and marked present; returns the batch, still open (close it
    with close_batch to make them trained)."""
    from kawal.cooperatives.models import Officer
    from kawal.training import services as training

    counter = {"n": 0}

    def make(coop, n=2):
        counter["n"] += 1
        programme = training.programme_create(
            actor=admin_user,
            region_code="64.02",
            title=f"Pelatihan Pengurus {counter['n']}",
            modules=["keuangan"],
            target_groups=["pengurus"],
            method="luring",
        )
        batch = training.batch_create(
            actor=admin_user,
            programme=programme,
            districts=[coop.village.district_code],
            number=1,
            start_date=D(2025, 11, 13),
            end_date=D(2025, 11, 13),
            venue="Pendopo Odah Etam, Tenggarong",
            capacity=10,
        )
        officers = [
            Officer.objects.create(
                cooperative=coop, body="pengurus", position=position, name=f"{position} {coop.pk}"
            )
            for position in ["ketua", "bendahara", "sekretaris"][:n]
        ]
        participants = training.participants_add(
            actor=admin_user,
            batch=batch,
            officer_ids=[o.pk for o in officers],
            invited_on=D(2025, 11, 1),
        )
        for participant in participants:
            training.attendance_set(
                actor=admin_user, participant=participant, day=batch.start_date, present=True
            )
        return batch

    return make


@pytest.fixture
def close_batch(admin_user):
    from kawal.training import services as training

    def close(batch):
        batch.refresh_from_db()
        return training.batch_close(actor=admin_user, batch=batch, expected_version=batch.version)

    return close
