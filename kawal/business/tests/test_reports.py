"""Submitting, correcting, verifying and rejecting a monthly report; the bad inputs."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from kawal.business import services
from kawal.business.models import BusinessReport, MonthlyStatus, OutletLine, ReportStatus
from kawal.business.tests.conftest import figures, line
from kawal.core.models import AuditEvent


def test_pengurus_submits_a_month_with_integer_rupiah_and_an_audit_row(submit, coop):
    report = submit(lines=[line(coop.sembako, revenue=12_345_678, cogs=10_000_000, cost=345_678)])
    stored = OutletLine.objects.get(report=report)
    assert stored.profit == 2_000_000 and isinstance(stored.profit, int)
    assert report.status == ReportStatus.SUBMITTED
    event = AuditEvent.objects.get(action="business_report_submit", object_id=str(report.pk))
    assert event.region_code == coop.village_id


def test_a_month_in_the_future_is_refused_and_nothing_is_saved(submit):
    with pytest.raises(ValidationError) as error:
        submit(month=datetime.date(2026, 7, 1))
    assert "month" in error.value.message_dict
    assert not BusinessReport.objects.exists()


def test_an_outlet_that_is_not_open_is_refused(submit, coop, other_coop):
    with pytest.raises(ValidationError) as error:
        submit(lines=[line(coop.sembako), line(coop.planned)])
    assert "line-1" in error.value.message_dict  # the planned outlet, the second line
    with pytest.raises(ValidationError):
        submit(lines=[line(other_coop.sembako)])  # another cooperative's outlet
    assert not BusinessReport.objects.exists() and not OutletLine.objects.exists()


def test_negative_member_counts_and_decimals_are_refused(submit):
    with pytest.raises(ValidationError) as error:
        submit(figures=figures(members_left=-3))
    assert "members_left" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        submit(figures=figures(total_assets=10.5))
    assert "total_assets" in error.value.message_dict
    assert not BusinessReport.objects.exists()


def test_a_second_report_for_the_same_month_becomes_an_audited_correction(submit, coop):
    first = submit()
    second = submit(lines=[line(coop.sembako, revenue=11_000_000)])
    assert second.pk == first.pk
    assert second.corrections == 1
    assert BusinessReport.objects.count() == 1
    event = AuditEvent.objects.get(action="business_report_correct", object_id=str(first.pk))
    assert "lines" in event.changes


def test_a_stale_edit_is_refused(submit, coop):
    report = submit()
    loaded_version = report.version
    submit(expected_version=loaded_version)  # someone else saves first
    with pytest.raises(ValidationError) as error:
        submit(expected_version=loaded_version, lines=[line(coop.sembako, revenue=1)])
    assert error.value.code == "stale"
    assert OutletLine.objects.get().revenue == 10_000_000


def test_the_assigned_ba_verifies_and_the_status_is_recomputed(submit, ba, coop, today):
    report = submit()
    services.report_verify(actor=ba, report=report, expected_version=report.version, today=today)
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED and report.verified_by == ba
    assert AuditEvent.objects.filter(action="business_report_verify").count() == 1
    status = MonthlyStatus.objects.get(cooperative=coop, month=datetime.date(2026, 5, 1))
    assert status.status == "beroperasi" and status.revenue == 10_000_000


def test_the_submitter_may_not_verify_its_own_report(submit, admin_user, coop):
    report = submit(actor=admin_user)
    with pytest.raises(ValidationError) as error:
        services.report_verify(actor=admin_user, report=report)
    assert error.value.code == "four_eyes"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_pengurus_or_a_ba_of_another_caseload_may_not_verify(
    submit, pengurus, make_ba, admin_user
):
    report = submit(actor=admin_user)
    with pytest.raises(PermissionDenied):
        services.report_verify(actor=pengurus, report=report)
    stranger = make_ba([], username="ba-lain")
    with pytest.raises(PermissionDenied):
        services.report_verify(actor=stranger, report=report)
    outsider = make_ba([], region_code="64.02.05", username="ba-muarabadak")
    with pytest.raises(Http404):
        services.report_verify(actor=outsider, report=report)


def test_rejection_needs_a_reason_and_is_audited(submit, ba):
    report = submit()
    with pytest.raises(ValidationError):
        services.report_reject(actor=ba, report=report, reason="  ")
    services.report_reject(actor=ba, report=report, reason="Omzet apotek tidak sesuai nota.")
    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED
    assert AuditEvent.objects.get(action="business_report_reject").note.startswith("Omzet")


def test_a_correction_after_verification_goes_back_for_a_new_check(submit, ba, coop, today):
    report = submit()
    services.report_verify(actor=ba, report=report, today=today)
    corrected = submit(lines=[line(coop.sembako, revenue=9_000_000)])
    assert corrected.status == ReportStatus.SUBMITTED and corrected.verified_by is None


def test_jumps_and_figures_that_do_not_add_up_are_flagged_not_refused(submit, coop):
    submit(month=datetime.date(2026, 4, 1))
    report = submit(
        lines=[line(coop.sembako, revenue=90_000_000, cogs=1, cost=1, profit=5)],
        figures=figures(members_total=600),
    )
    codes = {f["code"] for f in report.flags}
    assert {"revenue_jump", "profit_mismatch", "members_mismatch", "members_jump"} <= codes
    assert report.status == ReportStatus.SUBMITTED


def test_two_months_without_verified_revenue_make_an_operating_kmp_dormant(submit, ba, today):
    from kawal.business.services import status_refresh

    report = submit(month=datetime.date(2026, 3, 1))
    services.report_verify(actor=ba, report=report, today=today)
    status_refresh(months=[datetime.date(2026, 5, 1)])
    status = MonthlyStatus.objects.get(month=datetime.date(2026, 5, 1))
    assert status.status == "vakum"


def test_rat_records_quorum_and_refuses_bad_figures(pengurus, coop, today, pdf_file):
    rat = services.rat_save(
        actor=pengurus,
        cooperative=coop,
        fiscal_year=2025,
        held_on=datetime.date(2026, 4, 12),
        members_total=100,
        members_present=51,
        minutes=pdf_file("notulen.pdf"),
        shu=10_000_000,
        shu_members=4_000_000,
        shu_reserve=4_000_000,
        shu_other=2_000_000,
        today=today,
    )
    assert rat.due_on == datetime.date(2026, 6, 30)
    assert services.rat_quorum_met(rat) is True
    assert AuditEvent.objects.filter(action="business_rat_save").exists()
    with pytest.raises(ValidationError) as error:
        services.rat_save(
            actor=pengurus,
            cooperative=coop,
            fiscal_year=2025,
            expected_version=rat.version,
            members_present=120,
            shu_other=1,
            today=today,
        )
    assert {"members_present", "shu_other"} <= set(error.value.message_dict)
