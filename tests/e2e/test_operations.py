"""A pengurus moves its outlet into construction with a photo on a phone; the Dinas then sees
the cooperative in the "what holds it back" table."""

import datetime

from kawal.core.scope import Role
from kawal.operations.tests.conftest import png_bytes
from tests.e2e.conftest import PASSWORD, screenshot

VILLAGE = "64.02.05.2006"  # Tanah Datar, Muara Badak


def _login(page, username):
    page.goto(page.base + "/akun/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state("networkidle")


def _cooperative_with_land(make_cooperative, admin_user):
    from kawal.cooperatives import services as registry
    from kawal.formation.models import StepRecord
    from kawal.operations import services

    coop = make_cooperative(VILLAGE)
    for step in ("sk_ahu", "simkopdes"):
        StepRecord.objects.create(
            cooperative=coop, step=step, status="selesai", completed_on=datetime.date(2025, 6, 20)
        )
    outlet = registry.outlet_create(actor=admin_user, cooperative=coop, outlet_type="sembako")
    services.outlet_stage_record(
        actor=admin_user,
        outlet=outlet,
        stage="lahan",
        happened_on=datetime.date(2025, 9, 1),
        land_area_m2=1200,
        land_status="aset_desa",
    )
    return coop, outlet


def test_pengurus_updates_the_outlet_stage_with_a_photo_and_the_dinas_sees_the_cause(
    phone_page, page, make_user, make_cooperative, admin_user, settings, tmp_path
):
    from kawal.cooperatives.models import Outlet
    from kawal.operations.models import OutletEvent

    settings.MEDIA_ROOT = tmp_path
    coop, outlet = _cooperative_with_land(make_cooperative, admin_user)
    make_user(Role.PENGURUS, VILLAGE, username="pengurus.e2e")
    make_user(Role.ADMIN_DINAS, "64.02", username="dinas.e2e")
    photo = tmp_path / "pondasi.png"
    photo.write_bytes(png_bytes())

    phone = phone_page
    _login(phone, "pengurus.e2e")
    phone.goto(phone.base + f"/operasional/koperasi/{coop.pk}/")
    screenshot(phone, "operations-checklist-phone")
    phone.locator("#gerai a").first.click()
    phone.locator("#id_stage").select_option("bangun")
    phone.locator("#id_happened_on").fill(datetime.date(2025, 10, 2).isoformat())
    phone.locator("#id_builder").select_option("agrinas")
    phone.locator("#id_progress_pct").fill("25")
    phone.locator("#id_photo").set_input_files(str(photo))
    phone.locator("#id_note").fill("Pondasi selesai dicor.")
    screenshot(phone, "operations-stage-phone")
    phone.locator("#perbarui-tahap button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    assert phone.locator(".steps li").count() == 2
    screenshot(phone, "operations-outlet-phone")

    outlet.refresh_from_db()
    assert outlet.status == Outlet.Status.PEMBANGUNAN
    assert outlet.progress_pct == 25
    assert OutletEvent.objects.filter(outlet=outlet).exclude(photo="").count() == 1

    desk = page
    _login(desk, "dinas.e2e")
    desk.goto(desk.base + "/operasional/")
    row = desk.locator("#holds-back tbody tr", has_text="Tanah Datar")
    assert row.count() == 1
    assert "25%" in row.inner_text()
    desk.locator("select[name=sebab]").select_option("building")
    desk.wait_for_load_state("networkidle")
    assert desk.locator("#holds-back tbody tr").count() == 1
    screenshot(desk, "operations-holds-back")
