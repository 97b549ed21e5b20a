"""Who may write village potential and the standard list (review fixes)."""

import io
import pathlib

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.core.scope import Role
from kawal.potential import imports, services
from kawal.potential.models import Bumdes, BumdesUnit, Commodity, Sector, VillageProfile
from kawal.potential.tests.conftest import ANGGANA


def workbook(header, rows):
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("data.xlsx", buffer.getvalue())


@pytest.mark.parametrize("who", ["board", "mentor"])
def test_board_and_mentor_cannot_write_the_bumdes_registry_or_the_profile(
    request, who, fishing_village, ctype
):
    # given the board or an assigned mentor of the KMP of Anggana (Cap.EDIT there)
    village, coop, bumdes = fishing_village
    actor = request.getfixturevalue(who)
    unit = bumdes.units.get()
    commodity = Commodity.objects.get(village=village)
    # when they try any write, then it is refused (403) and nothing changes
    attempts = [
        lambda: services.bumdes_save(actor=actor, village=village, name="Diambil alih"),
        lambda: services.bumdes_unit_save(
            actor=actor, bumdes=bumdes, name="Unit baru", category="sembako"
        ),
        lambda: services.bumdes_unit_delete(actor=actor, unit=unit),
        lambda: services.profile_save(actor=actor, village=village, population=1),
        lambda: services.commodity_save(
            actor=actor, village=village, commodity_type=ctype("Padi sawah"), volume=1, unit="ton"
        ),
        lambda: services.commodity_delete(actor=actor, commodity=commodity),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    bumdes.refresh_from_db()
    assert bumdes.name == "BUMDes Maju Bersama"
    assert BumdesUnit.objects.filter(pk=unit.pk).exists()
    assert VillageProfile.objects.get(village=village).population == 4200
    assert Commodity.objects.filter(village=village).count() == 1


def test_camat_of_the_kecamatan_may_write_the_bumdes(make_user, fishing_village):
    village, coop, bumdes = fishing_village
    camat = make_user(Role.CAMAT, "64.02.04", username="camat-anggana")
    saved = services.bumdes_save(
        actor=camat, village=village, expected_version=bumdes.version, name="BUMDes Sepatin"
    )
    assert saved.name == "BUMDes Sepatin"


def test_board_gets_403_on_the_write_pages_and_no_edit_buttons(client, board, fishing_village):
    village, coop, bumdes = fishing_village
    unit = bumdes.units.get()
    client.force_login(board)
    page = client.get(f"/potensi/desa/{ANGGANA}/")
    assert page.status_code == 200 and page.context["may_edit"] is False
    assert f"/potensi/desa/{ANGGANA}/bumdes/" not in page.content.decode()
    assert client.get(f"/potensi/desa/{ANGGANA}/bumdes/").status_code == 403
    assert client.post(f"/potensi/desa/{ANGGANA}/bumdes/", {"name": "X"}).status_code == 403
    assert client.get(f"/potensi/desa/{ANGGANA}/profil/").status_code == 403
    assert client.post(f"/potensi/desa/{ANGGANA}/unit/", {"name": "X"}).status_code == 403
    assert client.post(f"/potensi/unit/{unit.pk}/hapus/").status_code == 403
    assert client.get("/potensi/impor/").status_code == 403
    assert client.get("/potensi/impor/?templat=bumdes").status_code == 403
    assert not client.get("/potensi/").context["imports_enabled"]
    assert BumdesUnit.objects.filter(pk=unit.pk).exists()


def test_import_rows_need_manage_on_their_village(make_user, fishing_village):
    # given a camat of Tenggarong who also sits on the board of the KMP of Anggana
    from kawal.accounts.models import Grant

    user = make_user(Role.CAMAT, "64.02.06", username="camat-and-board")
    Grant.objects.create(user=user, role=Role.PENGURUS, region_id=ANGGANA)
    upload = workbook(
        ["kode_desa", "nama_bumdes", "status_badan_hukum"],
        [[ANGGANA, "BUMDes Rampasan", "belum"]],
    )
    # when the BUMDes of Anggana is imported, then the row is refused as outside the area
    preview, written = imports.run("bumdes", upload, user)
    assert written == 0 and not preview.ok
    assert Bumdes.objects.get(village_id=ANGGANA).name == "BUMDes Maju Bersama"
    units = workbook(
        ["kode_desa", "nama_unit", "kategori"], [[ANGGANA, "Unit rampasan", "sembako"]]
    )
    preview, written = imports.run("unit_bumdes", units, user)
    assert written == 0 and not preview.ok
    assert not BumdesUnit.objects.filter(name="Unit rampasan").exists()


def test_a_regency_dinas_cannot_change_the_national_standard_list(
    client, make_user, national_admin, ctype
):
    from kawal.regions.models import Region

    Region.objects.get_or_create(
        code="64.03",
        defaults={
            "name": "Kabupaten Berau",
            "level": 2,
            "kind": "kabupaten",
            "parent_id": "64",
            "province_code": "64",
            "regency_code": "64.03",
        },
    )
    berau_admin = make_user(Role.ADMIN_DINAS, "64.03", username="dinas-berau")
    sector = Sector.objects.get(code="perikanan")
    shrimp = ctype("Udang tambak")
    # services
    with pytest.raises(PermissionDenied):
        services.sector_save(actor=berau_admin, sector=sector, name="Diubah")
    with pytest.raises(PermissionDenied):
        services.commodity_type_save(actor=berau_admin, commodity_type=shrimp, name="Diubah")
    # pages
    client.force_login(berau_admin)
    page = client.get("/potensi/sektor/")
    assert page.status_code == 200 and page.context["may_edit"] is False
    data = {"code": "perikanan", "name": "Diubah", "serving_units": "", "order": "1"}
    assert client.post(f"/potensi/sektor/{sector.pk}/", data).status_code in (403, 404)
    assert client.get(f"/potensi/sektor/{sector.pk}/").status_code in (403, 404)
    r = client.post(f"/potensi/sektor/komoditas/{shrimp.pk}/", {"name": "Diubah"})
    assert r.status_code in (403, 404)
    assert client.post("/potensi/sektor/", {"what": "sector", "s-code": "x"}).status_code == 404
    sector.refresh_from_db()
    shrimp.refresh_from_db()
    assert sector.name != "Diubah" and shrimp.name != "Diubah"
    # the national Dinas still may
    client.force_login(national_admin)
    assert client.get("/potensi/sektor/").context["may_edit"] is True


def test_saving_an_existing_bumdes_or_profile_needs_its_version(
    client, admin_user, fishing_village
):
    village, coop, bumdes = fishing_village
    client.force_login(admin_user)
    data = {"name": "BUMDes Baru", "legal_status": "belum", "is_active": "on"}
    r = client.post(f"/potensi/desa/{ANGGANA}/bumdes/", data)  # no version sent
    assert r.status_code == 400
    bumdes.refresh_from_db()
    assert bumdes.name == "BUMDes Maju Bersama"
    stale = dict(data, version=bumdes.version - 1 if bumdes.version else 99)
    assert client.post(f"/potensi/desa/{ANGGANA}/bumdes/", stale).status_code == 400
    fresh = dict(data, version=bumdes.version)
    assert client.post(f"/potensi/desa/{ANGGANA}/bumdes/", fresh).status_code == 302
    bumdes.refresh_from_db()
    assert bumdes.name == "BUMDes Baru"
    r = client.post(f"/potensi/desa/{ANGGANA}/profil/", {"population": "5"})
    assert r.status_code == 400
    assert VillageProfile.objects.get(village=village).population == 4200


def test_stale_bumdes_save_is_refused_by_the_service(admin_user, fishing_village):
    village, coop, bumdes = fishing_village
    services.bumdes_save(
        actor=admin_user, village=village, expected_version=bumdes.version, name="Satu"
    )
    with pytest.raises(ValidationError):
        services.bumdes_save(
            actor=admin_user, village=village, expected_version=bumdes.version, name="Dua"
        )
    assert Bumdes.objects.get(pk=bumdes.pk).name == "Satu"


def test_map_tooltip_is_text_never_html():
    script = pathlib.Path(services.__file__).parent / "static/potential/overlap_map.js"
    source = script.read_text()
    calls = [line.strip() for line in source.splitlines() if "bindTooltip(" in line]
    assert calls and all(call == "l.bindTooltip(tip);" for call in calls)
    assert "tip.textContent" in source
