import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.core.scope import Role
from kawal.potential.models import Bumdes, BumdesUnit, Commodity, VillageProfile
from kawal.potential.tests.conftest import ANGGANA, BADAK


@pytest.fixture
def camat(make_user):
    return make_user(Role.CAMAT, "64.02.06", username="camat-t")


def fill_regency(admin_user):
    """Profiles for every village and a BUMDes with a unit for every desa (bulk, for ceilings)."""
    from kawal.potential.models import CommodityType
    from kawal.regions.models import Region

    villages = list(Region.objects.filter(level=4, regency_code="64.02"))
    VillageProfile.objects.bulk_create(VillageProfile(village=v, population=1000) for v in villages)
    shrimp = CommodityType.objects.get(name="Udang tambak")
    Commodity.objects.bulk_create(
        Commodity(village=v, commodity=shrimp, volume=10, unit="ton", estimated_value=2_000_000_000)
        for v in villages
    )
    desa = [v for v in villages if v.kind == "desa"]
    Bumdes.objects.bulk_create(Bumdes(village=v, name=f"BUMDes {v.name}") for v in desa)
    BumdesUnit.objects.bulk_create(
        BumdesUnit(bumdes=b, name="Toko", category="sembako") for b in Bumdes.objects.all()
    )
    return villages


def test_village_page_shows_readiness_potential_bumdes_and_next_steps(
    client, admin_user, fishing_village, django_assert_max_num_queries
):
    village, coop, bumdes = fishing_village
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        page = client.get(f"/potensi/desa/{ANGGANA}/")
    assert page.status_code == 200
    html = page.content.decode()
    for anchor in ('id="next"', 'id="readiness"', 'id="potential"', 'id="bumdes"', 'id="findings"'):
        assert anchor in html
    assert "BUMDes Maju Bersama" in html and "Udang tambak" in html
    assert page.context["latest"] is None  # readiness: not assessed, shown as such
    assert [r.unit for r in page.context["recommendations"] if r.first]
    assert "+62812****7890" in html or "0812****7890" in html or "****" in html  # phone masked
    assert "081234567890" not in html


def test_village_page_with_a_verified_assessment(client, admin_user, fishing_village):
    from kawal.readiness import services as readiness
    from kawal.readiness.models import Item

    village, coop, bumdes = fishing_village
    readiness.instrument_create_default(actor=admin_user, region_code="64.02")
    import datetime

    a = readiness.assessment_create(
        actor=admin_user, cooperative=coop, assessed_on=datetime.date(2025, 10, 1)
    )
    for row in a.scores.select_related("item"):
        if row.item.method == Item.Method.MANUAL:
            readiness.item_score_save(actor=admin_user, assessment=a, item_score=row, score=100)
    readiness.assessment_submit(actor=admin_user, assessment=a)
    client.force_login(admin_user)
    page = client.get(f"/potensi/desa/{ANGGANA}/")
    assert page.context["latest"].pk == a.pk
    assert len(page.context["latest_areas"]) == 4
    gaps = page.context["latest_gaps"]
    assert gaps and all(g.score < 50 for g in gaps)  # the registry is empty: legal steps etc.
    assert gaps[0].explanation in page.content.decode()


def test_scope_leak_camat_sees_only_its_villages(client, camat, admin_user, fishing_village):
    client.force_login(camat)
    assert client.get(f"/potensi/desa/{ANGGANA}/").status_code == 404
    assert client.get("/potensi/desa/64.02.06.1001/").status_code == 200
    statuses = client.get("/potensi/peta/status.json").json()["statuses"]
    assert statuses and all(code.startswith("64.02.06.") for code in statuses)
    page = client.get("/potensi/")
    assert all(r["code"].startswith("64.02.06.") for r in page.context["page"].object_list)
    assert client.post(f"/potensi/desa/{ANGGANA}/komoditas/", {}).status_code == 404


