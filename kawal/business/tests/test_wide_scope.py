"""A province or the nation sees the status table per regency (never a row per kecamatan of
the country), and a regency row drills down to its KMP (docs/performance.md)."""

import datetime

import pytest

from kawal.business import selectors
from kawal.business.models import MonthlyStatus
from kawal.core.scope import Role


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


def test_province_status_table_is_per_regency_and_a_regency_row_drills_down(
    client, make_user, make_cooperative, berau_village, django_assert_max_num_queries
):
    # given: KMP in two kecamatan of Kukar and one in Berau, with statuses for the month
    month = datetime.date(2026, 1, 1)
    coops = [
        make_cooperative("64.02.06.1001"),
        make_cooperative("64.02.01.2001"),
        make_cooperative(berau_village.code),
    ]
    for coop, status in zip(coops, ("beroperasi", "belum", "vakum"), strict=True):
        MonthlyStatus.objects.create(cooperative=coop, month=month, status=status, reason={})
    province = make_user(Role.ADMIN_DINAS, "64")
    # when
    with django_assert_max_num_queries(4):
        table = selectors.status_by_district(user=province, month=month)
    # then
    assert table["by_regency"] is True
    rows = {d["code"]: (d["total"], dict(d["counts"])) for d in table["districts"]}
    assert set(rows) == {"64.02", "64.03"}
    assert rows["64.02"][0] == 2
    assert rows["64.02"][1]["beroperasi"] == rows["64.02"][1]["belum"] == 1
    assert rows["64.03"][1]["vakum"] == 1
    drill = selectors.status_list(user=province, month=month, district="64.03")
    assert [s.cooperative_id for s in drill] == [coops[2].pk]
    client.force_login(province)
    with django_assert_max_num_queries(20):
        page = client.get("/usaha/?bulan=2026-01")
    assert "Kabupaten Berau" in page.content.decode()
    assert "Kelay" not in page.content.decode()


def test_regency_status_table_stays_per_kecamatan(make_user, make_cooperative):
    month = datetime.date(2026, 1, 1)
    make_cooperative("64.02.06.1001")
    make_cooperative("64.02.01.2001")
    table = selectors.status_by_district(user=make_user(Role.ADMIN_DINAS, "64.02"), month=month)
    assert table["by_regency"] is False
    assert {d["code"] for d in table["districts"]} == {"64.02.06", "64.02.01"}
