import pytest
from django.core.exceptions import ValidationError

from kawal.budget import selectors as budget_selectors
from kawal.budget import services as budget_services
from kawal.training import services


@pytest.fixture
def funded_programme(admin_user, programme):
    line = budget_services.line_create(
        actor=admin_user,
        region_code="64.02",
        fiscal_year=2025,
        program="p",
        kegiatan="k",
        sub_kegiatan="s",
        account_code="5.1.02",
        description="Pelatihan KMP",
        source="apbd",
        ceiling=25_000_000,
        status="disetujui",
    )
    return services.programme_update(
        actor=admin_user,
        programme=programme,
        expected_version=programme.version,
        budget_line=line,
        cost_per_participant=1_000_000,
    )


def test_a_batch_commits_capacity_times_cost_on_its_line(admin_user, funded_programme, make_batch):
    batch = make_batch(capacity=20, programme=funded_programme)

    services.batch_commit_budget(actor=admin_user, batch=batch)

    line = budget_selectors.line_get(user=admin_user, pk=funded_programme.budget_line_id)
    assert line.balance.committed == 20_000_000
    assert line.balance.remaining == 5_000_000


def test_a_second_batch_above_the_remaining_balance_is_refused(
    admin_user, funded_programme, make_batch
):
    services.batch_commit_budget(
        actor=admin_user, batch=make_batch(capacity=20, programme=funded_programme)
    )
    second = make_batch(capacity=6, programme=funded_programme)

    with pytest.raises(ValidationError):
        services.batch_commit_budget(actor=admin_user, batch=second)

    assert not budget_selectors.commitments_for(ref_app="training", ref_ids=[second.pk])


def test_cancelling_a_batch_releases_its_commitment(admin_user, funded_programme, make_batch):
    batch = make_batch(capacity=20, programme=funded_programme)
    services.batch_commit_budget(actor=admin_user, batch=batch)

    batch.refresh_from_db()
    services.batch_cancel(
        actor=admin_user, batch=batch, expected_version=batch.version, reason="banjir"
    )

    line = budget_selectors.line_get(user=admin_user, pk=funded_programme.budget_line_id)
    assert line.balance.remaining == 25_000_000
