"""Weekly snapshots: written once a week by the daily job, per region and for the country, and
never changed by a later run."""

import datetime

import pytest
from django.core.management import call_command

from kawal.core.daily import run_daily_jobs
from kawal.reports import selectors, services
from kawal.reports.models import Snapshot
from kawal.reports.tests.conftest import TENGGARONG

pytestmark = pytest.mark.django_db


def test_daily_job_writes_the_week_once(world, make_cooperative):
    today = world["today"]
    # when the daily task runs twice in a week
    first = run_daily_jobs(on=today)["reports"]
    make_cooperative("64.02.05.2004")
    second = run_daily_jobs(on=today + datetime.timedelta(days=1))
    # then the snapshots were written by the first run only, with the counts of that day
    week = selectors.week_start(today)
    assert first["written"] > 0
    if (today + datetime.timedelta(days=1)).weekday() != 0:
        assert second["reports"]["written"] == 0
    regency = Snapshot.objects.get(region_code="64.02", taken_on=week)
    assert regency.figures["terbentuk"] == 9
    assert regency.figures["badan_hukum"] == 7
    assert regency.figures["tindak_lanjut_terlambat"] == 3
    assert Snapshot.objects.get(region_code=TENGGARONG, taken_on=week).figures["terbentuk"] == 6
    assert Snapshot.objects.get(region_code="", taken_on=week).figures["terbentuk"] == 9
    assert Snapshot.objects.get(region_code="64", taken_on=week).figures["terbentuk"] == 9


def test_command_writes_a_given_week(world):
    call_command("reports_snapshot", "--on", "2026-01-07")
    assert Snapshot.objects.filter(taken_on=datetime.date(2026, 1, 5)).exists()


def test_headlines_by_region_cost_a_constant_number_of_queries(
    world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        services.snapshot_take(on=world["today"])


def test_demo_snapshots_are_marked_synthetic(world):
    from kawal.core.demo import DemoContext
    from kawal.reports import demo

    demo.load(DemoContext())
    assert Snapshot.objects.filter(is_synthetic=False).count() == 0
    assert Snapshot.objects.filter(region_code="64.02").count() == len(demo.WEEKS_BACK)
