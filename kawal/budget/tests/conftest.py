import datetime

import pytest


@pytest.fixture
def make_line(admin_user):
    """make_line(ceiling, status='disetujui', region='64.02'): a budget line through services."""
    from kawal.budget import services

    counter = {"n": 0}

    def make(ceiling=100_000_000, status="disetujui", region="64.02", actor=None, **fields):
        counter["n"] += 1
        fields.setdefault("fiscal_year", 2025)
        fields.setdefault("program", "Program Pengembangan UMKM dan Koperasi")
        fields.setdefault("kegiatan", "Pendidikan dan Latihan Perkoperasian")
        fields.setdefault("sub_kegiatan", "Pelatihan Pengurus dan Pengawas Koperasi")
        fields.setdefault("account_code", f"5.1.02.01.01.{counter['n']:04d}")
        fields.setdefault("description", f"Belanja pelatihan {counter['n']}")
        fields.setdefault("source", "apbd")
        return services.line_create(
            actor=actor or admin_user,
            region_code=region,
            ceiling=ceiling,
            status=status,
            **fields,
        )

    return make


@pytest.fixture
def day():
    return datetime.date(2025, 11, 1)
