from kawal.cooperatives.services import cooperative_create
from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.core.selectors import audit_list
from kawal.regions.models import Region


def test_service_write_records_actor_object_region_and_changes(admin_user):
    village = Region.objects.get(code="64.02.06.1001")
    coop = cooperative_create(actor=admin_user, village=village, name="Koperasi Desa Merah Putih X")
    event = AuditEvent.objects.get(object_id=str(coop.pk), action="cooperative_create")
    assert event.actor == admin_user
    assert event.region_code == "64.02.06.1001"
    assert event.changes["name"] == [None, "Koperasi Desa Merah Putih X"]


def test_audit_list_is_scoped_and_needs_the_audit_capability(admin_user, make_user):
    for code in ("64.02.06.1001", "64.02.05.2006"):
        cooperative_create(
            actor=admin_user, village=Region.objects.get(code=code), name=f"K {code}"
        )
    auditor = make_user(Role.AUDITOR, "64.02.05")
    camat = make_user(Role.CAMAT, "64.02.05")
    assert [e.region_code for e in audit_list(user=auditor)] == ["64.02.05.2006"]
    assert not audit_list(user=camat).exists()


def test_audit_page_query_count_is_constant(client, admin_user, django_assert_max_num_queries):
    for code in Region.objects.filter(district_code="64.02.06", level=4).values_list(
        "code", flat=True
    ):
        cooperative_create(
            actor=admin_user, village=Region.objects.get(code=code), name=f"K {code}"
        )
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        response = client.get("/audit/")
    assert response.status_code == 200
    assert b"K 64.02.06.1001" in response.content


def test_every_phone_like_field_is_masked_in_audit_rows(admin_user):
    from kawal.core.audit import audit, snapshot
    from kawal.formation.models import Notary

    notary = Notary(
        name="Ani",
        seat="Tenggarong",
        phone="081234567890",
        phone_2="081298765432",
        office_phone="081211112222",
    )
    values = snapshot(notary)
    assert values["phone_2"] == "+62812****5432"
    assert values["office_phone"].endswith("2222") and "*" in values["office_phone"]
    notary.save()
    event = audit(
        actor=admin_user,
        action="x",
        obj=notary,
        region_code=None,
        changes={"hp1": [None, "081234567890"], "mobile": ["081200001111", None], "name": [1, 2]},
    )
    assert event.changes["hp1"][1] == "+62812****7890"
    assert event.changes["mobile"][0].startswith("+62812*")
    assert event.changes["name"] == [1, 2]
