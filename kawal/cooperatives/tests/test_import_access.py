"""Bulk imports run the programme: only holders of Cap.MANAGE (Dinas, camat) may use them."""

import pytest
from django.core.exceptions import PermissionDenied

from kawal.cooperatives import services
from kawal.cooperatives.models import Cooperative, Officer
from kawal.cooperatives.tests.conftest import xlsx
from kawal.core.nav import nav_for
from kawal.core.scope import Role


def post(client, url, kind, upload):
    return client.post(url, {"jenis": kind, "aksi": "impor", "berkas": upload})


def test_board_cannot_open_or_run_the_cooperative_import(client, make_user, coop):
    # given the board of a cooperative, which may edit its own village
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    client.force_login(pengurus)
    upload = xlsx(("kode_desa", "name", "skema"), [(coop.village_id, "Nama Baru", "revitalisasi")])
    # when it opens or posts the import
    # then it is refused and nothing changes
    assert client.get("/koperasi/impor/").status_code == 403
    assert post(client, "/koperasi/impor/", "koperasi", upload).status_code == 403
    coop.refresh_from_db()
    assert coop.name != "Nama Baru" and coop.scheme != "revitalisasi"


def test_board_cannot_run_the_step_import(client, make_user, coop):
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    client.force_login(pengurus)
    upload = xlsx(("kode_desa", "musdesus_date"), [(coop.village_id, "2025-05-01")])
    assert post(client, "/pembentukan/impor/", "tahapan", upload).status_code == 403
    from kawal.formation.models import StepRecord

    assert not StepRecord.objects.filter(cooperative=coop).exists()


def test_import_services_check_manage_per_row(make_user, coop):
    # given a board calling the services directly
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    # then the cooperative rows are refused and the officer import raises
    prepared = services.cooperative_import_prepare(
        actor=pengurus, rows=[(coop.village, {"name": "Nama Baru"})]
    )
    assert prepared.errors == {0: [str(services.IMPORT_FORBIDDEN)]}
    with pytest.raises(PermissionDenied):
        services.officer_import(
            actor=pengurus,
            rows=[(coop, {"body": "pengurus", "position": "ketua", "name": "Ani", "sex": "P"})],
        )
    assert not Officer.objects.exists()
    assert Cooperative.objects.get(pk=coop.pk).name != "Nama Baru"


def test_camat_import_checks_manage_on_each_row(client, make_user, make_cooperative):
    # given a camat of Tenggarong who also holds a board grant in Tanah Datar (EDIT, no MANAGE)
    from kawal.accounts.models import Grant

    camat = make_user(Role.CAMAT, "64.02.06", username="camat-plus")
    Grant.objects.create(user=camat, role=Role.PENGURUS, region_id="64.02.05.2006")
    make_cooperative("64.02.05.2006")
    client.force_login(camat)
    upload = xlsx(("kode_desa", "name"), [("64.02.05.2006", "Nama Baru")])
    # when it imports a row of the village where it is only on the board
    response = post(client, "/koperasi/impor/", "koperasi", upload)
    # then the row is refused
    assert response.status_code == 200
    assert not response.context["preview"].ok
    assert Cooperative.objects.get(village_id="64.02.05.2006").name != "Nama Baru"


def test_import_menu_only_for_managers(make_user, admin_user, coop):
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    labels = lambda user: {item.url_name for item in nav_for(user)}  # noqa: E731
    assert "cooperatives:import" not in labels(pengurus)
    assert "cooperatives:import" in labels(admin_user)
