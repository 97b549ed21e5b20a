"""Business fixtures: an operating KMP with two open outlets and one planned, its pengurus, a BA
with it in its caseload, and a KMP in another kecamatan."""

import datetime

import pytest

from kawal.core.scope import Role

TENGGARONG_VILLAGE = "64.02.06.1001"
MUARA_BADAK_VILLAGE = "64.02.05.2006"
TODAY = datetime.date(2026, 6, 20)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def today():
    return TODAY


def _outlets(coop):
    from kawal.cooperatives.models import Outlet

    sembako = Outlet.objects.create(
        cooperative=coop, outlet_type="sembako", status=Outlet.Status.BEROPERASI
    )
    apotek = Outlet.objects.create(
        cooperative=coop, outlet_type="apotek", status=Outlet.Status.BEROPERASI
    )
    planned = Outlet.objects.create(
        cooperative=coop, outlet_type="klinik", status=Outlet.Status.RENCANA
    )
    return sembako, apotek, planned


@pytest.fixture
def coop(make_cooperative):
    coop = make_cooperative(TENGGARONG_VILLAGE)
    coop.sembako, coop.apotek, coop.planned = _outlets(coop)
    return coop


@pytest.fixture
def other_coop(make_cooperative):
    coop = make_cooperative(MUARA_BADAK_VILLAGE)
    coop.sembako, coop.apotek, coop.planned = _outlets(coop)
    return coop


@pytest.fixture
def pengurus(make_user, coop):
    return make_user(Role.PENGURUS, TENGGARONG_VILLAGE, username="ketua-tenggarong")


@pytest.fixture
def other_pengurus(make_user, other_coop):
    return make_user(Role.PENGURUS, MUARA_BADAK_VILLAGE, username="ketua-muarabadak")


@pytest.fixture
def make_ba(make_user, admin_user):
    from kawal.mentoring import services

    def make(cooperatives=(), region_code="64.02.06", username=None):
        user = make_user(Role.PENDAMPING, region_code, username=username)
        services.mentor_save(
            actor=admin_user,
            user=user,
            kind="ba",
            region_code=region_code,
            contract_start=datetime.date(2026, 1, 1),
        )
        for c in cooperatives:
            services.assignment_start(
                actor=admin_user, mentor=user, cooperative=c, started_on=datetime.date(2026, 1, 1)
            )
        return user

    return make


@pytest.fixture
def ba(make_ba, coop):
    return make_ba([coop], username="ba-tenggarong")


def line(outlet, revenue=10_000_000, cogs=7_000_000, cost=1_000_000, profit=None, **extra):
    return {
        "outlet_id": outlet.pk,
        "label": str(outlet),
        "revenue": revenue,
        "cogs": cogs,
        "operating_cost": cost,
        "profit": profit,
        "transactions": extra.pop("transactions", 200),
        "stock_value": extra.pop("stock_value", 5_000_000),
        **extra,
    }


def figures(**changes):
    base = {
        "members_joined": 5,
        "members_left": 1,
        "members_total": 104,
        "households": 500,
        "savings_pokok": 500_000,
        "savings_wajib": 2_080_000,
        "savings_sukarela": 1_000_000,
        "total_assets": 250_000_000,
        "liabilities": 50_000_000,
        "loan_balance": 20_000_000,
        "loan_arrears": 500_000,
    }
    base.update(changes)
    return base


@pytest.fixture
def submit(coop, pengurus, today):
    from kawal.business import services

    def do(month=datetime.date(2026, 5, 1), actor=None, cooperative=None, lines=None, **kw):
        cooperative = cooperative or coop
        return services.report_submit(
            actor=actor or pengurus,
            cooperative=cooperative,
            month=month,
            figures=kw.pop("figures", figures()),
            lines=lines if lines is not None else [line(cooperative.sembako)],
            today=kw.pop("today", today),
            **kw,
        )

    return do
