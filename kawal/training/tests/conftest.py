import datetime

import pytest

from kawal.training.models import Module

START = datetime.date(2025, 11, 13)


@pytest.fixture
def make_officers():
    """make_officers(cooperative, n): n active pengurus (ketua first)."""
    from kawal.cooperatives.models import Officer

    def make(cooperative, n=3, body="pengurus"):
        positions = ["ketua", "bendahara", "sekretaris", "wakil_ketua_usaha", "anggota"]
        return [
            Officer.objects.create(
                cooperative=cooperative,
                body=body,
                position=positions[i % len(positions)],
                name=f"Petugas {cooperative.pk}-{i}",
                sex="L" if i % 2 else "P",
            )
            for i in range(n)
        ]

    return make


@pytest.fixture
def programme(admin_user):
    from kawal.training import services

    return services.programme_create(
        actor=admin_user,
        region_code="64.02",
        title="Pelatihan Pengurus KMP",
        modules=[Module.FINANCE, Module.TAX],
        target_groups=["pengurus", "pengawas"],
        method="luring",
        cost_per_participant=1_000_000,
    )


@pytest.fixture
def make_batch(admin_user, programme):
    from kawal.training import services

    counter = {"n": 0}

    def make(districts=("64.02.06",), capacity=10, start=START, days=3, **extra):
        counter["n"] += 1
        return services.batch_create(
            actor=extra.pop("actor", admin_user),
            programme=extra.pop("programme", programme),
            districts=list(districts),
            number=counter["n"],
            start_date=start,
            end_date=start + datetime.timedelta(days=days - 1),
            venue="Pendopo Odah Etam, Tenggarong",
            capacity=capacity,
            trainers="Tim Dinas",
        )

    return make
