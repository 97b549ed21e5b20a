"""The signboard list (legal entity old enough, no open outlet or no verified report) and its
follow-up; the overdue RAT list."""

import datetime

import pytest

from kawal.business import selectors, services
from kawal.business.models import MonthlyStatus


def _legal(coop, on):
    from kawal.formation.models import StepRecord

    StepRecord.objects.create(cooperative=coop, step="sk_ahu", status="selesai", completed_on=on)


def test_signboards_are_old_legal_entities_without_open_outlet_or_verified_report(
    admin_user, coop, make_cooperative, submit, ba, today
):
    _legal(coop, datetime.date(2025, 8, 1))
    shell = make_cooperative("64.02.06.1002")
    _legal(shell, datetime.date(2025, 8, 1))
    young = make_cooperative("64.02.06.1003")
    _legal(young, datetime.date(2026, 4, 1))
    rows = selectors.signboard_rows(selectors.signboards(user=admin_user, today=today), today)
    assert {c.pk for c in rows} == {coop.pk, shell.pk}
    reasons = {c.pk: c.reason for c in rows}
    assert "outlet" in reasons[shell.pk] or "gerai" in reasons[shell.pk]
    report = submit()
    services.report_verify(actor=ba, report=report, today=today)
    rows = selectors.signboards(user=admin_user, today=today)
    assert {c.pk for c in rows} == {shell.pk}


def test_a_signboard_becomes_a_follow_up_with_its_reason(admin_user, coop, make_agency, today):
    from kawal.followups.models import FollowUp

    services.status_refresh(cooperative_ids=[coop.pk], months=[datetime.date(2026, 6, 1)])
    agency = make_agency("diskopukm")
    followup = services.signboard_followup(
        actor=admin_user,
        cooperative=coop,
        owner_agency=agency,
        due_date=today + datetime.timedelta(days=30),
        reason="Papan nama: belum ada laporan terverifikasi.",
    )
    assert FollowUp.objects.get(pk=followup.pk).description.startswith("Papan nama")
    assert followup.cooperative_id == coop.pk
    assert MonthlyStatus.objects.filter(cooperative=coop).exists()


def test_a_follow_up_needs_a_computed_status(admin_user, coop, make_agency, today):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.signboard_followup(
            actor=admin_user,
            cooperative=coop,
            owner_agency=make_agency("diskopukm"),
            due_date=today,
            reason="x",
        )


def test_rat_overdue_lists_legal_entities_without_a_held_meeting(
    admin_user, coop, make_cooperative
):
    _legal(coop, datetime.date(2025, 8, 1))
    held = make_cooperative("64.02.06.1002")
    _legal(held, datetime.date(2025, 8, 1))
    services.rat_save(
        actor=admin_user,
        cooperative=held,
        fiscal_year=2025,
        held_on=datetime.date(2026, 5, 2),
        members_total=50,
        members_present=30,
        today=datetime.date(2026, 7, 2),
    )
    before_due = selectors.rat_overdue(user=admin_user, today=datetime.date(2026, 6, 30))
    assert list(before_due) == []
    after_due = selectors.rat_overdue(user=admin_user, today=datetime.date(2026, 7, 2))
    assert [c.pk for c in after_due] == [coop.pk]
