"""A province or the nation sees the loan portfolio per regency (never a row per kecamatan
of the country), and a regency row leads to its loans (docs/performance.md)."""

import pytest

from kawal.core.scope import Role
from kawal.operations import selectors
from kawal.operations.models import Loan


@pytest.fixture
def berau_village(kukar):
    from kawal.regions.models import Region

    regency = Region.objects.create(
        code="64.03", name="Kabupaten Berau", level=2, kind="kabupaten", parent_id="64",
        province_code="64", regency_code="64.03",
    )  # fmt: skip
    district = Region.objects.create(
        code="64.03.01", name="Kelay", level=3, kind="kecamatan", parent=regency,
        province_code="64", regency_code="64.03", district_code="64.03.01",
    )  # fmt: skip
    return Region.objects.create(
        code="64.03.01.2001", name="Long Beliu", level=4, kind="desa", parent=district,
        province_code="64", regency_code="64.03", district_code="64.03.01",
    )  # fmt: skip


def _loan(coop, bank, amount):
    return Loan.objects.create(
        cooperative=coop, bank=bank, amount_requested=amount, status="diajukan",
        status_since="2026-01-05",
    )  # fmt: skip


def test_province_portfolio_is_per_regency_and_a_regency_row_lists_its_loans(
    client, make_user, make_cooperative, bank, berau_village, django_assert_max_num_queries
):
    # given: loans in two kecamatan of Kukar and one in Berau
    _loan(make_cooperative("64.02.06.1001"), bank, 1_000_000_000)
    _loan(make_cooperative("64.02.01.2001"), bank, 500_000_000)
    berau = _loan(make_cooperative(berau_village.code), bank, 2_000_000_000)
    province = make_user(Role.ADMIN_DINAS, "64")
    # when
    data = selectors.portfolio(user=province)
    # then
    assert data["by_regency"] is True
    rows = {r["code"]: (r["n"], r["proposed"]) for r in data["per_district"]}
    assert rows == {"64.02": (2, 1_500_000_000), "64.03": (1, 2_000_000_000)}
    assert data["total"]["proposed"] == 3_500_000_000
    client.force_login(province)
    with django_assert_max_num_queries(20):
        page = client.get("/operasional/portofolio/")
    assert "Kabupaten Berau" in page.content.decode()
    assert "Kelay" not in page.content.decode()
    listed = client.get("/operasional/pinjaman/?kecamatan=64.03")
    assert f"/operasional/pinjaman/{berau.pk}/" in listed.content.decode()


def test_regency_portfolio_stays_per_kecamatan(make_user, make_cooperative, bank):
    _loan(make_cooperative("64.02.06.1001"), bank, 1_000_000_000)
    _loan(make_cooperative("64.02.01.2001"), bank, 500_000_000)
    data = selectors.portfolio(user=make_user(Role.ADMIN_DINAS, "64.02"))
    assert data["by_regency"] is False
    assert {r["code"] for r in data["per_district"]} == {"64.02.06", "64.02.01"}
