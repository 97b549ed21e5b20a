"""Interop in the browser: an officer places a waiting import row with one click; the deed step
finds its notary by typing, among the notaries of the cooperative's province."""

from kawal.cooperatives.models import Cooperative
from kawal.formation.models import Notary
from kawal.regions.models import Crosswalk, ReviewItem
from kawal.regions.reconcile import AMBIGUOUS, Match
from kawal.regions.services import review_item_put
from tests.e2e.conftest import login, screenshot


def _waiting_row():
    return review_item_put(
        source="cooperatives",
        match=Match(
            None,
            AMBIGUOUS,
            (
                ("64.02.13.2016", "Desa Bukit Raya, Kec. Samboja, Kabupaten Kutai Kartanegara"),
                (
                    "64.02.16.2002",
                    "Desa Bukit Raya, Kec. Tenggarong Seberang, Kabupaten Kutai Kartanegara",
                ),
            ),
            "desa hanya dicocokkan di dalam kecamatannya; baris ini tidak menyebut kecamatan",
            "64.02|4|bukitraya",
        ),
        given={"desa": "BUKIT RAYA", "kabupaten": "KAB. KUTAI KARTANEGARA", "villageId": "V-9"},
        scope_code="64.02",
    )


def test_an_officer_resolves_a_review_queue_row_with_one_click(page, phone_page, admin_user):
    item = _waiting_row()
    login(phone_page, admin_user.username)
    phone_page.goto(phone_page.base + "/wilayah/antrean/")
    phone_page.get_by_role("button", name="Kec. Tenggarong Seberang").wait_for()
    screenshot(phone_page, "interop-review-queue-phone")

    login(page, admin_user.username)
    page.goto(page.base + "/wilayah/antrean/")
    assert page.get_by_role("heading", name="Tinjauan impor").is_visible()
    screenshot(page, "interop-review-queue")
    page.get_by_role("button", name="Kec. Tenggarong Seberang").click()
    # the row's status badge (the page's explanation also says "ditempatkan")
    page.get_by_role("status").filter(has_text="Ditempatkan:").wait_for()
    screenshot(page, "interop-review-queue-resolved")
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.RESOLVED
    assert Crosswalk.objects.get(source="simkopdes").region_id == "64.02.16.2002"


def test_the_deed_step_finds_its_notary_by_search(page, phone_page, admin_user, kukar):
    from kawal.regions.models import Region

    cooperative = Cooperative.objects.create(
        village=Region.objects.get(code="64.02.06.1001"),
        name="Koperasi Kelurahan Merah Putih Jahab",
    )
    Notary.objects.create(name="Ani Wijaya, S.H., M.Kn.", seat="Tenggarong", province_code="64")
    Notary.objects.create(name="Ani Lubis, S.H.", seat="Kota Medan", province_code="12")
    for n in range(40):
        Notary.objects.create(name=f"Notaris Lain {n}", seat="Samarinda", province_code="64")
    login(page, admin_user.username)
    page.goto(page.base + f"/pembentukan/koperasi/{cooperative.pk}/tahap/akta/")
    assert page.locator("select#id_notary").count() == 0
    page.get_by_placeholder("Ketik nama atau tempat kedudukan").fill("ani")
    page.get_by_label("Ani Wijaya, S.H., M.Kn. Tenggarong").wait_for()
    assert page.get_by_text("Ani Lubis").count() == 0  # another province
    page.get_by_label("Ani Wijaya, S.H., M.Kn. Tenggarong").check()
    screenshot(page, "interop-notary-picker")

    login(phone_page, admin_user.username)
    phone_page.goto(phone_page.base + f"/pembentukan/koperasi/{cooperative.pk}/tahap/akta/")
    phone_page.get_by_placeholder("Ketik nama atau tempat kedudukan").fill("ani")
    phone_page.get_by_label("Ani Wijaya, S.H., M.Kn. Tenggarong").wait_for()
    screenshot(phone_page, "interop-notary-picker-phone")
