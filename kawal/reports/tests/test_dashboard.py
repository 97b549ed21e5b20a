"""The dashboard's numbers are the counts of the data, computed here by hand from the world of
conftest.py; the scope decides what is summed; every number links to the list behind it."""

import datetime

import pytest
from django.urls import reverse

from kawal.core.scope import Role
from kawal.reports import selectors
from kawal.reports.tests.conftest import M_VILLAGES, MUARA_BADAK, T_VILLAGES, TENGGARONG

pytestmark = pytest.mark.django_db


def _funnel(data) -> dict:
    return {row["key"]: row["n"] for row in data["funnel"]}


def test_regency_funnel_counts_each_phase_as_counted_by_hand(world, sekda):
    # given nine KMP at known phases (conftest.world), when the Sekda's regency is summed
    data = selectors.dashboard_figures(user=sekda, root="64.02")
    # then each phase holds the KMP counted by hand
    assert _funnel(data) == {
        "terbentuk": 9,
        "badan_hukum": 7,
        "npwp": 4,
        "nib": 3,
        "rekening": 0,  # steps exist, so zero is a real zero
        "siap": 2,  # latest counted assessment only; a draft never counts
        "gerai_buka": 3,
        "kemitraan_aktif": 2,
        "dibiayai": 2,
        "beroperasi": 2,
        "berkembang": 1,
    }
    extra = {row["key"]: row["n"] for row in data["extra"]}
    assert extra == {"tanpa_kontak_30": 7, "tanpa_kontak_60": 6, "terlatih": 0}
    assert data["overdue_total"] == 3
    assert [(a["code"], a["n"]) for a in data["agencies"]] == [("dpmd", 2), ("bappeda", 1)]


def test_kecamatan_table_rows_sum_per_kecamatan(world, sekda):
    data = selectors.dashboard_figures(user=sekda, root="64.02")
    keys = [key for key, _label in selectors.table_headers()]
    rows = {
        row["code"]: dict(zip(keys, [c["n"] for c in row["cells"]], strict=True))
        for row in data["rows"]
    }
    assert rows[TENGGARONG]["terbentuk"] == 6
    assert rows[TENGGARONG]["badan_hukum"] == 5
    assert rows[TENGGARONG]["gerai_buka"] == 2
    assert rows[MUARA_BADAK]["terbentuk"] == 3
    assert rows[MUARA_BADAK]["badan_hukum"] == 2
    assert rows[MUARA_BADAK]["gerai_buka"] == 1
    overdue = {row["code"]: row["overdue"] for row in data["rows"]}
    assert overdue[TENGGARONG] == 1 and overdue[MUARA_BADAK] == 1
    assert data["unplaced_overdue"] == 1  # the regency-wide follow-up
    # every kecamatan of Kukar is a row, with or without KMP
    assert len(data["rows"]) == 20


def test_phase_without_any_data_shows_no_data_not_zero(make_cooperative, sekda):
    make_cooperative(T_VILLAGES[0])
    data = selectors.dashboard_figures(user=sekda, root="64.02")
    funnel = _funnel(data)
    assert funnel["terbentuk"] == 1
    assert funnel["badan_hukum"] is None
    assert funnel["kemitraan_aktif"] is None
    assert funnel["beroperasi"] is None


def test_camat_sees_its_kecamatan_only(world, camat, client):
    data = selectors.dashboard_figures(user=camat, root=selectors.root_for(user=camat))
    assert data["root"] == TENGGARONG
    assert _funnel(data)["terbentuk"] == 6
    assert _funnel(data)["badan_hukum"] == 5
    assert data["overdue_total"] == 1
    # its rows are the villages of Tenggarong
    assert {row["code"][:8] for row in data["rows"]} == {TENGGARONG}
    # and another kecamatan, or the regency, answers 404
    client.force_login(camat)
    assert client.get(reverse("reports:dashboard"), {"wilayah": MUARA_BADAK}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"wilayah": "64.02"}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"wilayah": "id"}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"wilayah": "junk"}).status_code == 404


