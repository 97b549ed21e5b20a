"""Caseloads, consultations and the BA monthly-report workflow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from kawal.core.models import AuditEvent
from kawal.core.scope import Cap, Role, can, forget
from kawal.followups.models import FollowUp
from kawal.mentoring import rules, selectors, services
from kawal.mentoring.models import Assignment, Consultation, MonthlyReport
from kawal.regions.models import Region


def _villages(regency, n):
    return list(
        Region.objects.filter(regency_code=regency, level=4)
        .order_by("code")
        .values_list("code", flat=True)[:n]
    )


# --- Caseloads ---------------------------------------------------------------------------------


def test_assignment_gives_the_mentor_edit_on_the_village_and_ending_keeps_history(
    ba, coop, admin_user
):
    assert can(ba, Cap.EDIT, coop.village_id)
    assignment = Assignment.objects.get(mentor=ba, cooperative=coop)
    services.assignment_end(
        actor=admin_user, assignment=assignment, ended_on=timezone.localdate(), reason="pindah"
    )
    forget(ba)  # the scope cache lives on the user object for one request
    assert not can(ba, Cap.EDIT, coop.village_id)
    assert Assignment.objects.filter(mentor=ba, cooperative=coop).count() == 1
    assert AuditEvent.objects.filter(action="assignment_end", note="pindah").exists()
    # Re-assigning makes a second row; the old one stays.
    services.assignment_start(
        actor=admin_user, mentor=ba, cooperative=coop, started_on=timezone.localdate()
    )
    assert Assignment.objects.filter(mentor=ba, cooperative=coop).count() == 2


def test_the_same_active_assignment_twice_is_refused(ba, coop, admin_user):
    with pytest.raises(ValidationError):
        services.assignment_start(
            actor=admin_user, mentor=ba, cooperative=coop, started_on=timezone.localdate()
        )


def test_more_than_fifteen_cooperatives_for_a_ba_warns_but_is_allowed(
    make_mentor, make_cooperative, admin_user
):
    coops = [make_cooperative(code) for code in _villages("64.02", 16)]
    ba = make_mentor(cooperatives=coops[:15])
    assert services.caseload_warning(ba) is None
    services.assignment_start(
        actor=admin_user, mentor=ba, cooperative=coops[15], started_on=timezone.localdate()
    )
    assert services.active_caseload(ba) == 16
    assert "16" in services.caseload_warning(ba)


def test_no_caseload_warning_for_dinas_staff(make_mentor, make_cooperative):
    coops = [make_cooperative(code) for code in _villages("64.02", 16)]
    staff = make_mentor(kind="dinas", cooperatives=coops)
    assert services.caseload_warning(staff) is None


def test_a_camat_cannot_assign_outside_its_kecamatan(make_user, ba, other_coop):
    camat = make_user(Role.CAMAT, "64.02.06")
    with pytest.raises(Http404):
        services.assignment_start(
            actor=camat, mentor=ba, cooperative=other_coop, started_on=timezone.localdate()
        )


def test_mentor_contract_cannot_end_before_it_starts(admin_user, make_user):
    user = make_user(Role.PENDAMPING, "64.02.06")
    with pytest.raises(ValidationError):
        services.mentor_save(
            actor=admin_user,
            user=user,
            kind="ba",
            region_code="64.02.06",
            contract_start=datetime.date(2026, 6, 1),
            contract_end=datetime.date(2026, 5, 1),
        )


# --- Consultations -----------------------------------------------------------------------------


def _walk_in(actor, coop, **kw):
    kw.setdefault("visitor_name", "Budi")
    kw.setdefault("visitor_role", "ketua")
    kw.setdefault("topic", "simkopdes")
    kw.setdefault("question", "Akun terkunci")
    return services.consultation_create(actor=actor, cooperative=coop, **kw)


def test_walk_in_without_advice_waits_in_todays_queue_until_served(admin_user, coop, agency):
    waiting = _walk_in(admin_user, coop)
    served = _walk_in(admin_user, coop, advice="Hubungi admin SIMKOPDES")
    queue = list(selectors.consultation_queue(user=admin_user))
    assert queue == [waiting, served]
    assert waiting.is_waiting and not served.is_waiting
    services.consultation_serve(
        actor=admin_user,
        consultation=waiting,
        advice="Reset kata sandi",
        referral_agency=agency,
        followup={"title": "Cek akun", "owner_agency": agency, "due_date": timezone.localdate()},
    )
    waiting.refresh_from_db()
    assert waiting.served_by == admin_user and waiting.referral_agency == agency
    assert FollowUp.objects.get().source == waiting
    assert AuditEvent.objects.filter(action="consultation_serve").count() == 1


def test_consultation_for_a_cooperative_outside_scope_is_404(make_user, other_coop):
    camat = make_user(Role.CAMAT, "64.02.06")
    with pytest.raises(Http404):
        _walk_in(camat, other_coop)
    assert not Consultation.objects.exists()


def test_consultation_in_the_future_is_refused(admin_user, coop):
    with pytest.raises(ValidationError):
        _walk_in(admin_user, coop, date=timezone.localdate() + datetime.timedelta(days=1))


def test_serving_needs_advice(admin_user, coop):
    waiting = _walk_in(admin_user, coop)
    with pytest.raises(ValidationError):
        services.consultation_serve(actor=admin_user, consultation=waiting, advice="  ")


# --- Monthly reports ---------------------------------------------------------------------------


def test_report_workflow_draft_submit_return_resubmit_accept(ba, coop, admin_user):
    month = rules.first_of_month(timezone.localdate())
    report = services.report_save(
        actor=ba, month=month, activities="Kunjungan", cooperatives=[coop]
    )
    assert report.status == MonthlyReport.Status.DRAFT
    services.report_submit(actor=ba, report=report)
    with pytest.raises(ValidationError):  # a reason is required to return
        services.report_review(actor=admin_user, report=report, accept=False, reason="")
    services.report_review(actor=admin_user, report=report, accept=False, reason="Lampiran")
    assert report.status == MonthlyReport.Status.RETURNED and report.return_reason == "Lampiran"
    report = services.report_save(
        actor=ba, report=report, month=month, activities="Kunjungan + foto", cooperatives=[coop]
    )
    services.report_submit(actor=ba, report=report)
    services.report_review(actor=admin_user, report=report, accept=True)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.ACCEPTED and report.reviewed_by == admin_user
    assert list(report.cooperatives_reached.all()) == [coop]
    actions = list(
        AuditEvent.objects.filter(object_id=str(report.pk), action__startswith="report_")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "report_create",
        "report_submit",
        "report_return",
        "report_update",
        "report_submit",
        "report_accept",
    ]
    with pytest.raises(ValidationError):  # accepted reports are final
        services.report_save(actor=ba, report=report, month=month, activities="x")


def test_only_the_author_edits_and_the_author_does_not_review(ba, coop, make_mentor, admin_user):
    report = services.report_save(actor=ba, month=timezone.localdate(), activities="x")
    other = make_mentor("64.02.06", username="ba-lain")
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=other, report=report)
    services.report_submit(actor=ba, report=report)
    with pytest.raises(PermissionDenied):
        services.report_review(actor=ba, report=report, accept=True)


def test_report_for_a_future_month_or_twice_is_refused(ba):
    next_month = rules.next_month(timezone.localdate())
    with pytest.raises(ValidationError):
        services.report_save(actor=ba, month=next_month, activities="x")
    services.report_save(actor=ba, month=timezone.localdate(), activities="x")
    with pytest.raises(ValidationError):
        services.report_save(actor=ba, month=timezone.localdate(), activities="y")


def test_deadline_is_the_fifth_of_the_following_month():
    assert rules.REPORT_DEADLINE_DAY == 5
    assert rules.report_deadline(datetime.date(2026, 12, 1)) == datetime.date(2027, 1, 5)


def test_missing_and_late_reports_are_listed(ba, admin_user):
    today = datetime.date(2026, 11, 26)
    # Due so far: June..October (November is due on 5 December).
    reports = {}
    for month in (6, 7, 8, 10):
        r = services.report_save(actor=ba, month=datetime.date(2026, month, 1), activities="x")
        reports[month] = r
    for month in (6, 7, 8):
        services.report_submit(actor=ba, report=reports[month])
    late_at = timezone.make_aware(datetime.datetime(2026, 8, 9, 10))  # July's deadline: 5 Aug
    MonthlyReport.objects.filter(pk=reports[7].pk).update(first_submitted_at=late_at)
    on_time = timezone.make_aware(datetime.datetime(2026, 7, 5, 20))
    MonthlyReport.objects.filter(pk__in=[reports[6].pk, reports[8].pk]).update(
        first_submitted_at=on_time
    )
    overview = selectors.reports_missing_and_late(user=admin_user, today=today)
    missing = [(r["month"].month, r["report"] is not None) for r in overview["missing"]]
    assert missing == [(9, False), (10, True)]  # September never written, October a draft
    assert [r["month"].month for r in overview["late"]] == [7]


def test_a_mentor_does_not_hand_out_its_own_caseload(ba, coop, make_mentor, client):
    other = make_mentor("64.02.06", username="ba-lain")
    with pytest.raises(PermissionDenied):
        services.assignment_start(
            actor=ba, mentor=other, cooperative=coop, started_on=timezone.localdate()
        )
    with pytest.raises(PermissionDenied):
        services.checklist_item_save(actor=ba, region_code=coop.village_id, label="x")
    client.force_login(ba)
    assert client.get("/pendampingan/penugasan/baru/").status_code == 403
    assert client.get("/pendampingan/daftar-periksa/").status_code == 403
    assert client.get("/pendampingan/penugasan/impor/").status_code == 403
    assert b"daftar-periksa" not in client.get("/pendampingan/kunjungan/").content
