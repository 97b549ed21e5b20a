import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from kawal.cooperatives import services
from kawal.cooperatives.models import Cooperative, Officer, Outlet, Sex
from kawal.cooperatives.tests.conftest import nik_for
from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.regions.models import Region


def region(code):
    return Region.objects.get(code=code)


def test_create_writes_an_audit_row(admin_user):
    cooperative = services.cooperative_create(
        actor=admin_user,
        village=region("64.02.06.1002"),
        name="Koperasi Kelurahan Merah Putih Loa Ipuh",
        members_female=12,
    )
    event = AuditEvent.objects.get(action="cooperative_create", object_id=str(cooperative.pk))
    assert event.actor == admin_user
    assert event.region_code == "64.02.06.1002"
    assert event.changes["members_female"] == [None, 12]


def test_second_cooperative_for_a_village_is_refused(coop, admin_user):
    with pytest.raises(ValidationError) as error:
        services.cooperative_create(actor=admin_user, village=coop.village, name="KMP Kedua")
    assert "village" in error.value.message_dict
    assert Cooperative.objects.filter(village=coop.village).count() == 1


def test_a_kecamatan_cannot_hold_a_cooperative(admin_user):
    with pytest.raises(ValidationError):
        services.cooperative_create(actor=admin_user, village=region("64.02.06"), name="X")


def test_joint_cooperative_covers_villages_without_their_own(coop, admin_user, make_cooperative):
    services.cooperative_set_joint_villages(
        actor=admin_user, cooperative=coop, villages=[region("64.02.06.1003")]
    )
    assert list(coop.joint_villages.values_list("code", flat=True)) == ["64.02.06.1003"]
    assert AuditEvent.objects.filter(action="cooperative_joint_villages").exists()
    # a covered village cannot get its own cooperative, nor join another one
    with pytest.raises(ValidationError):
        services.cooperative_create(actor=admin_user, village=region("64.02.06.1003"), name="X")
    other = make_cooperative("64.02.06.1004")
    with pytest.raises(ValidationError):
        services.cooperative_set_joint_villages(
            actor=admin_user, cooperative=other, villages=[region("64.02.06.1003")]
        )
    # a village with its own cooperative cannot be covered
    with pytest.raises(ValidationError):
        services.cooperative_set_joint_villages(
            actor=admin_user, cooperative=coop, villages=[other.village]
        )


def test_stale_update_is_refused(coop, admin_user):
    services.cooperative_update(actor=admin_user, cooperative=coop, expected_version=1, address="A")
    stale = Cooperative.objects.get(pk=coop.pk)
    stale.version = 1  # a form loaded before the first save
    with pytest.raises(ValidationError) as error:
        services.cooperative_update(
            actor=admin_user, cooperative=stale, expected_version=1, address="B"
        )
    assert error.value.code == "stale"
    assert Cooperative.objects.get(pk=coop.pk).address == "A"


def test_camat_cannot_write_outside_its_kecamatan(camat, make_cooperative):
    other = make_cooperative("64.02.05.2006")
    with pytest.raises(Http404):
        services.cooperative_update(actor=camat, cooperative=other, address="x")


def test_read_only_role_gets_permission_denied(coop, pimpinan):
    with pytest.raises(PermissionDenied):
        services.cooperative_update(actor=pimpinan, cooperative=coop, address="x")


def test_pengurus_edits_only_its_own_cooperative(coop, make_user, make_cooperative):
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    services.cooperative_update(actor=pengurus, cooperative=coop, members_male=30)
    neighbour = make_cooperative("64.02.06.1002")
    with pytest.raises((Http404, PermissionDenied)):
        services.cooperative_update(actor=pengurus, cooperative=neighbour, members_male=30)


def officer_fields(**extra):
    fields = {
        "body": Officer.Body.PENGURUS,
        "position": Officer.Position.KETUA,
        "name": "Siti Aminah",
        "sex": Sex.FEMALE,
        "nik": nik_for(7, female=True),
        "phone": "0812-3456-7890",
    }
    fields.update(extra)
    return fields


def test_officer_nik_and_phone_are_validated_normalised_and_masked_in_audit(coop, admin_user):
    officer = services.officer_create(actor=admin_user, cooperative=coop, **officer_fields())
    assert officer.phone == "+6281234567890"
    event = AuditEvent.objects.get(action="officer_create", object_id=str(officer.pk))
    assert event.changes["nik"][1] == "6402********0007"
    assert "0007" in event.changes["nik"][1] and nik_for(7, True) not in str(event.changes)


@pytest.mark.parametrize("nik", ["123", "6402061205859", "9902061205850001", "6402063205850001"])
def test_malformed_nik_is_refused(coop, admin_user, nik):
    with pytest.raises(ValidationError) as error:
        services.officer_create(actor=admin_user, cooperative=coop, **officer_fields(nik=nik))
    assert "nik" in error.value.message_dict
    assert not Officer.objects.exists()


def test_bad_phone_and_position_of_the_wrong_body_are_refused(coop, admin_user):
    with pytest.raises(ValidationError) as error:
        services.officer_create(actor=admin_user, cooperative=coop, **officer_fields(phone="0541"))
    assert "phone" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.officer_create(
            actor=admin_user,
            cooperative=coop,
            **officer_fields(body=Officer.Body.PENGAWAS, position=Officer.Position.BENDAHARA),
        )
    assert "position" in error.value.message_dict


def test_same_nik_twice_in_one_cooperative_is_refused(coop, admin_user):
    services.officer_create(actor=admin_user, cooperative=coop, **officer_fields())
    with pytest.raises(ValidationError):
        services.officer_create(
            actor=admin_user, cooperative=coop, **officer_fields(name="Lain", phone="")
        )


def test_outlet_kbli_must_match_its_type(coop, admin_user):
    with pytest.raises(ValidationError) as error:
        services.outlet_create(
            actor=admin_user, cooperative=coop, outlet_type=Outlet.Type.KLINIK, kbli="47111"
        )
    assert "kbli" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.outlet_create(actor=admin_user, cooperative=coop, outlet_type="lainnya")
    outlet = services.outlet_create(
        actor=admin_user,
        cooperative=coop,
        outlet_type=Outlet.Type.LAINNYA,
        other_label="Pangkalan LPG",
        land_area_m2=1200,
    )
    assert outlet.meets_land_rule is True
    assert AuditEvent.objects.filter(action="outlet_create", object_id=str(outlet.pk)).exists()


def test_outlet_update_audits_changes_and_refuses_stale(coop, admin_user):
    outlet = services.outlet_create(
        actor=admin_user, cooperative=coop, outlet_type=Outlet.Type.SEMBAKO, kbli="47111"
    )
    services.outlet_update(
        actor=admin_user, outlet=outlet, expected_version=1, status="pembangunan", progress_pct=40
    )
    event = AuditEvent.objects.get(action="outlet_update", object_id=str(outlet.pk))
    assert event.changes["progress_pct"] == [0, 40]
    with pytest.raises(ValidationError):
        services.outlet_update(
            actor=admin_user,
            outlet=Outlet.objects.get(pk=outlet.pk),
            expected_version=1,
            progress_pct=50,
        )