def test_two_regencies_do_not_leak(world, make_user, make_cooperative, client):
    # given another regency with a KMP and its own Dinas
    from kawal.regions.models import Region

    Region.objects.create(
        code="64.99",
        name="Kabupaten Uji",
        level=2,
        kind="kabupaten",
        parent_id="64",
        province_code="64",
        regency_code="64.99",
    )
    Region.objects.create(
        code="64.99.01",
        name="Kecamatan Uji",
        level=3,
        kind="kecamatan",
        parent_id="64.99",
        province_code="64",
        regency_code="64.99",
        district_code="64.99.01",
    )
    Region.objects.create(
        code="64.99.01.2001",
        name="Desa Uji",
        level=4,
        kind="desa",
        parent_id="64.99.01",
        province_code="64",
        regency_code="64.99",
        district_code="64.99.01",
    )
    make_cooperative("64.99.01.2001")
    other_dinas = make_user(Role.ADMIN_DINAS, "64.99")
    dinas = make_user(Role.ADMIN_DINAS, "64.02")
    # then each regency sums its own KMP only
    assert selectors.dashboard_figures(user=dinas, root="64.02")["total"] == 9
    assert selectors.dashboard_figures(user=other_dinas, root="64.99")["total"] == 1
    assert selectors.dashboard_figures(user=other_dinas, root="64.99")["overdue_total"] == 0
    # and neither opens the other's dashboard
    client.force_login(other_dinas)
    assert client.get(reverse("reports:dashboard"), {"wilayah": "64.02"}).status_code == 404
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_a_pengurus_or_mentor_has_no_dashboard(world, make_user, client):
    pengurus = make_user(Role.PENGURUS, T_VILLAGES[0])
    client.force_login(pengurus)
    assert client.get(reverse("reports:dashboard")).status_code == 403
    mentor = make_user(Role.PENDAMPING, TENGGARONG)
    client.force_login(mentor)
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_page_shows_numbers_as_links_to_filtered_lists(world, sekda, client):
    client.force_login(sekda)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Dasbor pimpinan" in page
    assert f'href="/koperasi/?fase=badan_hukum&amp;kecamatan={TENGGARONG}"' in page
    assert 'href="/koperasi/?fase=badan_hukum&amp;q=64.02"' in page
    assert "/tindak-lanjut/?status=terlambat&amp;instansi=dpmd&amp;wilayah=64.02" in page
    assert "<svg" in page and "<table" in page
    assert "badan_hukum" not in page.replace("fase=badan_hukum", "")  # no code shown as text


@pytest.mark.parametrize(
    "key", ["badan_hukum", "siap", "gerai_buka", "tanpa_kontak_60", "dibiayai"]
)
def test_the_list_behind_a_number_has_as_many_rows(world, sekda, client, key):
    # the cooperative list filtered by `fase` (contributed by reports) counts what the
    # dashboard counts, for the regency and for one kecamatan
    from kawal.cooperatives.selectors import cooperative_search

    data = selectors.dashboard_figures(user=sekda, root="64.02")
    n = {**_funnel(data), **{r["key"]: r["n"] for r in data["extra"]}}[key]
    found = cooperative_search(user=sekda, params={"fase": key, "q": "64.02"})
    assert found.count() == n
    in_kec = cooperative_search(user=sekda, params={"fase": key, "kecamatan": TENGGARONG})
    row = next(r for r in data["rows"] if r["code"] == TENGGARONG)
    cell = next(c for c in row["cells"] if c["key"] == key)
    assert in_kec.count() == cell["n"]


def test_drill_down_to_the_villages_of_a_kecamatan(world, sekda, client):
    client.force_login(sekda)
    response = client.get(reverse("reports:dashboard"), {"wilayah": MUARA_BADAK})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saliki" in page  # a village of Muara Badak
    assert reverse("regions:detail", args=[M_VILLAGES[0]]) in page


def test_trends_show_snapshots_4_and_12_weeks_ago(world, sekda, client):
    from kawal.reports.models import Snapshot

    today = world["today"]
    week = selectors.week_start(today)
    Snapshot.objects.create(
        region_code="64.02",
        taken_on=week - datetime.timedelta(weeks=4),
        figures={"terbentuk": 5, "badan_hukum": 3},
    )
    data = selectors.dashboard_figures(user=sekda, root="64.02")
    rows = {r["key"]: r for r in data["headline_rows"]}
    assert rows["terbentuk"]["n"] == 9
    assert rows["terbentuk"]["w4"] == 5
    assert rows["terbentuk"]["w12"] is None  # no snapshot: "belum ada data"
    client.force_login(sekda)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "belum ada data" in page


