"""The country's and a province's counts are kept a few minutes (summing 80,000 KMP takes
seconds): served as they are while fresh, served while the worker recounts once stale, counted
in the request when too old; the page says when they were counted. Smaller regions are live."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kawal.core.scope import Role
from kawal.reports import selectors, services
from kawal.reports.models import NATIONAL, CachedFigures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def national(kukar):
    from kawal.accounts.models import Grant, User

    user = User.objects.create_user("nasional", password="x")
    Grant.objects.create(user=user, role=Role.ADMIN_DINAS, region=None)
    return user


def _total(client) -> int:
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return response.context["data"]["total"]


def _age(minutes: int) -> None:
    CachedFigures.objects.update(computed_at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_the_countrys_counts_are_kept_then_recounted_by_the_worker(
    world, national, make_cooperative, client, django_capture_on_commit_callbacks
):
    client.force_login(national)
    # the first visit counts and keeps the country's figures, and says when
    assert _total(client) == 9
    kept = CachedFigures.objects.get(region_code=NATIONAL)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'id="counted-at"' in page
    # a new KMP does not show while the kept copy is fresh
    make_cooperative("64.02.05.2004")
    assert _total(client) == 9
    # once stale, the kept copy is still served, and one recount goes to the worker
    _age(services.FRESH.seconds // 60 + 1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _total(client) == 9
    assert len(callbacks) == 1
    assert CachedFigures.objects.get(pk=kept.pk).figures != kept.figures
    assert _total(client) == 10
    # a second stale visit right after asks no second recount
    _age(services.FRESH.seconds // 60 + 1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.get(reverse("reports:dashboard"))
        client.get(reverse("reports:dashboard"))
    assert len(callbacks) == 1


def test_counts_too_old_are_recounted_in_the_request(world, national, make_cooperative, client):
    client.force_login(national)
    assert _total(client) == 9
    make_cooperative("64.02.05.2004")
    _age(services.LIMIT.seconds // 60 + 1)  # the worker is down
    assert _total(client) == 10


def test_a_province_is_kept_and_a_regency_is_counted_live(world, make_user, client):
    client.force_login(make_user(Role.PIMPINAN, "64"))
    client.get(reverse("reports:dashboard"), {"wilayah": "64"})
    client.get(reverse("reports:dashboard"), {"wilayah": "64.02"})
    assert list(CachedFigures.objects.values_list("region_code", flat=True)) == ["64"]


def test_kept_and_live_counts_are_the_same_numbers(world, national):
    live = selectors.dashboard_figures(user=national, root=None)
    tallies, _at = services.counted_figures(root=None, on=selectors.today())
    kept, _at = services.counted_figures(root=None, on=selectors.today())
    assert CachedFigures.objects.count() == 1
    for source in (tallies, kept):
        data = selectors.dashboard_figures(user=national, root=None, tallies=source)
        assert data["funnel"] == live["funnel"] and data["rows"] == live["rows"]
        assert data["agencies"] == live["agencies"]


def test_the_daily_job_recounts_the_country_and_each_province(world):
    result = services.daily_snapshot(on=selectors.today())
    assert result["recounted"] == 2
    assert set(CachedFigures.objects.values_list("region_code", flat=True)) == {NATIONAL, "64"}


def test_kept_counts_are_never_shown_outside_the_users_scope(world, sekda, client):
    services.counted_figures(root=None, on=selectors.today())  # the country's, kept
    with pytest.raises(Http404):
        selectors.dashboard_figures(user=sekda, root=None)
    client.force_login(sekda)
    assert client.get(reverse("reports:dashboard"), {"wilayah": "id"}).status_code == 404
    assert client.get(reverse("reports:map_data"), {"wilayah": "64"}).status_code == 404
