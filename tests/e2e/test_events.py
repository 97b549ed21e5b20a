"""The committee at the door of a watch point, on a phone: types a code (as people read it out,
lower case with dashes), hears "already counted" on a repeat and "not a valid code" on a typo,
then scans a QR ticket with the camera (the browser's BarcodeDetector, stubbed here with a
fake camera because desktop Chromium has none). The live count and the planner are shown at
desktop width, the personal ticket at phone width."""

import datetime

from django.utils import timezone

from kawal.core.scope import Role
from kawal.events import services
from tests.e2e.conftest import login, screenshot

FAKE_CAMERA = """
(() => {
  const canvas = document.createElement('canvas');
  canvas.width = 320; canvas.height = 240;
  const ctx = canvas.getContext('2d');
  let frame = 0;
  setInterval(() => {  // a moving picture, so the stream has frames
    frame += 1; ctx.fillStyle = frame % 2 ? '#444' : '#555'; ctx.fillRect(0, 0, 320, 240);
  }, 100);
  navigator.mediaDevices.getUserMedia = async () => canvas.captureStream(5);
  let shown = 0;
  window.BarcodeDetector = class {
    constructor(options) { this.options = options; }
    async detect(source) {
      shown += 1;
      // the ticket is held up for a while: the same QR is seen on many frames
      return shown < 40 ? [{ rawValue: window.__qr, format: 'qr_code' }] : [];
    }
  };
})();
"""


def _launch(admin):
    start = timezone.now() - datetime.timedelta(minutes=30)
    event = services.event_create(
        actor=admin,
        title="Peluncuran KDKMP Kutai Kartanegara",
        kind="launch",
        format="hybrid",
        region_id="64.02",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        announced_zone="WIB",
        organiser="Dinas Koperasi dan UKM Kabupaten Kutai Kartanegara",
        video_url="https://video.example.org/peluncuran",
        budget_ref="DPA 2025 Sosialisasi KMP",
    )
    point = services.venue_save(
        actor=admin,
        event=event,
        kind="watch_point",
        name="Titik nobar Kantor Camat Tenggarong",
        capacity=40,
        district_code="64.02.06",
    )
    people = [
        services.registrant_add(
            actor=admin,
            event=event,
            kind="official",
            name=name,
            position=pos,
            venue=point,
            district_code="64.02.06",
        )
        for name, pos in [
            ("Siti Rahmawati", "Ketua KMP Loa Ipuh"),
            ("Budi Santoso", "Bendahara KMP Timbau"),
        ]
    ]
    return event, point, people


def test_door_on_a_phone_typed_and_scanned(phone_page, browser, live_server, make_user):
    admin = make_user(Role.ADMIN_DINAS, "64.02", username="panitia", first_name="Panitia")
    event, point, (siti, budi) = _launch(admin)
    page = phone_page
    page.add_init_script(FAKE_CAMERA)
    login(page, "panitia")
    page.goto(f"{page.base}/acara/{event.pk}/pintu/?tempat={point.pk}")

    # typed as read out: lower case, with dashes
    page.fill("#id_code", services.format_code(siti.code).lower())
    page.get_by_role("button", name="Catat hadir").click()
    result = page.locator("#door-result")
    result.get_by_text("Selamat datang").wait_for()
    assert "Siti Rahmawati" in result.inner_text()
    assert "1 dari 40 kursi" in result.inner_text()
    screenshot(page, "events-door-phone")

    # the same code again: counted once
    page.fill("#id_code", siti.code)
    page.keyboard.press("Enter")
    result.get_by_text("dihitung sekali").wait_for()

    # a typo: too short
    page.fill("#id_code", "ABCD-1234")
    page.keyboard.press("Enter")
    result.get_by_text("Bukan kode yang sah").wait_for()
    screenshot(page, "events-door-phone-invalid")

    # the camera: Budi holds up his ticket (its QR holds his personal link)
    page.evaluate(f"window.__qr = '{live_server.url}/hadir/{budi.code}/'")
    page.get_by_role("button", name="Pindai QR dengan kamera").click()
    result.get_by_text("Budi Santoso").wait_for()
    assert "2 dari 40 kursi" in result.inner_text()
    screenshot(page, "events-door-phone-scan")
    page.get_by_role("button", name="Matikan kamera").click()

    from kawal.events.models import Attendance

    assert Attendance.objects.filter(event=event).count() == 2


def test_live_count_planner_and_ticket(page, phone_page, make_user):
    admin = make_user(Role.ADMIN_DINAS, "64.02", username="dinas", first_name="Admin")
    event, point, (siti, _budi) = _launch(admin)
    services.checkin_door(actor=admin, event=event, venue=point, code=siti.code)
    login(page, "dinas")
    page.goto(f"{page.base}/acara/{event.pk}/")
    assert "WIB" in page.inner_text("main") and "WITA" in page.inner_text("main")
    screenshot(page, "events-detail")
    page.goto(f"{page.base}/acara/{event.pk}/langsung/")
    assert "Tenggarong" in page.inner_text("main")
    screenshot(page, "events-live")
    page.goto(f"{page.base}/acara/{event.pk}/rencana/")
    page.locator("#recommendation").wait_for()
    screenshot(page, "events-planner")

    phone_page.goto(f"{phone_page.base}/hadir/{siti.code}/tiket/")
    assert services.format_code(siti.code) in phone_page.inner_text("main")
    screenshot(phone_page, "events-ticket-phone")
