"""Scheme changes once steps have moved, officer re-imports that keep what a file leaves blank,
and cooperative imports that never revert edits made after their preview."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kawal.cooperatives import services
from kawal.cooperatives.models import Cooperative
from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.formation import services as formation


def _start(actor, cooperative):
    """The musdesus is under way (any status but "belum" locks the scheme)."""
    formation.step_update(
        actor=actor,
        cooperative=cooperative,
        step="musdesus",
        status="proses",
        started_on=datetime.date(2025, 5, 20),
    )


def test_board_cannot_switch_scheme_once_a_step_is_recorded(make_user, coop):
    # given a board whose cooperative has started its musdesus
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    _start(pengurus, coop)
    # when it switches the scheme
    with pytest.raises(ValidationError) as caught:
        services.cooperative_update(actor=pengurus, cooperative=coop, scheme="pengembangan")
    # then it is refused with a clear message, and nothing is saved
    assert caught.value.message_dict["scheme"] == [str(services.SCHEME_LOCKED)]
    assert Cooperative.objects.get(pk=coop.pk).scheme == "pendirian_baru"
    assert not AuditEvent.objects.filter(action="cooperative_update").exists()


def test_board_may_switch_scheme_before_any_step(make_user, coop):
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    services.cooperative_update(actor=pengurus, cooperative=coop, scheme="pengembangan")
    assert Cooperative.objects.get(pk=coop.pk).scheme == "pengembangan"


def test_dinas_may_switch_scheme_after_steps(admin_user, coop):
    _start(admin_user, coop)
    services.cooperative_update(actor=admin_user, cooperative=coop, scheme="pengembangan")
    event = AuditEvent.objects.get(action="cooperative_update")
    assert event.changes["scheme"] == ["pendirian_baru", "pengembangan"]


def test_scheme_form_shows_the_refusal(client, make_user, coop):
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    _start(pengurus, coop)
    client.force_login(pengurus)
    form = client.get(f"/koperasi/{coop.pk}/ubah/").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(name=coop.name, scheme="pengembangan", version=coop.version)
    data = {k: v for k, v in data.items() if v is not False}
    response = client.post(f"/koperasi/{coop.pk}/ubah/", data)
    assert response.status_code == 200
    assert "scheme" in response.context["form"].errors
    assert Cooperative.objects.get(pk=coop.pk).scheme == "pendirian_baru"


# --- 5. Re-importing officers keeps what the file does not say -----------------------------


def test_officer_reimport_without_nik_phone_or_flags_keeps_them(client, admin_user, coop):
    from kawal.cooperatives.models import Officer
    from kawal.cooperatives.tests.conftest import nik_for, xlsx

    # given an officer with a NIK, a phone and a flag
    officer = services.officer_create(
        actor=admin_user,
        cooperative=coop,
        body="pengurus",
        position="ketua",
        name="Ani",
        sex="P",
        nik=nik_for(1, True),
        phone="081234567890",
        is_bpd_member=True,
    )
    client.force_login(admin_user)
    # when a file without those columns (and one with blank cells) is imported
    for header, row in (
        (("kode_desa", "badan", "role", "name", "gender"), ("Ani",)),
        (
            ("kode_desa", "badan", "role", "name", "gender", "nik", "phone", "anggota_bpd"),
            ("Ani", "", "", ""),
        ),
    ):
        values = (coop.village_id, "pengurus", "ketua", row[0], "P", *row[1:])
        response = client.post(
            "/koperasi/impor/",
            {"jenis": "pengurus", "aksi": "impor", "berkas": xlsx(header, [values])},
        )
        assert response.status_code == 302
    # then the stored NIK, phone and flag are kept, and nothing was changed
    officer.refresh_from_db()
    assert officer.nik == nik_for(1, True)
    assert officer.phone == "+6281234567890"
    assert officer.is_bpd_member is True
    assert officer.version == 1
    assert Officer.objects.count() == 1
    # while a filled cell still changes it
    header = ("kode_desa", "badan", "role", "name", "gender", "anggota_bpd")
    values = (coop.village_id, "pengurus", "ketua", "Ani", "P", "Tidak")
    client.post(
        "/koperasi/impor/",
        {"jenis": "pengurus", "aksi": "impor", "berkas": xlsx(header, [values])},
    )
    officer.refresh_from_db()
    assert officer.is_bpd_member is False
    assert AuditEvent.objects.filter(action="officer_update").count() == 1


# --- 6. The cooperative import does not revert edits made after its preview ----------------


def test_import_refuses_rows_saved_since_the_preview(admin_user, coop):
    # given an import previewed, then someone else saves the cooperative
    prepared = services.cooperative_import_prepare(
        actor=admin_user, rows=[(coop.village, {"name": "Nama Baru"})]
    )
    fresh = Cooperative.objects.get(pk=coop.pk)
    services.cooperative_update(actor=admin_user, cooperative=fresh, members_male=40)
    # when the import is committed
    with pytest.raises(ValidationError) as caught:
        services.cooperative_import(actor=admin_user, prepared=prepared)
    # then it is refused, the other edit stays, and no import audit row is written
    assert coop.village_id in caught.value.messages[0]
    stored = Cooperative.objects.get(pk=coop.pk)
    assert (stored.name, stored.members_male, stored.version) == (coop.name, 40, 2)
    assert not AuditEvent.objects.filter(action="cooperative_import").exists()


def test_import_refuses_a_village_that_got_a_cooperative_since_the_preview(
    admin_user, make_cooperative
):
    from kawal.regions.models import Region

    village = Region.objects.get(code="64.02.06.1002")
    prepared = services.cooperative_import_prepare(
        actor=admin_user, rows=[(village, {"name": "Koperasi Baru"})]
    )
    make_cooperative("64.02.06.1002", name="Sudah Ada")
    with pytest.raises(ValidationError):
        services.cooperative_import(actor=admin_user, prepared=prepared)
    assert Cooperative.objects.get(village_id="64.02.06.1002").name == "Sudah Ada"


def test_import_writes_only_the_changed_fields_and_audits_them(admin_user, coop):
    # given a preview that changes only the name
    prepared = services.cooperative_import_prepare(
        actor=admin_user, rows=[(coop.village, {"name": "Nama Baru", "members_male": 0})]
    )
    # and a field the import does not change, altered behind the version's back
    Cooperative.objects.filter(pk=coop.pk).update(members_female=7)
    # when it is committed
    services.cooperative_import(actor=admin_user, prepared=prepared)
    # then only the name was written, and the audit row says so
    stored = Cooperative.objects.get(pk=coop.pk)
    assert (stored.name, stored.members_female, stored.version) == ("Nama Baru", 7, 2)
    event = AuditEvent.objects.get(action="cooperative_import")
    assert event.changes == {"name": [coop.name, "Nama Baru"]}
