from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.potential import services
from kawal.potential.models import Bumdes, Commodity, Sector, VillageProfile
from kawal.potential.tests.conftest import ANGGANA, BADAK, KELURAHAN


def test_standard_list_is_fitted_to_kukar(kukar):
    codes = set(Sector.objects.values_list("code", flat=True))
    assert {
        "pangan",
        "perkebunan",
        "perikanan",
        "peternakan",
        "jasa_tambang",
        "perdagangan",
        "pariwisata",
    } <= codes
    assert Sector.objects.get(code="perikanan").serving_list == ["cold_storage", "logistik"]


def test_profile_is_saved_with_audit_and_version(admin_user, region):
    village = region(ANGGANA)
    profile = services.profile_save(
        actor=admin_user,
        village=village,
        population=1000,
        households=250,
        idm_status="berkembang",
        idm_year=2024,
    )
    assert AuditEvent.objects.filter(action="profile_create", region_code=ANGGANA).exists()
    services.profile_save(actor=admin_user, village=village, expected_version=1, population=1100)
    profile.refresh_from_db()
    assert profile.population == 1100 and profile.version == 2
    # a stale copy is refused
    with pytest.raises(ValidationError) as error:
        services.profile_save(
            actor=admin_user, village=village, expected_version=1, population=1200
        )
    assert error.value.code == "stale"
    profile.refresh_from_db()
    assert profile.population == 1100


def test_profile_rules(admin_user, region):
    with pytest.raises(ValidationError):  # IDM status without its year
        services.profile_save(actor=admin_user, village=region(ANGGANA), idm_status="maju")
    with pytest.raises(ValidationError):  # more households than people
        services.profile_save(
            actor=admin_user, village=region(ANGGANA), population=10, households=20
        )
    assert not VillageProfile.objects.exists()
    # a kelurahan has no IDM status: it is dropped, not stored
    profile = services.profile_save(
        actor=admin_user,
        village=region(KELURAHAN),
        idm_status="maju",
        idm_year=2024,
        population=9000,
    )
    assert profile.idm_status == "" and profile.idm_year is None


def test_negative_commodity_volume_is_refused(admin_user, region, ctype):
    with pytest.raises(ValidationError) as error:
        services.commodity_save(
            actor=admin_user,
            village=region(ANGGANA),
            commodity_type=ctype("Udang tambak"),
            volume=Decimal("-5"),
            unit="ton",
        )
    assert "negative" in str(error.value).lower() or "negatif" in str(error.value).lower()
    assert not Commodity.objects.exists()


def test_commodity_of_a_village_is_updated_not_duplicated(admin_user, region, ctype):
    village = region(ANGGANA)
    services.commodity_save(
        actor=admin_user, village=village, commodity_type=ctype("Bandeng"), volume=10, unit=""
    )
    services.commodity_save(
        actor=admin_user,
        village=village,
        commodity_type=ctype("Bandeng"),
        volume=12,
        unit="ton",
        estimated_value=5,
    )
    commodity = Commodity.objects.get()
    assert commodity.volume == 12 and commodity.unit == "ton"
    assert AuditEvent.objects.filter(action="commodity_save").count() == 2


def test_bumdes_rules(admin_user, region):
    with pytest.raises(ValidationError):  # kelurahan have no BUMDes
        services.bumdes_save(actor=admin_user, village=region(KELURAHAN), name="BUMDes X")
    with pytest.raises(ValidationError):  # a legal entity needs its number
        services.bumdes_save(
            actor=admin_user, village=region(ANGGANA), name="BUMDes X", legal_status="badan_hukum"
        )
    with pytest.raises(ValidationError):  # a phone number that is not one
        services.bumdes_save(
            actor=admin_user, village=region(ANGGANA), name="BUMDes X", phone="12ab"
        )
    assert not Bumdes.objects.exists()
    bumdes = services.bumdes_save(
        actor=admin_user, village=region(ANGGANA), name="BUMDes X", phone="081234567890"
    )
    with pytest.raises(ValidationError):
        services.bumdes_unit_save(
            actor=admin_user, bumdes=bumdes, name="U", category="sembako", kbli="4711"
        )
    event = AuditEvent.objects.get(action="bumdes_create")
    assert "081234567890" not in str(event.changes)  # the phone is masked in the audit


def test_writes_outside_scope_are_refused(make_user, region, ctype):
    camat = make_user(Role.CAMAT, "64.02.06")
    with pytest.raises(Http404):
        services.profile_save(actor=camat, village=region(BADAK), population=1)
    viewer = make_user(Role.PIMPINAN, "64.02")
    with pytest.raises(PermissionDenied):
        services.commodity_save(
            actor=viewer,
            village=region(ANGGANA),
            commodity_type=ctype("Bandeng"),
            volume=1,
            unit="ton",
        )


def test_only_the_dinas_changes_the_standard_list(national_admin, make_user):
    admin_user = national_admin
    camat = make_user(Role.CAMAT, "64.02.06")
    with pytest.raises(PermissionDenied):
        services.sector_save(actor=camat, code="x", name="X")
    with pytest.raises(ValidationError):
        services.sector_save(actor=admin_user, code="x", name="X", serving_units="kapal")
    sector = services.sector_save(
        actor=admin_user,
        code="kehutanan",
        name="Kehutanan",
        serving_units="logistik",
        order=9,
        is_active=True,
    )
    assert sector.serving_list == ["logistik"]
