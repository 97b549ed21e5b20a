"""Coverage at a scope wider than one regency: one row per regency, counted in SQL, and the
numbers equal what the visits say (docs/performance.md)."""

import datetime

import pytest
from django.utils import timezone

from kawal.core.scope import Role
from kawal.mentoring import selectors, services


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


def test_province_coverage_is_one_row_per_regency_with_the_counts_of_the_visits(
    make_user, make_cooperative, berau_village, django_assert_max_num_queries
):
    # given: two KMP in Kukar (one visited 10 days ago, one 45 days ago) and one never
    # visited in Berau
    admin = make_user(Role.ADMIN_DINAS, "64.02")
    today = timezone.localdate()
    recent = make_cooperative("64.02.06.1001")
    old = make_cooperative("64.02.01.2001")
    make_cooperative(berau_village.code)
    for coop, days in ((recent, 10), (old, 45)):
        services.visit_record(
            actor=admin,
            cooperative=coop,
            visit_date=today - datetime.timedelta(days=days),
            purpose="Monitoring",
        )
    province = make_user(Role.ADMIN_DINAS, "64")
    # when
    with django_assert_max_num_queries(3):  # the user's grants, the counts, the names
        coverage = selectors.coverage_by_district(user=province, today=today)
    # then
    assert coverage["by_regency"] is True
    rows = {r["code"]: r for r in coverage["districts"]}
    assert set(rows) == {"64.02", "64.03"}
    kukar = rows["64.02"]
    assert (kukar["total"], kukar["never"], kukar["no30"], kukar["no60"]) == (2, 0, 1, 0)
    assert rows["64.03"]["never"] == rows["64.03"]["no60"] == rows["64.03"]["total"] == 1
    assert coverage["total"] == {"total": 3, "never": 1, "no30": 2, "no60": 1}
    assert selectors.coverage_totals(user=province, today=today) == {
        "total": 3, "never": 1, "no60": 1,
    }  # fmt: skip


def test_regency_coverage_stays_per_kecamatan(make_user, make_cooperative):
    admin = make_user(Role.ADMIN_DINAS, "64.02")
    make_cooperative("64.02.06.1001")
    make_cooperative("64.02.01.2001")
    coverage = selectors.coverage_by_district(user=admin)
    assert coverage["by_regency"] is False
    assert {r["code"] for r in coverage["districts"]} == {"64.02.06", "64.02.01"}


def test_national_mentoring_page_lists_regencies_and_filters_the_left_alone_by_regency(
    client, make_user, make_cooperative, berau_village, django_assert_max_num_queries
):
    make_cooperative("64.02.06.1001")
    berau = make_cooperative(berau_village.code)
    national = make_user(Role.ADMIN_DINAS, None)
    client.force_login(national)
    with django_assert_max_num_queries(20):
        page = client.get("/pendampingan/")
    assert page.status_code == 200
    assert "Kabupaten Berau" in page.content.decode()
    assert "Kelay" not in page.content.decode()  # no row per kecamatan of the country
    filtered = client.get("/pendampingan/?kabupaten=64.03&hari=60")
    assert berau.name in filtered.content.decode()
    assert "Merah Putih Jahab" not in filtered.content.decode()
