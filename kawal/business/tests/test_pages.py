"""The pages: the phone report form, the check by the BA, the regency page and its drill-down,
the KMP page with charts, signboards, missing reports, RAT, export; query-count ceilings."""

import datetime

import pytest
from django.utils import timezone

from kawal.business import services
from kawal.business.models import BusinessReport, MonthlyStatus, ReportStatus
from kawal.business.tests.conftest import line
from kawal.core.scope import Role


@pytest.fixture
def frozen_today(monkeypatch, today):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    return today


def test_pengurus_submits_on_the_form_and_the_ba_verifies(client, pengurus, ba, coop, frozen_today):
    client.force_login(pengurus)
    page = client.get(f"/usaha/koperasi/{coop.pk}/lapor/")
    assert page.status_code == 200 and "Klinik" not in page.content.decode()
    response = client.post(
        f"/usaha/koperasi/{coop.pk}/lapor/",
        {
            "month": "2026-05",
            f"o{coop.sembako.pk}-revenue": "12.500.000",
            f"o{coop.sembako.pk}-cogs": "9.000.000",
            f"o{coop.sembako.pk}-operating_cost": "500.000",
            "members_total": "90",
        },
    )
    report = BusinessReport.objects.get()
    assert response.status_code == 302
    assert report.lines.get().profit == 3_000_000
    client.force_login(ba)
    response = client.post(
        f"/usaha/laporan/{report.pk}/", {"version": report.version, "verify": "1"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED


def test_the_form_shows_the_refusal_of_a_decimal_amount(client, pengurus, coop, frozen_today):
    client.force_login(pengurus)
    response = client.post(
        f"/usaha/koperasi/{coop.pk}/lapor/",
        {"month": "2026-05", f"o{coop.sembako.pk}-revenue": "12,5"},
    )
    assert response.status_code == 200 and not BusinessReport.objects.exists()


def test_the_submitter_sees_no_check_buttons(client, submit, pengurus, frozen_today):
    report = submit()
    client.force_login(pengurus)
    page = client.get(f"/usaha/laporan/{report.pk}/").content.decode()
    assert 'name="verify"' not in page


def test_reject_on_the_page_without_reason_shows_the_error(client, submit, ba, frozen_today):
    report = submit()
    client.force_login(ba)
    response = client.post(
        f"/usaha/laporan/{report.pk}/", {"version": report.version, "reject": "1"}
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_stale_check_on_the_page_is_refused(client, submit, ba, frozen_today):
    report = submit()
    old = report.version
    submit()  # corrected meanwhile
    client.force_login(ba)
    response = client.post(f"/usaha/laporan/{report.pk}/", {"version": old, "verify": "1"})
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def _history(submit, ba, coop, today):
    for month in (3, 4, 5):
        report = submit(
            month=datetime.date(2026, month, 1),
            lines=[line(coop.sembako, revenue=month * 1_000_000, cogs=0, cost=0)],
        )
        services.report_verify(actor=ba, report=report, today=today)


def test_regency_page_counts_per_kecamatan_and_drills_down_with_htmx(
    client, admin_user, submit, ba, coop, frozen_today, django_assert_max_num_queries
):
    _history(submit, ba, coop, frozen_today)
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        full = client.get("/usaha/?bulan=2026-05")
    assert full.status_code == 200 and "<html" in full.content.decode()
    with django_assert_max_num_queries(20):
        partial = client.get("/usaha/?bulan=2026-05&kecamatan=64.02.06", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and coop.name in body


def test_kmp_page_draws_charts_and_the_score_items(
    client, pengurus, submit, ba, coop, frozen_today, django_assert_max_num_queries
):
    _history(submit, ba, coop, frozen_today)
    client.force_login(pengurus)
    with django_assert_max_num_queries(20):
        page = client.get(f"/usaha/koperasi/{coop.pk}/")
    body = page.content.decode()
    assert body.count("<svg") >= 4
    assert "15/15" in body  # revenue rose three months in a row: the trend item is full
    assert MonthlyStatus.objects.filter(cooperative=coop).exists()


def test_ba_page_missing_and_rat_lists_keep_a_query_ceiling(
    client, ba, admin_user, submit, frozen_today, django_assert_max_num_queries
):
    submit()
    for user in (ba, admin_user):
        client.force_login(user)
        for url in (
            "/usaha/pendamping/",
            "/usaha/belum-lapor/?per=ba",
            "/usaha/rat/",
            "/usaha/papan-nama/",
        ):
            with django_assert_max_num_queries(20):
                assert client.get(url).status_code == 200, url


def test_missing_list_links_whatsapp_only_for_those_who_act(client, coop, make_user, frozen_today):
    from kawal.cooperatives.models import Officer

    Officer.objects.create(
        cooperative=coop,
        body="pengurus",
        position="ketua",
        name="Ketua",
        sex="L",
        phone="+6281234567890",
    )
    dinas = make_user(Role.ADMIN_DINAS, "64.02")
    leader = make_user(Role.PIMPINAN, "64.02")
    client.force_login(dinas)
    assert "wa.me/6281234567890" in client.get("/usaha/belum-lapor/").content.decode()
    client.force_login(leader)
    assert "wa.me" not in client.get("/usaha/belum-lapor/").content.decode()


def test_export_streams_the_month(client, admin_user, submit, ba, coop, frozen_today):
    _history(submit, ba, coop, frozen_today)
    client.force_login(admin_user)
    response = client.get("/usaha/ekspor.xlsx?bulan=2026-05")
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_daily_job_writes_missing_reports_and_statuses(coop, other_coop, submit, today):
    from kawal.core.daily import run_daily_jobs

    submit()  # May reported by coop; other_coop has not
    result = run_daily_jobs(on=today)["business"]
    assert result["missing_reports"] == 1 and result["month"] == "2026-05-01"
    assert MonthlyStatus.objects.filter(month=datetime.date(2026, 6, 1)).count() >= 2


def test_home_panel_shows_the_month_counts_in_one_query(client, admin_user, coop, frozen_today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kawal.business.contributions import home_panel

    services.status_refresh(months=[datetime.date(2026, 5, 1)])
    request = type("R", (), {"user": admin_user})()
    with CaptureQueriesContext(connection) as captured:
        context = home_panel(request)
    business = [q for q in captured.captured_queries if "business_" in q["sql"]]
    assert len(business) == 1
    assert dict(context["counts"])["vakum"] == 1  # open outlets, no verified revenue
    client.force_login(admin_user)
    assert "/usaha/papan-nama/" in client.get("/").content.decode()
