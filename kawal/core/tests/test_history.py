"""The "Riwayat" and the audit list speak Indonesian: labels instead of field names, names instead
of ids, labels instead of codes, formatted dates, lists as lists."""

from kawal.cooperatives.services import cooperative_create, cooperative_update, outlet_create
from kawal.core.history import readable
from kawal.core.models import AuditEvent
from kawal.regions.models import Region


def _coop(admin_user, code="64.02.06.1001"):
    return cooperative_create(
        actor=admin_user, village=Region.objects.get(code=code), name="Koperasi Desa Merah Putih X"
    )


def test_a_creation_reads_as_a_sentence_with_field_labels_and_region_name(admin_user):
    coop = _coop(admin_user)
    event = AuditEvent.objects.get(object_id=str(coop.pk), action="cooperative_create")
    [entry] = readable([event])
    assert entry.sentence == "Koperasi dibuat"
    labels = {c.label: c.new for c in entry.changes}
    village = Region.objects.get(code="64.02.06.1001")
    assert labels["Desa/kelurahan"] == str(village)  # a name, not the code used as its key
    assert "village" not in labels and "scheme" not in labels  # no English field names


def test_choice_codes_become_their_labels_and_dates_are_written_out(admin_user):
    coop = _coop(admin_user)
    outlet = outlet_create(
        actor=admin_user, cooperative=coop, outlet_type="sembako", land_area_m2=1200
    )
    event = AuditEvent.objects.get(object_id=str(outlet.pk), action="outlet_create")
    [entry] = readable([event])
    values = {c.label: c.new for c in entry.changes}
    assert "Gerai sembako" in values.values()
    assert "sembako" not in values.values()


def test_foreign_keys_are_named_in_one_query_per_model(admin_user, django_assert_num_queries):
    coops = [_coop(admin_user, code) for code in ("64.02.06.1001", "64.02.06.1002")]
    for coop in coops:
        cooperative_update(actor=admin_user, cooperative=coop, address="Jl. Baru")
    events = list(AuditEvent.objects.select_related("actor", "content_type"))
    with django_assert_num_queries(1):  # the villages, once
        entries = readable(events)
    assert all("Koperasi" in e.sentence for e in entries)


def test_values_without_a_field_are_still_readable():
    event = AuditEvent(
        action="meeting_attendance_record",
        changes={
            "decision 3": [None, "Kirim data lahan"],
            "started_on": [None, "2025-06-10"],
            "checklist": [None, [{"item": "Papan nama", "done": True}]],
            "photo": [None, "bukti/2025/06/foto-lahan.jpg"],
        },
    )
    event.content_type_id = None
    [entry] = readable([event])
    shown = {c.label: c.new for c in entry.changes}
    assert shown["Keputusan 3"] == "Kirim data lahan"
    assert shown["Mulai tanggal"] == "10 Juni 2025"
    assert shown["Checklist"] == ["Papan nama · ya"]


def test_history_on_the_cooperative_page_shows_no_raw_storage(client, admin_user):
    coop = _coop(admin_user)
    cooperative_update(actor=admin_user, cooperative=coop, address="Jl. Poros Tenggarong")
    client.force_login(admin_user)
    body = client.get(f"/koperasi/{coop.pk}/").content.decode()
    assert "Koperasi diubah" in body
    assert "cooperative_update" not in body and "<code>address</code>" not in body


def test_audit_list_page_uses_the_same_sentences(client, admin_user):
    _coop(admin_user)
    client.force_login(admin_user)
    body = client.get("/audit/").content.decode()
    assert "Koperasi dibuat" in body
    assert "cooperative_create" not in body
