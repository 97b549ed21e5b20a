"""Outlet lifecycle: order rules, dates, the registry status kept in step, corrections audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kawal.cooperatives.models import Outlet
from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.operations import selectors, services
from kawal.operations.models import OutletEvent, OutletLife, Stage

D = datetime.date


def _walk_to_open(actor, outlet, photo):
    services.outlet_stage_record(
        actor=actor,
        outlet=outlet,
        stage=Stage.LAND,
        happened_on=D(2025, 8, 1),
        land_area_m2=1200,
        land_status="aset_desa",
    )
    services.outlet_stage_record(
        actor=actor,
        outlet=outlet,
        stage=Stage.BUILDING,
        happened_on=D(2025, 8, 20),
        builder="agrinas",
        progress_pct=30,
        photo=photo(),
    )
    services.outlet_stage_record(
        actor=actor, outlet=outlet, stage=Stage.EQUIPPED, happened_on=D(2025, 10, 1)
    )
    return services.outlet_stage_record(
        actor=actor,
        outlet=outlet,
        stage=Stage.OPEN,
        happened_on=D(2025, 10, 15),
        opening_days="Senin–Sabtu",
        opening_hours="08.00–16.00",
        staff_count=3,
    )


@pytest.mark.django_db
def test_opening_an_outlet_moves_the_registry_status_and_exposes_the_opening_date(
    legal_coop, make_outlet, admin_user, photo
):
    outlet = make_outlet(legal_coop())

    _walk_to_open(admin_user, outlet, photo)

    outlet.refresh_from_db()
    assert outlet.status == Outlet.Status.BEROPERASI
    assert outlet.progress_pct == 100
    assert outlet.land_area_m2 == 1200
    assert selectors.outlet_opened_on([outlet.pk]) == {outlet.pk: D(2025, 10, 15)}
    assert OutletEvent.objects.filter(outlet=outlet).count() == 4
    audit = AuditEvent.objects.filter(action="outlet_stage_record", object_id=str(outlet.life.pk))
    assert audit.count() == 4
    assert audit.first().region_code == outlet.cooperative.village_id


@pytest.mark.django_db
def test_pausing_takes_the_outlet_out_of_the_operating_count(
    legal_coop, make_outlet, admin_user, photo
):
    outlet = make_outlet(legal_coop())
    _walk_to_open(admin_user, outlet, photo)

    services.outlet_stage_record(
        actor=admin_user, outlet=outlet, stage=Stage.PAUSED, happened_on=D(2025, 12, 1)
    )

    outlet.refresh_from_db()
    assert outlet.status == Outlet.Status.JEDA
    # The opening date stays when it reopens.
    services.outlet_stage_record(
        actor=admin_user, outlet=outlet, stage=Stage.OPEN, happened_on=D(2026, 1, 5)
    )
    assert OutletLife.objects.get(outlet=outlet).opened_on == D(2025, 10, 15)


@pytest.mark.django_db
def test_an_outlet_cannot_open_before_it_is_built(legal_coop, make_outlet, admin_user):
    outlet = make_outlet(legal_coop())

    with pytest.raises(ValidationError) as error:
        services.outlet_stage_record(
            actor=admin_user,
            outlet=outlet,
            stage=Stage.OPEN,
            happened_on=D(2025, 9, 1),
            opening_days="Senin",
            opening_hours="08.00",
        )

    assert "setelah dibangun" in str(error.value) or "built" in str(error.value)
    outlet.refresh_from_db()
    assert outlet.status == Outlet.Status.RENCANA
    assert not OutletEvent.objects.exists()


@pytest.mark.django_db
def test_a_future_date_or_a_date_before_the_last_step_is_refused(
    legal_coop, make_outlet, admin_user
):
    outlet = make_outlet(legal_coop())
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError):
        services.outlet_stage_record(
            actor=admin_user,
            outlet=outlet,
            stage=Stage.LAND,
            happened_on=tomorrow,
            land_area_m2=1000,
            land_status="hibah",
        )
    services.outlet_stage_record(
        actor=admin_user,
        outlet=outlet,
        stage=Stage.LAND,
        happened_on=D(2025, 9, 1),
        land_area_m2=1000,
        land_status="hibah",
    )
    with pytest.raises(ValidationError):
        services.outlet_stage_record(
            actor=admin_user,
            outlet=outlet,
            stage=Stage.BUILDING,
            happened_on=D(2025, 8, 1),
            builder="swadaya",
            progress_pct=10,
        )
    assert OutletEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_construction_report_needs_a_photo(legal_coop, make_outlet, admin_user, photo):
    outlet = make_outlet(legal_coop())
    services.outlet_stage_record(
        actor=admin_user,
        outlet=outlet,
        stage=Stage.LAND,
        happened_on=D(2025, 9, 1),
        land_area_m2=1500,
        land_status="sewa",
    )
    services.outlet_stage_record(
        actor=admin_user,
        outlet=outlet,
        stage=Stage.BUILDING,
        happened_on=D(2025, 9, 10),
        builder="swadaya",
        progress_pct=10,
    )

    with pytest.raises(ValidationError) as error:
        services.outlet_stage_record(
            actor=admin_user,
            outlet=outlet,
            stage=Stage.BUILDING,
            happened_on=D(2025, 10, 10),
            progress_pct=40,
        )
    assert "photo" in error.value.message_dict

    services.outlet_stage_record(
        actor=admin_user,
        outlet=outlet,
        stage=Stage.BUILDING,
        happened_on=D(2025, 10, 10),
        progress_pct=40,
        photo=photo(),
    )
    outlet.refresh_from_db()
    assert outlet.progress_pct == 40


@pytest.mark.django_db
def test_a_correction_keeps_the_old_date_in_the_audit_trail(legal_coop, make_outlet, admin_user):
    outlet = make_outlet(legal_coop())
    event = services.outlet_stage_record(
        actor=admin_user,
        outlet=outlet,
        stage=Stage.LAND,
        happened_on=D(2025, 9, 1),
        land_area_m2=1500,
        land_status="sewa",
    )

    services.outlet_event_correct(
        actor=admin_user, event=event, happened_on=D(2025, 8, 28), note="", reason="salah ketik"
    )

    row = AuditEvent.objects.get(action="outlet_event_correct")
    assert row.changes["happened_on"] == ["2025-09-01", "2025-08-28"]
    assert row.note == "salah ketik"
    assert OutletLife.objects.get(outlet=outlet).stage_since == D(2025, 8, 28)


@pytest.mark.django_db
def test_a_pengurus_of_another_village_cannot_touch_the_outlet(legal_coop, make_outlet, make_user):
    outlet = make_outlet(legal_coop())
    stranger = make_user(Role.PENGURUS, "64.02.05.2006")

    from django.http import Http404

    with pytest.raises(Http404):
        services.outlet_stage_record(
            actor=stranger,
            outlet=outlet,
            stage=Stage.LAND,
            happened_on=D(2025, 9, 1),
            land_area_m2=1500,
            land_status="sewa",
        )
