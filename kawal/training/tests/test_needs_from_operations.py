"""Training needs from what holds the KMP back in operations (the cooperative_obstacle point)."""

import datetime

import pytest

from kawal.training import selectors, services
from kawal.training.models import Module
from kawal.training.tests.conftest import START

D = datetime.date


@pytest.fixture
def legal_coop(make_cooperative):
    """A KMP with its legal entity and business plan (formation's facts), so operations has a
    line for it."""
    from kawal.formation.models import StepRecord

    def make(village, **fields):
        coop = make_cooperative(village, **fields)
        for step, day in (("sk_ahu", D(2025, 6, 20)), ("simkopdes", D(2025, 7, 20))):
            StepRecord.objects.create(
                cooperative=coop, step=step, status="selesai", completed_on=day
            )
        return coop

    return make


@pytest.fixture
def waiting_on_bulog(admin_user, legal_coop):
    """waiting_on_bulog(village, name=...): a KMP with land whose Bulog partnership is pending."""
    from kawal.cooperatives import services as registry
    from kawal.operations import services as operations

    def make(village, **fields):
        coop = legal_coop(village, **fields)
        registry.outlet_create(
            actor=admin_user,
            cooperative=coop,
            outlet_type="sembako",
            land_area_m2=1500,
            land_ownership="desa",
        )
        bulog = operations.partner_save(
            actor=admin_user, region_code="64.02", name="Perum Bulog", kind="bulog"
        )
        partnership = operations.partnership_create(
            actor=admin_user,
            cooperative=coop,
            partner=bulog,
            covers="beras",
            started_on=D(2025, 9, 1),
        )
        return coop, partnership

    return make


def test_a_pending_partnership_becomes_a_need_that_says_where_it_came_from(
    admin_user, waiting_on_bulog, legal_coop, make_officers, client
):
    # Given a KMP waiting on Bulog, and one that has no land (no training addresses that)
    coop, partnership = waiting_on_bulog("64.02.06.1001")
    make_officers(coop, 2)
    no_land = legal_coop("64.02.06.1002")
    from kawal.cooperatives import services as registry

    registry.outlet_create(
        actor=admin_user, cooperative=no_land, outlet_type="sembako", land_area_m2=80
    )

    # When its needs are computed
    found = selectors.needs_for(user=admin_user, cooperatives=[coop, no_land])

    # Then the partnership module is needed, explained by the cause and linked to its record
    need = next(n for n in found[coop.pk].needs if n.source == selectors.SOURCE_OPERATIONS)
    assert need.module == Module.PARTNERSHIP
    assert "Perum Bulog" in need.explanation
    assert need.url == f"/operasional/kemitraan/{partnership.pk}/"
    assert need.source_label == "yang menghambat KMP"
    assert not [n for n in found[no_land.pk].needs if n.source == selectors.SOURCE_OPERATIONS]

    # and the cooperative page's training section loads it (htmx) with its link
    client.force_login(admin_user)
    page = client.get(f"/koperasi/{coop.pk}/")
    section = page.content.decode().split('id="pelatihan"', 1)[1].split("</section>", 1)[0]
    fragment = f"/pelatihan/koperasi/{coop.pk}/kebutuhan-operasional/"
    assert f'hx-get="{fragment}"' in section
    needs = client.get(fragment, HTTP_HX_REQUEST="true").content.decode()
    assert "Perum Bulog" in needs and "kemitraan dan pembiayaan" in needs
    assert f'href="/operasional/kemitraan/{partnership.pk}/"' in needs
    assert "<html" not in needs


def test_a_kmp_outside_the_users_scope_brings_no_operations_need(
    admin_user, waiting_on_bulog, make_user, client
):
    from kawal.core.scope import Role

    coop, _partnership = waiting_on_bulog("64.02.06.1001")
    camat = make_user(Role.CAMAT, "64.02.05")  # Muara Badak, not Tenggarong

    found = selectors.needs_for(user=camat, cooperatives=[coop])

    assert not [n for n in found[coop.pk].needs if n.source == selectors.SOURCE_OPERATIONS]
    client.force_login(camat)
    assert client.get(f"/pelatihan/koperasi/{coop.pk}/kebutuhan-operasional/").status_code == 404


def test_the_proposal_puts_first_the_kmp_held_back_by_what_the_programme_teaches(
    admin_user, waiting_on_bulog, legal_coop, make_officers, make_batch
):
    # Given two KMP alike in trained and untrained officers; the one that would sort last by
    # name waits on Bulog
    from kawal.cooperatives import services as registry

    calm = legal_coop("64.02.06.1002", name="KMP A")
    registry.outlet_create(
        actor=admin_user, cooperative=calm, outlet_type="sembako", land_area_m2=80
    )  # no land of 1,000 m²: held back, but not by anything a training teaches
    held, _partnership = waiting_on_bulog("64.02.06.1001", name="KMP Z")
    calm_officers = make_officers(calm, 2)
    held_officers = make_officers(held, 2)
    programme = services.programme_create(
        actor=admin_user,
        region_code="64.02",
        title="Kemitraan dan pembiayaan KMP",
        modules=[Module.PARTNERSHIP],
        target_groups=["pengurus"],
        method="luring",
    )
    batch = make_batch(capacity=2, programme=programme, start=START + datetime.timedelta(days=30))

    # When officers are proposed for a batch of a programme on partnerships and financing
    proposed = selectors.proposals(user=admin_user, batch=batch)

    # Then the held-back KMP's officers take the seats, and the reason says why
    assert [p.officer.pk for p in proposed] == [o.pk for o in held_officers]
    assert not {p.officer.pk for p in proposed} & {o.pk for o in calm_officers}
    assert "kemitraan belum jadi" in proposed[0].reason
