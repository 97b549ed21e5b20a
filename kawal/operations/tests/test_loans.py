"""Loans: the ceiling table, approvals, tranches, repayments, arrears and OJK class, stale saves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kawal.core.models import AuditEvent
from kawal.operations import selectors, services
from kawal.operations.models import Disbursement, Loan, LoanCeiling, Repayment

from .conftest import MUARA_BADAK, TENGGARONG

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("rencana.pdf", PDF, content_type="application/pdf")


def _approved(actor, coop, bank, amount=1_200_000_000, approved=1_200_000_000, term=12):
    loan = services.loan_create(
        actor=actor,
        cooperative=coop,
        bank=bank,
        amount_requested=amount,
        term_months=term,
        business_plan=_pdf(),
        on=D(2025, 10, 1),
    )
    services.loan_local_approval(
        actor=actor, loan=loan, approver_name="H. Samsul", approved_on=D(2025, 10, 3)
    )
    services.loan_set_status(actor=actor, loan=loan, status="diajukan", on=D(2025, 10, 4))
    services.loan_set_status(actor=actor, loan=loan, status="diverifikasi", on=D(2025, 10, 10))
    services.loan_set_status(
        actor=actor, loan=loan, status="disetujui", on=D(2025, 10, 20), amount_approved=approved
    )
    return loan


@pytest.mark.django_db
def test_the_ceiling_comes_from_the_table_and_a_loan_above_it_is_refused(
    legal_coop, bank, admin_user
):
    coop = legal_coop()
    assert services.loan_ceiling() == 3_000_000_000  # seeded: PMK 49/2025

    with pytest.raises(ValidationError) as error:
        services.loan_create(
            actor=admin_user, cooperative=coop, bank=bank, amount_requested=3_000_000_001
        )
    assert "amount_requested" in error.value.message_dict
    assert not Loan.objects.exists()

    LoanCeiling.objects.create(amount=4_000_000_000, valid_from=D(2026, 1, 1))
    loan = services.loan_create(
        actor=admin_user, cooperative=coop, bank=bank, amount_requested=3_500_000_000
    )
    assert loan.status == Loan.Status.DRAFT
    assert AuditEvent.objects.filter(action="loan_create", object_id=str(loan.pk)).exists()


@pytest.mark.django_db
def test_two_live_proposals_together_may_not_exceed_the_ceiling(legal_coop, bank, admin_user):
    coop = legal_coop()
    services.loan_create(
        actor=admin_user, cooperative=coop, bank=bank, amount_requested=2_000_000_000
    )
    with pytest.raises(ValidationError):
        services.loan_create(
            actor=admin_user, cooperative=coop, bank=bank, amount_requested=1_500_000_000
        )


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [0, -5_000_000])
def test_negative_or_zero_amounts_are_refused(legal_coop, bank, admin_user, amount):
    with pytest.raises(ValidationError):
        services.loan_create(
            actor=admin_user, cooperative=legal_coop(), bank=bank, amount_requested=amount
        )
    assert not Loan.objects.exists()


@pytest.mark.django_db
def test_submission_needs_the_business_plan_and_the_local_approval(legal_coop, bank, admin_user):
    coop = legal_coop(MUARA_BADAK)
    loan = services.loan_create(
        actor=admin_user, cooperative=coop, bank=bank, amount_requested=900_000_000
    )
    assert loan.approver == Loan.Approver.VILLAGE_HEAD  # a desa: the kepala desa approves

    with pytest.raises(ValidationError):
        services.loan_set_status(actor=admin_user, loan=loan, status="diajukan", on=D(2025, 11, 1))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.DRAFT


@pytest.mark.django_db
def test_a_kelurahan_loan_is_approved_by_the_bupati(legal_coop, bank, admin_user):
    loan = services.loan_create(
        actor=admin_user, cooperative=legal_coop(TENGGARONG), bank=bank, amount_requested=5
    )
    assert loan.approver == Loan.Approver.REGENT


@pytest.mark.django_db
def test_a_disbursement_above_the_approved_amount_is_refused(legal_coop, bank, admin_user):
    loan = _approved(admin_user, legal_coop(), bank, approved=1_000_000_000)
    services.loan_disburse(
        actor=admin_user, loan=loan, amount=600_000_000, disbursed_on=D(2025, 11, 1)
    )

    with pytest.raises(ValidationError) as error:
        services.loan_disburse(
            actor=admin_user, loan=loan, amount=500_000_000, disbursed_on=D(2025, 12, 1)
        )

    assert "amount" in error.value.message_dict
    assert Disbursement.objects.filter(loan=loan).count() == 1
    assert loan.installments.count() == 12


@pytest.mark.django_db
def test_a_repayment_before_disbursement_is_refused(legal_coop, bank, admin_user):
    loan = _approved(admin_user, legal_coop(), bank)

    with pytest.raises(ValidationError):
        services.loan_repay(actor=admin_user, loan=loan, amount=1_000_000, paid_on=D(2025, 11, 5))
    assert not Repayment.objects.exists()


@pytest.mark.django_db
def test_days_in_arrears_and_the_ojk_class_are_computed_from_the_schedule(
    legal_coop, bank, admin_user
):
    today = timezone.localdate()
    loan = _approved(admin_user, legal_coop(), bank, approved=1_200_000_000, term=24)
    start = D(2025, 10, 25)
    services.loan_disburse(actor=admin_user, loan=loan, amount=1_200_000_000, disbursed_on=start)
    first = loan.installments.order_by("number").first()
    assert first.principal == 50_000_000
    assert first.interest == 6_000_000  # 6% a year on 1.2 billion, per month
    services.loan_repay(actor=admin_user, loan=loan, amount=first.amount, paid_on=first.due_on)

    row = selectors.loan_list(user=admin_user).get(pk=loan.pk)
    second = loan.installments.order_by("number")[1]
    assert row.oldest_unpaid == second.due_on
    days = selectors.days_in_arrears(row, today)
    assert days == (today - second.due_on).days
    assert row.klass == selectors.collectability(days)
    assert row.disbursed - row.repaid_principal == 1_150_000_000
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAYING


@pytest.mark.parametrize(
    "days, klass", [(0, 1), (1, 2), (90, 2), (91, 3), (120, 3), (121, 4), (180, 4), (181, 5)]
)
def test_collectability_follows_the_ojk_bands(days, klass):
    assert selectors.collectability(days) == klass


@pytest.mark.django_db
def test_two_officers_saving_one_loan_the_stale_save_is_refused(legal_coop, bank, admin_user):
    loan = services.loan_create(
        actor=admin_user, cooperative=legal_coop(), bank=bank, amount_requested=800_000_000
    )
    mine = Loan.objects.get(pk=loan.pk)
    theirs = Loan.objects.get(pk=loan.pk)
    services.loan_update(
        actor=admin_user, loan=theirs, expected_version=theirs.version, purpose="Gerai sembako"
    )

    with pytest.raises(ValidationError) as error:
        services.loan_update(
            actor=admin_user, loan=mine, expected_version=mine.version, purpose="Cold storage"
        )

    assert error.value.code == "stale"
    loan.refresh_from_db()
    assert loan.purpose == "Gerai sembako"


@pytest.mark.django_db
def test_a_loan_for_an_outlet_of_another_cooperative_is_refused(
    legal_coop, make_outlet, bank, admin_user
):
    other = make_outlet(legal_coop(MUARA_BADAK))
    with pytest.raises(ValidationError) as error:
        services.loan_create(
            actor=admin_user,
            cooperative=legal_coop(),
            bank=bank,
            amount_requested=100_000_000,
            outlet=other,
        )
    assert "outlet" in error.value.message_dict


@pytest.mark.django_db
def test_the_portfolio_adds_up_per_kecamatan_and_per_bank(
    legal_coop, bank, partner, admin_user, django_assert_max_num_queries
):
    bni = partner("Bank BNI", "bank")
    one = _approved(admin_user, legal_coop(TENGGARONG), bank, approved=1_000_000_000)
    services.loan_disburse(
        actor=admin_user, loan=one, amount=1_000_000_000, disbursed_on=D(2025, 11, 1)
    )
    services.loan_create(
        actor=admin_user, cooperative=legal_coop(MUARA_BADAK), bank=bni, amount_requested=7
    )

    with django_assert_max_num_queries(8):
        data = selectors.portfolio(user=admin_user)

    assert data["total"]["n"] == 2
    assert data["total"]["proposed"] == 1_200_000_000  # drafts are not proposed yet
    assert data["total"]["approved"] == 1_000_000_000
    assert data["total"]["disbursed"] == 1_000_000_000
    assert data["total"]["outstanding"] == 1_000_000_000
    assert {r["bank__name"]: r["n"] for r in data["per_bank"]} == {"Bank BNI": 1, "Bank BRI": 1}
    assert [r["code"] for r in data["per_district"]] == [
        "64.02.05",
        "64.02.06",
    ]
