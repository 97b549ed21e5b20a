"""Periodic reports: one click makes the PDF and XLSX in the worker; an issued report is frozen;
scope, future periods and double requests get clear answers."""

import datetime
import io

import pytest
from django.urls import reverse

from kawal.core.scope import Role
from kawal.reports import services
from kawal.reports.models import IssuedReport
from kawal.reports.tests.conftest import MUARA_BADAK, T_VILLAGES, TENGGARONG

pytestmark = pytest.mark.django_db
URL = "/dasbor/laporan/"


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _last_week(world) -> datetime.date:
    return services.last_period("mingguan", world["today"])[0]


def _issue(client, callbacks, region="64.02", kind="mingguan", day=None):
    with callbacks(execute=True):
        return client.post(URL, {"kind": kind, "region": region, "day": day.isoformat()})


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_one_click_issues_pdf_and_xlsx_with_the_numbers(
    world, sekda, client, django_capture_on_commit_callbacks
):
    client.force_login(sekda)
    response = _issue(client, django_capture_on_commit_callbacks, day=_last_week(world))
    assert response.status_code == 302
    report = IssuedReport.objects.get()
    assert report.status == IssuedReport.Status.DONE
    assert report.figures["total"] == 9
    # the PDF: letterhead, title, summary numbers, kecamatan table, overdue owners
    pdf = client.get(reverse("reports:report_file", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200
    text = _pdf_text(b"".join(pdf.streaming_content))
    assert "DINAS KOPERASI DAN USAHA KECIL MENENGAH" in text
    assert "LAPORAN PERKEMBANGAN KDKMP MINGGUAN" in text
    assert "KUTAI KARTANEGARA" in text.upper()
    assert "Berbadan hukum (SK AHU)" in text
    assert "Tenggarong" in text and "Muara Badak" in text
    assert "DPMD" in text and "BAPPEDA" in text
    assert "Kirim data lahan" in text
    assert "belum ada data" in text  # no snapshot 4 weeks ago
    # the XLSX: one sheet per section
    from openpyxl import load_workbook

    xlsx = client.get(reverse("reports:report_file", args=[report.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book.sheetnames == [
        "Ringkasan",
        "Tahapan",
        "Per wilayah",
        "TL per instansi",
        "TL terlambat",
    ]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["KMP terbentuk"] == 9
    assert summary["berbadan hukum"] == 7
    assert book["TL terlambat"].max_row == 1 + 3


def test_an_issued_report_never_changes(
    world, sekda, client, make_cooperative, django_capture_on_commit_callbacks
):
    from kawal.formation.models import StepRecord

    client.force_login(sekda)
    _issue(client, django_capture_on_commit_callbacks, day=_last_week(world))
    report = IssuedReport.objects.get()
    pdf_before = b"".join(
        client.get(reverse("reports:report_file", args=[report.pk, "pdf"])).streaming_content
    )
    figures_before = dict(report.figures)
    # when the data changes after issuing
    make_cooperative("64.02.05.2004")
    StepRecord.objects.filter(step="sk_ahu").delete()
    # then the issued report's numbers and files are the same
    report.refresh_from_db()
    assert report.figures == figures_before
    assert report.figures["total"] == 9
    pdf_after = b"".join(
        client.get(reverse("reports:report_file", args=[report.pk, "pdf"])).streaming_content
    )
    assert pdf_after == pdf_before
    # and running the make step again does nothing
    assert services.report_make(report.pk) == "skipped"


def test_future_period_is_refused_with_a_message(
    world, sekda, client, django_capture_on_commit_callbacks
):
    client.force_login(sekda)
    response = _issue(client, django_capture_on_commit_callbacks, day=world["today"])
    assert response.status_code == 400
    assert "belum berakhir" in response.content.decode()
    assert not IssuedReport.objects.exists()


def test_the_same_report_twice_one_wins_the_other_is_told(
    world, sekda, make_user, client, django_capture_on_commit_callbacks
):
    day = _last_week(world)
    other = make_user(Role.ADMIN_DINAS, "64.02")
    # one request is being made (queued in the worker) ...
    services.report_request(actor=other, kind="mingguan", region_code="64.02", day=day)
    # ... when the Sekda asks for the same report
    client.force_login(sekda)
    response = _issue(client, django_capture_on_commit_callbacks, day=day)
    assert response.status_code == 400
    assert "sudah terbit atau sedang dibuat" in response.content.decode()
    assert IssuedReport.objects.count() == 1


def test_region_outside_scope_is_404_and_camat_issues_its_kecamatan(
    world, camat, client, django_capture_on_commit_callbacks
):
    client.force_login(camat)
    day = _last_week(world)
    # the kecamatan next door and the regency are outside the camat's scope
    for region in (MUARA_BADAK, "64.02"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, {"kind": "mingguan", "region": region, "day": day})
        assert response.status_code in (400, 404)
    with pytest.raises(Exception) as refused:
        services.report_request(actor=camat, kind="mingguan", region_code=MUARA_BADAK, day=day)
    assert refused.type.__name__ == "Http404"
    # its own kecamatan: the camat's version, per village
    response = _issue(client, django_capture_on_commit_callbacks, region=TENGGARONG, day=day)
    assert response.status_code == 302
    report = IssuedReport.objects.get()
    assert report.figures["total"] == 6
    assert report.figures["level"] == 3
    text = _pdf_text(
        b"".join(
            client.get(reverse("reports:report_file", args=[report.pk, "pdf"])).streaming_content
        )
    )
    assert "KECAMATAN TENGGARONG" in text
    assert "Jahab" in text  # a village of Tenggarong


def test_files_only_through_the_scoped_view(
    world, sekda, make_user, client, django_capture_on_commit_callbacks
):
    client.force_login(sekda)
    _issue(client, django_capture_on_commit_callbacks, day=_last_week(world))
    report = IssuedReport.objects.get()
    # a camat does not see the regency's report, nor a pengurus
    for user in (make_user(Role.CAMAT, TENGGARONG), make_user(Role.PENGURUS, T_VILLAGES[0])):
        client.force_login(user)
        response = client.get(reverse("reports:report_file", args=[report.pk, "pdf"]))
        assert response.status_code in (403, 404)
    # and the list of a camat holds no regency report
    client.force_login(make_user(Role.CAMAT, TENGGARONG))
    assert (
        "Kutai Kartanegara" not in client.get(URL).content.decode().split("Laporan yang terbit")[1]
    )


def test_progress_is_polled_while_the_worker_makes_it(world, sekda, client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report = services.report_request(
        actor=sekda, kind="mingguan", region_code="64.02", day=_last_week(world)
    )
    client.force_login(sekda)
    page = client.get(URL).content.decode()
    assert f'hx-get="/dasbor/laporan/{report.pk}/status/"' in page
    assert "every 2s" in page
    services.report_make(report.pk)
    row = client.get(reverse("reports:report_status", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert "every 2s" not in row.content.decode()
    assert "PDF" in row.content.decode()


def test_weekly_command_issues_regency_and_kecamatan_reports(world):
    from django.core.management import call_command

    call_command("reports_issue", "--on", world["today"].isoformat())
    regions = set(IssuedReport.objects.values_list("region_id", flat=True))
    assert regions == {"64.02", TENGGARONG, MUARA_BADAK}
    assert set(IssuedReport.objects.values_list("status", flat=True)) == {"terbit"}
    # run again: nothing new, nothing remade
    call_command("reports_issue", "--on", world["today"].isoformat())
    assert IssuedReport.objects.count() == 3


def test_report_list_query_ceiling(world, sekda, client, django_assert_max_num_queries):
    for i in range(5):
        services.report_request(
            actor=sekda,
            kind="mingguan",
            region_code="64.02",
            day=_last_week(world) - datetime.timedelta(weeks=i),
        )
    client.force_login(sekda)
    with django_assert_max_num_queries(20):
        assert client.get(URL).status_code == 200


def test_monthly_report_covers_the_last_whole_month(
    world, sekda, client, django_capture_on_commit_callbacks
):
    client.force_login(sekda)
    start, end = services.last_period("bulanan", world["today"])
    assert start.day == 1 and (end + datetime.timedelta(days=1)).day == 1
    response = _issue(client, django_capture_on_commit_callbacks, kind="bulanan", day=start)
    assert response.status_code == 302
    report = IssuedReport.objects.get()
    assert (report.period_start, report.period_end) == (start, end)
    text = _pdf_text(
        b"".join(
            client.get(reverse("reports:report_file", args=[report.pk, "pdf"])).streaming_content
        )
    )
    assert "LAPORAN PERKEMBANGAN KDKMP BULANAN" in text
    assert "Bulan " in text


def test_a_national_user_picks_a_province_then_a_regency_before_issuing(world, client):
    # given a national user (every province in scope: too many regencies to list at once)
    from kawal.accounts.models import Grant, User
    from kawal.regions.models import Region

    user = User.objects.create_user("nasional", password="x")
    Grant.objects.create(user=user, role=Role.ADMIN_DINAS, region=None)
    Region.objects.create(code="65", name="KALIMANTAN UTARA", level=1, province_code="65")
    client.force_login(user)
    # when the report page opens: the provinces to pick from, no region list yet
    page = client.get(URL).content.decode()
    assert 'name="wilayah"' in page and "KALIMANTAN UTARA" in page
    assert 'name="region"' not in page
    # a province: its regencies; a regency: itself and its kecamatan
    page = client.get(URL, {"wilayah": "64"}).content.decode()
    assert '<option value="64.02"' in page and f'<option value="{TENGGARONG}"' not in page
    page = client.get(URL, {"wilayah": "64.02"}).content.decode()
    assert f'<option value="{TENGGARONG}"' in page and "— Tenggarong" in page
    # a region that does not exist is 404, not an empty form
    assert client.get(URL, {"wilayah": "99"}).status_code == 404


def test_a_regency_user_gets_its_regency_and_kecamatan_without_picking(world, sekda, client):
    client.force_login(sekda)
    page = client.get(URL).content.decode()
    assert 'id="rp-area"' not in page
    assert '<option value="64.02"' in page and f'<option value="{TENGGARONG}"' in page
