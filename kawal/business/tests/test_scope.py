"""Who sees what: a pengurus only its own KMP, a BA its caseload, two regions never mix."""

import datetime

import pytest
from django.http import Http404

from kawal.business import selectors, services
from kawal.business.tests.conftest import line
from kawal.core.scope import Role


def test_pengurus_sees_only_its_own_cooperative(client, pengurus, coop, other_coop):
    client.force_login(pengurus)
    assert client.get(f"/usaha/koperasi/{coop.pk}/").status_code == 200
    assert client.get(f"/usaha/koperasi/{other_coop.pk}/").status_code == 404
    assert client.get(f"/usaha/koperasi/{other_coop.pk}/lapor/").status_code == 404
    assert [c.pk for c in selectors.cooperatives(user=pengurus)] == [coop.pk]


def test_pengurus_may_not_report_for_another_cooperative(pengurus, other_coop, today):
    with pytest.raises(Http404):
        services.report_submit(
            actor=pengurus,
            cooperative=other_coop,
            month=datetime.date(2026, 5, 1),
            figures={},
            lines=[line(other_coop.sembako)],
            today=today,
        )


def test_ba_reads_its_caseload_only(ba, coop, make_cooperative):
    neighbour = make_cooperative("64.02.06.1002")  # same kecamatan, not assigned
    visible = {c.pk for c in selectors.cooperatives(user=ba)}
    assert visible == {coop.pk}
    assert neighbour.pk not in visible


def test_ba_verification_list_holds_its_caseload_reports(
    submit, ba, admin_user, other_coop, other_pengurus, today
):
    mine = submit()
    submit(actor=other_pengurus, cooperative=other_coop)
    assert [r.pk for r in selectors.to_verify(user=ba)] == [mine.pk]
    assert len(selectors.to_verify(user=admin_user)) == 2


def test_camat_of_one_kecamatan_never_sees_the_other(
    make_user, submit, other_coop, other_pengurus, client
):
    submit()
    foreign = submit(actor=other_pengurus, cooperative=other_coop)
    camat = make_user(Role.CAMAT, "64.02.06")
    client.force_login(camat)
    assert client.get(f"/usaha/laporan/{foreign.pk}/").status_code == 404
    page = client.get("/usaha/?bulan=2026-05")
    assert other_coop.name not in page.content.decode()
    assert len(selectors.to_verify(user=camat)) == 0  # the camat holds no Cap.VERIFY
