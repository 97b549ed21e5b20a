import datetime

import pytest
from django.core.exceptions import ValidationError

from kawal.budget import selectors, services
from kawal.budget.models import BudgetLine, Refocusing
from kawal.core.models import AuditEvent

DAY = datetime.date(2025, 6, 10)


def test_refocusing_moves_money_between_lines_and_keeps_the_history(admin_user, make_line):
    road = make_line(ceiling=2_000_000_000, description="Belanja modal jalan")
    training = make_line(ceiling=0, status=BudgetLine.Status.REFOCUSING)

    entry = services.refocusing_record(
        actor=admin_user,
        from_line=road,
        to_line=training,
        amount=600_000_000,
        date=DAY,
        decree_reference="Perbup Kukar No. 25/2025",
        reason="Pelatihan pengurus KMP",
    )

    road.refresh_from_db()
    training.refresh_from_db()
    assert (road.ceiling, training.ceiling) == (1_400_000_000, 600_000_000)
    assert road.original_ceiling == 2_000_000_000
    assert list(selectors.line_refocusing(line=training)) == [entry]
    assert AuditEvent.objects.filter(action="budget_refocusing").count() == 2


def test_refocusing_cannot_take_committed_money(admin_user, make_line):
    source = make_line(ceiling=100)
    target = make_line(ceiling=0)
    services.commitment_create(
        actor=admin_user, line=source, amount=60, description="x", committed_on=DAY
    )
    with pytest.raises(ValidationError):
        services.refocusing_record(
            actor=admin_user,
            from_line=source,
            to_line=target,
            amount=41,
            date=DAY,
            decree_reference="SK 1",
            reason="r",
        )
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.ceiling, target.ceiling) == (100, 0)
    assert not Refocusing.objects.exists()


def test_refocusing_needs_a_decree_reference(admin_user, make_line):
    source = make_line(ceiling=100)
    with pytest.raises(ValidationError) as error:
        services.refocusing_record(
            actor=admin_user,
            from_line=source,
            amount=10,
            date=DAY,
            decree_reference=" ",
            reason="r",
        )
    assert "decree_reference" in error.value.error_dict


def test_a_cut_without_a_target_line_lowers_the_ceiling(admin_user, make_line):
    source = make_line(ceiling=100)
    services.refocusing_record(
        actor=admin_user,
        from_line=source,
        amount=30,
        date=DAY,
        decree_reference="SE Mendagri",
        reason="refocusing nasional",
    )
    source.refresh_from_db()
    assert source.ceiling == 70
