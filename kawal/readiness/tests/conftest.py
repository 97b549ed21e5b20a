import datetime

import pytest

from kawal.core.scope import Role

TGR1 = "64.02.06.1001"
TGR2 = "64.02.06.1002"
BADAK = "64.02.05.2006"
DAY = datetime.date(2025, 10, 1)


@pytest.fixture
def dinas_agency(kukar):
    from kawal.accounts.models import Agency

    return Agency.objects.create(
        code="diskopukm", name="Dinas Koperasi dan UKM", short_name="DiskopUKM", region_id="64.02"
    )


@pytest.fixture
def instrument(admin_user):
    from kawal.readiness import services

    return services.instrument_create_default(actor=admin_user, region_code="64.02")


@pytest.fixture
def coop(make_cooperative):
    return make_cooperative(
        TGR1, members_male=30, members_female=25, simpanan_pokok=5_500_000, simpanan_wajib=1_100_000
    )


@pytest.fixture
def pendamping(make_user, coop):
    """A pendamping of Tenggarong, assigned to `coop` only."""
    from kawal.mentoring.models import Assignment

    user = make_user(Role.PENDAMPING, "64.02.06", username="pendamping-t")
    Assignment.objects.create(mentor=user, cooperative=coop, started_on=datetime.date(2025, 7, 1))
    return user


def score_all_manual(assessment, actor, value=75):
    from kawal.readiness import services
    from kawal.readiness.models import Item

    for row in assessment.scores.select_related("item"):
        if row.item.method == Item.Method.MANUAL:
            services.item_score_save(
                actor=actor, assessment=assessment, item_score=row, score=value, comment="ok"
            )


def other_dinas():
    """A second Dinas officer of Kukar: verifies what `admin_user` assessed (four eyes)."""
    from kawal.accounts.models import Grant, User

    user, created = User.objects.get_or_create(username="dinas-verifikator")
    if created:
        Grant.objects.create(user=user, role=Role.ADMIN_DINAS, region_id="64.02")
    return user