def test_index_matrix_and_htmx_partial(client, admin_user, django_assert_max_num_queries):
    fill_regency(admin_user)
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        full = client.get("/potensi/")
    assert full.status_code == 200 and b"<html" in full.content
    matrix = full.context["matrix"]
    assert len(matrix["rows"]) == 20
    assert sum(r["villages"] for r in matrix["rows"]) == 237
    # every village has shrimp worth 2 billion and nobody runs cold storage or logistics
    assert matrix["totals"][matrix["kinds"].index("potensi_belum_digarap")] == 237
    with django_assert_max_num_queries(20):
        partial = client.get("/potensi/?kecamatan=64.02.04", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<html" not in partial.content
    assert b'id="rows"' not in partial.content  # the fragment only, not its container
    first = partial.context["page"].object_list[0]
    assert first["code"].encode() in partial.content
    assert all(r["code"].startswith("64.02.04.") for r in partial.context["page"].object_list)
    with django_assert_max_num_queries(20):
        assert client.get("/potensi/peta/status.json").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/potensi/desa/{ANGGANA}/").status_code == 200


def test_map_uses_local_leaflet_and_the_boundaries_endpoint(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/potensi/peta/?wilayah=64.02.04")
    html = page.content.decode()
    assert (
        "/static/leaflet/leaflet.js" in html and "/wilayah/64.02.04/batas.geojson?level=4" in html
    )
    assert "kecamatan=64.02.04" in html
    assert client.get("/potensi/peta/?wilayah=99.99").status_code == 404


def test_forms_refuse_bad_input(client, admin_user, fishing_village, ctype):
    client.force_login(admin_user)
    r = client.post(
        f"/potensi/desa/{ANGGANA}/komoditas/",
        {"commodity": ctype("Bandeng").pk, "volume": "-3", "unit": "ton", "estimated_value": "0"},
    )
    assert r.status_code == 400
    assert not Commodity.objects.filter(commodity__name="Bandeng").exists()
    r = client.post(
        f"/potensi/desa/{ANGGANA}/profil/", {"population": "10", "households": "50", "version": "1"}
    )
    assert r.status_code == 400
    assert VillageProfile.objects.get(village_id=ANGGANA).population == 4200
    r = client.post(
        f"/potensi/desa/{ANGGANA}/profil/",
        {
            "population": "4300",
            "households": "1000",
            "version": "1",
            "idm_status": "maju",
            "idm_year": "2024",
        },
    )
    assert r.status_code == 302
    assert client.get("/potensi/desa/64.02.06.1001/bumdes/").status_code == 302  # kelurahan


def workbook(header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("data.xlsx", buffer.getvalue())


def test_import_dry_run_lists_row_errors_and_writes_nothing(client, camat, kukar):
    client.force_login(camat)
    upload = workbook(
        ["kode_desa", "komoditas", "volume", "satuan", "nilai_rp", "utama"],
        [
            ["64.02.06.2012", "Padi sawah", 10, "ton", 60000000, "Ya"],
            ["64.02.06.2012", "Padi sawah", -4, "ton", 0, "Tidak"],  # negative volume
            [BADAK, "Bandeng", 1, "ton", 0, "Tidak"],  # outside the camat's area
            ["64.02.06.2012", "Durian montong", 1, "ton", 0, "Tidak"],  # not in the list
            ["64.02.06.9999", "Padi sawah", 1, "ton", 0, "Tidak"],  # no such village
        ],
    )
    r = client.post("/potensi/impor/", {"jenis": "komoditas", "berkas": upload, "aksi": "impor"})
    assert r.status_code == 400
    preview = r.context["preview"]
    assert [row.line for row in preview.error_rows] == [3, 4, 5, 6]
    assert not Commodity.objects.exists()


def test_import_writes_all_rows_through_the_services(client, admin_user, kukar):
    client.force_login(admin_user)
    profiles = workbook(
        ["kode_desa", "jumlah_penduduk", "jumlah_kk", "status_idm", "tahun_idm", "pasar", "akses"],
        [
            [ANGGANA, 3000, 800, "Maju", 2024, "Ya", "sungai"],
            ["64.02.06.1001", 9000, 2500, "", "", "Tidak", "jalan"],
        ],
    )
    r = client.post("/potensi/impor/", {"jenis": "profil", "berkas": profiles, "aksi": "cek"})
    assert r.status_code == 200 and r.context["preview"].ok
    assert not VillageProfile.objects.exists()  # a dry run writes nothing
    profiles.seek(0)
    r = client.post("/potensi/impor/", {"jenis": "profil", "berkas": profiles, "aksi": "impor"})
    assert r.status_code == 302
    assert VillageProfile.objects.get(village_id=ANGGANA).idm_status == "maju"
    bumdes = workbook(
        ["kode_desa", "nama_bumdes", "status_badan_hukum", "nomor_badan_hukum", "aktif"],
        [[ANGGANA, "BUMDes Sepatin", "badan_hukum", "AHU-9", "Ya"]],
    )
    r = client.post("/potensi/impor/", {"jenis": "bumdes", "berkas": bumdes, "aksi": "impor"})
    assert r.status_code == 302
    imported = Bumdes.objects.get(village_id=ANGGANA)
    assert (imported.name, imported.legal_number, imported.is_active) == (
        "BUMDes Sepatin",
        "AHU-9",
        True,
    )
    units = workbook(
        ["kode_desa", "nama_unit", "kategori", "kbli", "aktif", "berjalan_baik"],
        [
            [ANGGANA, "Air bersih", "air_bersih", "36001", "Ya", "Ya"],
            ["64.02.06.1001", "Toko", "sembako", "", "Ya", "Tidak"],
        ],
    )
    r = client.post("/potensi/impor/", {"jenis": "unit_bumdes", "berkas": units, "aksi": "impor"})
    assert r.status_code == 400  # the kelurahan row fails, so nothing is written
    assert not BumdesUnit.objects.exists()


def test_a_commodity_file_imported_again_writes_nothing(client, admin_user, kukar):
    from kawal.core.models import AuditEvent

    client.force_login(admin_user)

    def post():
        book = workbook(
            ["kode_desa", "komoditas", "volume", "satuan", "nilai_rp"],
            [[ANGGANA, "Udang tambak", 30, "ton", "Rp1.250.000"]],  # 30, kept as 30.00
        )
        return client.post(
            "/potensi/impor/", {"jenis": "komoditas", "berkas": book, "aksi": "impor"}
        )

    assert post().status_code == 302
    written = AuditEvent.objects.get(action="commodity_save")
    assert (written.region_code, written.district_code) == (ANGGANA, ANGGANA[:8])
    audit_rows = AuditEvent.objects.count()
    assert post().status_code == 302
    assert AuditEvent.objects.count() == audit_rows
    assert Commodity.objects.get(village_id=ANGGANA).volume == 30


def test_import_template_and_export(client, admin_user, fishing_village):
    client.force_login(admin_user)
    template = client.get("/potensi/impor/?templat=bumdes")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    assert [c.value for c in book.active[1]][:2] == ["kode_desa", "nama_bumdes"]
    export = client.get("/potensi/ekspor/?kecamatan=64.02.04")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "kode_desa"
    sepatin = next(r for r in rows if r[0] == ANGGANA)
    assert "Udang tambak" in sepatin[-1] and sepatin[10] == "BUMDes Maju Bersama"
    assert all(r[0].startswith("64.02.04.") for r in rows[1:])


def test_sector_page_lets_the_dinas_add_to_the_list(client, national_admin, camat):
    admin_user = national_admin
    client.force_login(camat)
    assert client.get("/potensi/sektor/").status_code == 200
    assert client.post("/potensi/sektor/", {"what": "sector"}).status_code == 404
    client.force_login(admin_user)
    r = client.post(
        "/potensi/sektor/",
        {
            "what": "sector",
            "s-code": "hutan",
            "s-name": "Hasil hutan",
            "s-serving_units": "logistik",
            "s-order": "9",
            "s-is_active": "on",
        },
    )
    assert r.status_code == 302


def test_dinas_edits_the_standard_list(client, national_admin, camat, ctype):
    from kawal.potential.models import Sector

    admin_user = national_admin
    sector = Sector.objects.get(code="perikanan")
    client.force_login(camat)
    assert client.get(f"/potensi/sektor/{sector.pk}/").status_code == 403
    client.force_login(admin_user)
    data = {
        "code": "perikanan",
        "name": "Perikanan",
        "serving_units": "cold_storage",
        "order": "2",
        "is_active": "on",
    }
    assert client.post(f"/potensi/sektor/{sector.pk}/", data).status_code == 302
    sector.refresh_from_db()
    assert sector.serving_units == "cold_storage"
    data["serving_units"] = "perahu"
    r = client.post(f"/potensi/sektor/{sector.pk}/", data)
    assert r.status_code == 400
    shrimp = ctype("Udang tambak")
    r = client.post(
        f"/potensi/sektor/komoditas/{shrimp.pk}/",
        {
            "sector": sector.pk,
            "name": "Udang vaname",
            "default_unit": "ton",
            "order": "0",
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    shrimp.refresh_from_db()
    assert shrimp.name == "Udang vaname"


@pytest.fixture
def second_regency(kukar):
    from kawal.regions.models import Region

    berau = Region.objects.create(
        code="64.03",
        name="Kabupaten Berau",
        level=2,
        kind="kabupaten",
        parent_id="64",
        province_code="64",
        regency_code="64.03",
    )
    Region.objects.create(
        code="64.03.01",
        name="Kelay",
        level=3,
        kind="kecamatan",
        parent=berau,
        province_code="64",
        regency_code="64.03",
        district_code="64.03.01",
    )
    return berau


def test_a_national_user_analyses_one_regency_at_a_time(
    client, make_user, second_regency, make_cooperative, django_assert_max_num_queries
):
    national = make_user(Role.ADMIN_DINAS, None, username="nasional")
    fill_regency(national)
    client.force_login(national)
    page = client.get("/potensi/")
    assert page.context["needs_regency"] and page.context["page"].object_list == []
    assert client.get("/potensi/peta/status.json").status_code == 404
    assert client.get("/potensi/ekspor/").status_code == 404
    with django_assert_max_num_queries(20):
        page = client.get("/potensi/?kabupaten=64.02")
    assert len(page.context["matrix"]["rows"]) == 20
    statuses = client.get("/potensi/peta/status.json?kabupaten=64.02").json()["statuses"]
    assert len(statuses) == 237
    assert client.get("/potensi/?kabupaten=99.99").status_code == 404
    assert client.get("/potensi/peta/?wilayah=64.02").status_code == 200
    # readiness groups by regency until one is chosen
    make_cooperative(ANGGANA)
    page = client.get("/kesiapan/")
    assert page.context["summary"]["by"] == "regency"
    assert [r["code"] for r in page.context["summary"]["rows"]] == ["64.02"]
    page = client.get("/kesiapan/?kabupaten=64.02")
    assert page.context["summary"]["by"] == "district"


def test_overlaps_per_kecamatan_and_business_line(client, admin_user, fishing_village):
    from kawal.cooperatives.models import Outlet

    village, coop, bumdes = fishing_village
    client.force_login(admin_user)
    assert client.get("/potensi/").context["overlap_lines"]["rows"] == []
    Outlet.objects.create(cooperative=coop, outlet_type="sembako", status="beroperasi")
    table = client.get("/potensi/").context["overlap_lines"]
    assert [code for code, _label in table["lines"]] == ["sembako"]
    assert table["rows"] == [{"code": "64.02.04", "name": "Anggana", "cells": [1]}]


def test_import_rolls_back_rows_already_written_when_a_later_row_fails_at_write_time(
    client, admin_user, fishing_village, monkeypatch
):
    # given a unit file whose rows all pass the dry run, and a write that fails on row two
    from django.core.exceptions import ValidationError

    from kawal.potential import services

    real_save = services.bumdes_unit_save
    calls = {"n": 0}

    def failing_second_write(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ValidationError("changed by someone else meanwhile")
        return real_save(**kwargs)

    monkeypatch.setattr(services, "bumdes_unit_save", failing_second_write)
    units = workbook(
        ["kode_desa", "nama_unit", "kategori", "kbli", "aktif", "berjalan_baik"],
        [
            [ANGGANA, "Air bersih", "air_bersih", "36001", "Ya", "Ya"],
            [ANGGANA, "Cold storage", "cold_storage", "", "Ya", "Tidak"],
        ],
    )
    client.force_login(admin_user)
    # when it is imported
    r = client.post("/potensi/impor/", {"jenis": "unit_bumdes", "berkas": units, "aksi": "impor"})
    # then the first row, already written, is rolled back with the second: nothing remains
    assert calls["n"] == 2
    assert r.status_code == 400
    assert "changed by someone else meanwhile" in r.content.decode()
    assert list(BumdesUnit.objects.values_list("name", flat=True)) == ["Toko desa"]


def test_export_and_sector_pages_query_ceilings(
    client, admin_user, national_admin, ctype, django_assert_max_num_queries
):
    # given every village of Kukar with data (237) and 30 more commodities in the standard list
    from kawal.potential.models import CommodityType, Sector

    fill_regency(admin_user)
    fishing = Sector.objects.get(code="perikanan")
    CommodityType.objects.bulk_create(
        CommodityType(sector=fishing, name=f"Ikan {n}", default_unit="ton") for n in range(30)
    )
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        export = client.get("/potensi/ekspor/")
        rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active)
    assert len(rows) > 30
    with django_assert_max_num_queries(20):
        assert client.get("/potensi/sektor/").status_code == 200
    client.force_login(national_admin)
    with django_assert_max_num_queries(20):
        page = client.get("/potensi/sektor/")
    assert page.status_code == 200 and page.context["may_edit"]


def test_every_finding_card_equals_the_list_it_links_to(client, admin_user, fishing_village):
    import re

    client.force_login(admin_user)
    response = client.get("/potensi/")
    cards = response.context["status_counts"]
    matrix = response.context["matrix"]
    assert [n for _label, n, _tone, kind in cards if kind in matrix["kinds"]] == matrix["totals"]
    for _label, n, _tone, kind in cards:
        listed = client.get("/potensi/", {"status": kind})
        assert listed.context["page"].paginator.count == n, kind
    body = response.content.decode()
    assert re.search(r'href="\?status=[a-z_]+"', body)  # the cards are links


def test_removing_a_commodity_or_unit_asks_first(client, admin_user, fishing_village):
    client.force_login(admin_user)
    html = client.get(f"/potensi/desa/{ANGGANA}/").content.decode()
    assert 'data-confirm="Hapus komoditas ini dari desa?"' in html
    assert "kawal/kawal.js" in html  # the script that asks before the form is sent