@pytest.mark.parametrize(
    ("role", "region", "root"),
    [
        (Role.PIMPINAN, "64.02", "64.02"),
        (Role.CAMAT, TENGGARONG, TENGGARONG),
        (Role.PIMPINAN, "64", "64"),
        (Role.ADMIN_DINAS, None, "id"),
    ],
)
def test_query_ceiling_at_every_scope(
    world, make_user, client, django_assert_max_num_queries, role, region, root
):
    from kawal.accounts.models import Grant, User

    if region is None:
        user = User.objects.create_user("nasional", password="x")
        Grant.objects.create(user=user, role=role, region=None)
    else:
        user = make_user(role, region)
    client.force_login(user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reports:dashboard"), {"wilayah": root})
    assert response.status_code == 200
    assert len(response.content) < 150_000


def test_village_scope_query_ceiling(world, sekda, client, django_assert_max_num_queries):
    client.force_login(sekda)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reports:dashboard"), {"wilayah": T_VILLAGES[0]})
    assert response.status_code == 200


def test_budget_of_the_users_region_and_not_on_a_drill_down(world, sekda):
    from kawal.budget.models import BudgetLine

    BudgetLine.objects.create(
        region_id="64.02",
        fiscal_year=world["today"].year,
        program="Program uji",
        kegiatan="Kegiatan",
        sub_kegiatan="Sub",
        account_code="5.1.02",
        description="Pelatihan pengurus",
        purpose="pelatihan",
        source="apbd",
        ceiling=50_000_000,
        original_ceiling=50_000_000,
        status="disetujui",
    )
    regency = selectors.dashboard_figures(user=sekda, root="64.02")
    assert regency["budget"]["approved"] == 50_000_000
    kecamatan = selectors.dashboard_figures(user=sekda, root=TENGGARONG)
    assert kecamatan["budget"] is None and not kecamatan["budget_here"]


def test_trained_and_consulted_kmp_are_counted(world, sekda, admin_user):
    # given a KMP with two active officers trained and a third trained officer who left,
    # and another KMP whose only contact this month was a walk-in consultation
    from kawal.cooperatives.models import Officer
    from kawal.mentoring.models import Consultation
    from kawal.training import services as training
    from kawal.training.models import Module, Participant

    today = world["today"]
    trained, consulted = world["coops"][T_VILLAGES[4]], world["coops"][T_VILLAGES[5]]
    programme = training.programme_create(
        actor=admin_user,
        region_code="64.02",
        title="Pelatihan Pengurus KMP",
        modules=[Module.FINANCE],
        target_groups=["pengurus"],
        method="luring",
        cost_per_participant=1_000_000,
    )
    batch = training.batch_create(
        actor=admin_user,
        programme=programme,
        districts=[TENGGARONG],
        number=1,
        start_date=today,
        end_date=today,
        venue="Pendopo",
        capacity=10,
        trainers="Tim Dinas",
    )
    for i, active in enumerate([True, True, False]):
        officer = Officer.objects.create(
            cooperative=trained, body="pengurus", position="anggota", name=f"P{i}", sex="L"
        )
        Officer.objects.filter(pk=officer.pk).update(is_active=active)
        Participant.objects.create(
            batch=batch, officer=officer, cooperative=trained, invited_on=today, completed=True
        )
    Consultation.objects.create(
        cooperative=consulted,
        date=today,
        visitor_name="Ketua",
        visitor_role="pengurus",
        topic=Consultation.Topic.choices[0][0],
        question="Cara mengisi laporan bulanan?",
    )
    # when the regency is summed
    extra = {
        r["key"]: r["n"] for r in selectors.dashboard_figures(user=sekda, root="64.02")["extra"]
    }
    # then one KMP has two trained officers, and the consulted KMP no longer lacks contact
    assert extra == {"tanpa_kontak_30": 6, "tanpa_kontak_60": 5, "terlatih": 1}
