import pytest
from django.core.exceptions import ValidationError

from kawal.budget import selectors, services
from kawal.budget.models import BudgetLine, Commitment
from kawal.core.models import AuditEvent


def test_remaining_balance_is_ceiling_less_active_commitments_in_whole_rupiah(
    admin_user, make_line, day
):
    line = make_line(ceiling=1_250_000_000)
    first = services.commitment_create(
        actor=admin_user, line=line, amount=455_000_001, description="Angkatan 1", committed_on=day
    )
    services.commitment_create(
        actor=admin_user, line=line, amount=300_000_000, description="Angkatan 2", committed_on=day
    )
    services.spend_record(actor=admin_user, commitment=first, amount=400_000_000, spent_on=day)

    balance = selectors.line_get(user=admin_user, pk=line.pk).balance

    assert balance.committed == 755_000_001
    assert balance.spent == 400_000_000
    assert balance.remaining == 494_999_999
    assert all(type(v) is int for v in (balance.committed, balance.spent, balance.remaining))


def test_a_cancelled_commitment_frees_its_money(admin_user, make_line, day):
    line = make_line(ceiling=10_000_000)
    commitment = services.commitment_create(
        actor=admin_user, line=line, amount=10_000_000, description="x", committed_on=day
    )
    services.commitment_cancel(actor=admin_user, commitment=commitment)

    assert selectors.line_get(user=admin_user, pk=line.pk).balance.remaining == 10_000_000


def test_over_commitment_is_refused_and_nothing_is_saved(admin_user, make_line, day):
    line = make_line(ceiling=10_000_000)
    services.commitment_create(
        actor=admin_user, line=line, amount=6_000_000, description="a", committed_on=day
    )

    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            actor=admin_user, line=line, amount=4_000_001, description="b", committed_on=day
        )

    assert "Rp4.000.000" in str(error.value) or "4.000.000" in str(error.value)
    assert Commitment.objects.filter(line=line).count() == 1


@pytest.mark.parametrize("amount", [-5, 0, 2.5, "100"])
def test_negative_zero_float_or_text_amounts_are_refused(admin_user, make_line, day, amount):
    line = make_line(ceiling=10_000_000)
    with pytest.raises(ValidationError):
        services.commitment_create(
            actor=admin_user, line=line, amount=amount, description="x", committed_on=day
        )
    assert not Commitment.objects.filter(line=line).exists()


def test_money_cannot_be_committed_from_a_line_waiting_for_funding(admin_user, make_line, day):
    line = make_line(ceiling=10_000_000, status=BudgetLine.Status.MENUNGGU)
    with pytest.raises(ValidationError):
        services.commitment_create(
            actor=admin_user, line=line, amount=1, description="x", committed_on=day
        )


def test_spending_above_the_commitment_is_refused(admin_user, make_line, day):
    line = make_line(ceiling=10_000_000)
    commitment = services.commitment_create(
        actor=admin_user, line=line, amount=5_000_000, description="x", committed_on=day
    )
    services.spend_record(actor=admin_user, commitment=commitment, amount=3_000_000, spent_on=day)
    with pytest.raises(ValidationError):
        services.spend_record(
            actor=admin_user, commitment=commitment, amount=2_000_001, spent_on=day
        )
    assert selectors.line_get(user=admin_user, pk=line.pk).balance.spent == 3_000_000


def test_commitment_writes_an_audit_row(admin_user, make_line, day):
    line = make_line(ceiling=10_000_000)
    commitment = services.commitment_create(
        actor=admin_user, line=line, amount=2_000_000, description="x", committed_on=day
    )
    row = AuditEvent.objects.get(action="budget_commitment_create", object_id=str(commitment.pk))
    assert row.actor == admin_user
    assert row.region_code == "64.02"
    assert row.changes["amount"] == [None, 2_000_000]


def test_a_stale_save_of_a_line_is_refused(admin_user, make_line):
    line = make_line(ceiling=10_000_000, status=BudgetLine.Status.USULAN)
    stale = line.version
    services.line_update(
        actor=admin_user, line=line, expected_version=stale, description="Disimpan duluan"
    )
    with pytest.raises(ValidationError) as error:
        services.line_update(
            actor=admin_user, line=line, expected_version=stale, description="Salinan lama"
        )
    assert error.value.code == "stale"
    line.refresh_from_db()
    assert line.description == "Disimpan duluan"


def test_an_approved_ceiling_changes_only_through_refocusing(admin_user, make_line):
    line = make_line(ceiling=10_000_000)
    with pytest.raises(ValidationError):
        services.line_update(
            actor=admin_user, line=line, expected_version=line.version, ceiling=20_000_000
        )
    line.refresh_from_db()
    assert line.ceiling == 10_000_000


def test_status_moves_only_along_allowed_steps(admin_user, make_line):
    line = make_line(ceiling=1_000, status=BudgetLine.Status.USULAN)
    line = services.line_set_status(
        actor=admin_user, line=line, status="menunggu_pendanaan", expected_version=line.version
    )
    with pytest.raises(ValidationError):
        services.line_set_status(
            actor=admin_user, line=line, status="terealisasi", expected_version=line.version
        )
