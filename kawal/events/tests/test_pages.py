import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kawal.core.models import AuditEvent
from kawal.events import services
from kawal.events.models import Attendance, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def launch(admin_user, make_event, make_venue, make_registrant, make_cooperative):
    from kawal.cooperatives.models import Cooperative

    for code in ("64.02.06.1001", "64.02.06.1002", "64.02.07.2001"):
        make_cooperative(code)
    event = make_event("hybrid", self_registration=True, budget_ref="5.1.02 Sosialisasi KMP")
    make_venue(event, capacity=40, district_code="64.02.06")
    make_venue(event, capacity=40, district_code="64.02.07")
    services.invite_cooperatives(
        actor=admin_user, event=event, cooperatives=Cooperative.objects.all()
    )
    for r in event.registrants.all()[:4]:
        services.checkin_door(actor=admin_user, event=event, venue=r.venue, code=r.code)
    return event


def test_creating_an_event_from_the_form_keeps_the_wib_time(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("events:create"),
        {
            "title": "Peluncuran Nasional KDKMP",
            "kind": "launch",
            "format": "hybrid",
            "region_code": "64.02",
            "announced_zone": "WIB",
            "starts_at": "2025-07-21T10:00",
            "ends_at": "2025-07-21T13:00",
            "checkin_opens_minutes": 60,
            "organiser": "Dinas Koperasi dan UKM",
            "video_url": "https://video.example.org/nasional",
            "delegates_per_cooperative": 3,
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.starts_at.isoformat() == "2025-07-21T03:00:00+00:00"
    assert AuditEvent.objects.filter(action="event_create", object_id=str(event.pk)).exists()
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "10.00 WIB" in page and "11.00 WITA" in page


def test_participant_list_partial_and_full_page(client, admin_user, launch):
    client.force_login(admin_user)
    url = reverse("events:registrants", args=[launch.pk])
    full = client.get(url)
    partial = client.get(url, {"status": "hadir"}, HTTP_HX_REQUEST="true")
    assert full.status_code == 200 and b"<html" in full.content
    assert b"<html" not in partial.content and b"<table" in partial.content
    assert partial.content.count(b"<tr>") == 1 + 4  # header + the four present


def test_pages_stay_within_twenty_queries(
    client, admin_user, launch, django_assert_max_num_queries
):
    client.force_login(admin_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name in ("list", "detail", "registrants", "live", "door", "plan", "report"):
        url = reverse(f"events:{name}", args=[] if name == "list" else [launch.pk])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, name
        counts[name] = len(captured)
    assert max(counts.values()) <= 20, counts


def test_report_export_and_certificate(client, admin_user, launch):
    client.force_login(admin_user)
    report = client.get(reverse("events:report", args=[launch.pk])).content.decode()
    assert "Tenggarong" in report and "Sebulu" in report
    export = client.get(reverse("events:export", args=[launch.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + launch.registrants.count()
    assert sum(1 for r in rows[1:] if r[6]) == 4
    attended = Attendance.objects.filter(event=launch).first().registrant
    pdf = client.get(reverse("events_public:certificate", args=[attended.code]))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert attended.name in text and launch.title in text
    absent = launch.registrants.filter(attendance__isnull=True).first()
    assert client.get(reverse("events_public:certificate", args=[absent.code])).status_code == 404


def test_ticket_page_and_pdf_carry_the_qr_and_code(client, launch):
    person = launch.registrants.first()
    page = client.get(reverse("events_public:ticket", args=[person.code]))
    assert page.status_code == 200 and b"<svg" in page.content
    assert services.format_code(person.code) in page.content.decode()
    pdf = client.get(reverse("events_public:ticket_pdf", args=[person.code]))
    assert pdf["Content-Type"] == "application/pdf"
    assert (
        services.format_code(person.code)
        in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    )


def test_whatsapp_message_carries_the_personal_link(
    client, admin_user, make_event, make_registrant
):
    event = make_event()
    make_registrant(event, name="Ketua Koperasi", phone="081234567890")
    client.force_login(admin_user)
    page = client.get(reverse("events:registrants", args=[event.pk])).content.decode()
    assert "https://wa.me/6281234567890?text=" in page and "//testserver/hadir/" in page


def test_planner_page_shows_the_arithmetic(client, admin_user, launch):
    client.force_login(admin_user)
    page = client.get(reverse("events:plan", args=[launch.pk])).content.decode()
    assert "3 × 3 = 9" in page  # three cooperatives, three delegates each
    assert "5.1.02 Sosialisasi KMP" in page


def test_unit_costs_are_saved_with_an_audit_row(client, admin_user, launch):
    client.force_login(admin_user)
    data = {
        f"cost_{k}": 1000
        for k in (
            "meal",
            "venue",
            "data_package",
            "nobar",
            "nobar_meal",
            "local_transport",
            "default_transport",
        )
    }
    data["transport_64.02.06"] = 250000
    response = client.post(reverse("events:costs", args=[launch.pk]), data)
    assert response.status_code == 302
    from kawal.events.selectors import unit_costs

    assert unit_costs(region_code="64.02")["meal"] == 1000
    assert AuditEvent.objects.filter(action="event_unit_costs_save").exists()
