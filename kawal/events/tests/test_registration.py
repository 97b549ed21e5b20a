import pytest
from django.core.exceptions import ValidationError

from kawal.cooperatives.models import Cooperative
from kawal.core.models import AuditEvent
from kawal.events import services
from kawal.events.models import Registrant

pytestmark = pytest.mark.django_db


def _officer(coop, position, name, phone=""):
    from kawal.cooperatives.models import Officer

    return Officer.objects.create(
        cooperative=coop, body="pengurus", position=position, name=name, sex="L", phone=phone
    )


def test_inviting_cooperatives_registers_ketua_plus_two_by_name_or_slot(
    admin_user, make_event, make_venue, make_cooperative
):
    # given a hybrid launch with a watch point in Tenggarong (64.02.06), and two cooperatives there,
    # one with its ketua and bendahara in the registry
    event = make_event("hybrid")
    point = make_venue(event, district_code="64.02.06")
    first = make_cooperative("64.02.06.1001")
    make_cooperative("64.02.06.1002")
    _officer(first, "bendahara", "Siti Aminah", "081234567801")
    _officer(first, "ketua", "Budi Santoso", "081234567800")
    # when every cooperative is invited
    n = services.invite_cooperatives(
        actor=admin_user, event=event, cooperatives=Cooperative.objects.order_by("pk")
    )
    # then each has three delegates, the known officers first, all seated at the watch point
    assert n == 6
    rows = list(Registrant.objects.filter(event=event, cooperative=first).order_by("id"))
    assert [r.name for r in rows][:2] == ["Budi Santoso", "Siti Aminah"]
    assert rows[0].phone == "+6281234567800"
    assert rows[2].name.startswith("Delegate 3") or rows[2].name.startswith("Delegasi 3")
    assert {r.venue_id for r in Registrant.objects.filter(event=event)} == {point.pk}
    assert {r.district_code for r in rows} == {"64.02.06"}
    # and inviting again adds nobody (one person once per event)
    again = services.invite_cooperatives(
        actor=admin_user, event=event, cooperatives=Cooperative.objects.all()
    )
    assert again == 0
    assert AuditEvent.objects.filter(action="event_invite_cooperatives").count() == 2


def test_registrant_add_writes_an_audit_row_with_the_phone_masked(admin_user, make_event):
    event = make_event()
    registrant = services.registrant_add(
        actor=admin_user, event=event, kind="official", name="Bupati Kukar", phone="081298765432"
    )
    row = AuditEvent.objects.get(action="registrant_add", object_id=str(registrant.pk))
    assert row.actor == admin_user and row.region_code == "64.02"
    assert "81298765432" not in str(row.changes)


def test_a_second_registration_of_the_same_person_is_refused(make_event, make_registrant):
    # given a public event with an invited official whose number is known
    event = make_event(self_registration=True)
    make_registrant(event, name="Kepala Desa Tanah Datar", phone="0812-3456-7890")
    # when someone registers again with the same number (written differently)
    with pytest.raises(ValidationError) as error:
        services.self_register(event=event, name="Kades Tanah Datar", phone="+62 812 3456 7890")
    # then it is refused with a clear reason, and nothing is added
    assert "already registered" in str(error.value) or "sudah terdaftar" in str(error.value)
    assert Registrant.objects.filter(event=event).count() == 1


def test_self_registration_needs_an_open_event_and_a_mobile_number(make_event):
    closed = make_event()
    with pytest.raises(ValidationError):
        services.self_register(event=closed, name="Warga Desa", phone="081234567890")
    open_ = make_event(self_registration=True)
    with pytest.raises(ValidationError):
        services.self_register(event=open_, name="Warga Desa", phone="")
    with pytest.raises(ValidationError):
        services.self_register(event=open_, name="Warga Desa", phone="0541 123456")  # landline
    with pytest.raises(ValidationError):
        services.self_register(event=open_, name="AB", phone="081234567890")
    assert Registrant.objects.count() == 0


def test_a_full_watch_point_refuses_one_more_registration(make_event, make_venue, make_registrant):
    # given a watch point of two seats, both taken
    event = make_event("hybrid", self_registration=True)
    point = make_venue(event, capacity=2)
    make_registrant(event, venue=point)
    make_registrant(event, venue=point)
    # when a third person chooses it
    with pytest.raises(ValidationError) as error:
        services.self_register(event=event, name="Warga Tiga", phone="081234567899", venue=point)
    # then the answer names the watch point and its seats
    assert "2" in str(error.value) and point.name in str(error.value)


def test_a_cooperative_cannot_send_more_delegates_than_allowed(make_event, make_cooperative):
    event = make_event(self_registration=True, delegates_per_cooperative=1)
    coop = make_cooperative("64.02.06.1001")
    services.self_register(event=event, name="Ketua Satu", phone="081200000001", cooperative=coop)
    with pytest.raises(ValidationError) as error:
        services.self_register(
            event=event, name="Anggota Dua", phone="081200000002", cooperative=coop
        )
    assert coop.name in str(error.value)


def test_only_managers_of_the_region_may_invite(make_user, make_event):
    from django.http import Http404

    from kawal.core.scope import Role

    event = make_event()
    camat = make_user(Role.CAMAT, "64.02.06")
    with pytest.raises(Http404):
        services.registrant_add(actor=camat, event=event, kind="official", name="Tamu Undangan")
