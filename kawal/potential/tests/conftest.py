import pytest

ANGGANA = "64.02.04.2001"  # a desa in Anggana (Mahakam delta)
KELURAHAN = "64.02.06.1001"  # a kelurahan in Tenggarong
BADAK = "64.02.05.2006"


@pytest.fixture
def region(kukar):
    from kawal.regions.models import Region

    def get(code):
        return Region.objects.get(code=code)

    return get


@pytest.fixture
def ctype(kukar):
    from kawal.potential.standard import load_standard_list

    load_standard_list()
    from kawal.potential.models import CommodityType

    def get(name):
        return CommodityType.objects.select_related("sector").get(name=name)

    return get


@pytest.fixture
def fishing_village(admin_user, region, ctype, make_cooperative):
    """Anggana: shrimp worth billions, an active BUMDes running a grocery well, a KMP."""
    from kawal.potential import services

    village = region(ANGGANA)
    services.profile_save(
        actor=admin_user,
        village=village,
        population=4200,
        households=1100,
        idm_status="maju",
        idm_year=2024,
        has_market=False,
        has_health_facility=False,
        has_internet=True,
        has_electricity=True,
        access="sungai",
        land_available_m2=1500,
        notes="",
    )
    services.commodity_save(
        actor=admin_user,
        village=village,
        commodity_type=ctype("Udang tambak"),
        volume=200,
        unit="ton",
        estimated_value=16_000_000_000,
        is_main=True,
    )
    bumdes = services.bumdes_save(
        actor=admin_user,
        village=village,
        name="BUMDes Maju Bersama",
        legal_status="badan_hukum",
        legal_number="AHU-1",
        is_active=True,
        yearly_revenue=300_000_000,
        revenue_year=2024,
        contact_name="Pak Ali",
        phone="081234567890",
        notes="",
    )
    services.bumdes_unit_save(
        actor=admin_user,
        bumdes=bumdes,
        name="Toko desa",
        category="sembako",
        kbli="47111",
        is_active=True,
        runs_well=True,
    )
    coop = make_cooperative(ANGGANA)
    return village, coop, bumdes


@pytest.fixture
def national_admin(make_user):
    """A national Dinas grant: the only one that changes the standard list."""
    from kawal.core.scope import Role

    return make_user(Role.ADMIN_DINAS, None, username="dinas-nasional")


@pytest.fixture
def board(make_user):
    """The board (pengurus) of the KMP of Anggana: Cap.EDIT on its village, no Cap.MANAGE."""
    from kawal.core.scope import Role

    return make_user(Role.PENGURUS, ANGGANA, username="pengurus-anggana")


@pytest.fixture
def mentor(make_user, fishing_village):
    """A pendamping assigned to the KMP of Anggana (Cap.EDIT there through the assignment)."""
    import datetime

    from kawal.core.scope import Role
    from kawal.mentoring.models import Assignment

    user = make_user(Role.PENDAMPING, "64.02.04", username="pendamping-anggana")
    Assignment.objects.create(
        mentor=user, cooperative=fishing_village[1], started_on=datetime.date(2025, 7, 1)
    )
    return user
