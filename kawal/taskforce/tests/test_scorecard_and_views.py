import datetime

import pytest
from django.utils import timezone

from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.followups import services as followup_services
from kawal.followups.models import FollowUp
from kawal.taskforce import selectors, services
from kawal.taskforce.models import Decree, DecreeMember

pytestmark = pytest.mark.django_db


def _at(day: datetime.date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_scorecard_arithmetic(admin_user, make_agency, make_meeting, make_followup):
    # given DPMD with four follow-ups in the period: done on time (5 days), done late (13 days),
    # overdue, cancelled; and BPKAD with one done on time (2 days)
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    d0 = timezone.localdate() - datetime.timedelta(days=30)

    def followup(agency, due_in, status=None, close_in=None, title="t"):
        f = make_followup(agency, title=title, due=d0 + datetime.timedelta(days=due_in))
        if status == "selesai":
            followup_services.evidence_add(actor=admin_user, followup=f, note="bukti")
        if status:
            followup_services.followup_set_status(actor=admin_user, followup=f, status=status)
        closed = _at(d0 + datetime.timedelta(days=close_in)) if close_in is not None else None
        FollowUp.objects.filter(pk=f.pk).update(created_at=_at(d0), closed_at=closed)
        return f

    followup(dpmd, 7, "selesai", 5)
    followup(dpmd, 7, "selesai", 13)
    followup(dpmd, 7)
    followup(dpmd, 7, "dibatalkan", 3)
    followup(bpkad, 7, "selesai", 2)
    # and one held meeting: DPMD present, BPKAD absent; a cancelled-out second: DPMD represented
    dinkes = make_agency("dinkes")
    for agency_status in ({"dpmd": "hadir", "bpkad": "tidak_hadir"}, {"dpmd": "diwakili"}):
        m = make_meeting([dpmd, bpkad, dinkes], start=_at(d0 + datetime.timedelta(days=1)))
        services.attendance_record(
            actor=admin_user,
            meeting=m,
            entries=[
                {"agency": a, "attendance": agency_status.get(a.code, ""), "represented_by": "X"}
                for a in (dpmd, bpkad)
            ],
        )
        services.minutes_record(actor=admin_user, meeting=m, minutes="ok")
    # when the scorecard is computed
    cards = selectors.scorecard(user=admin_user, date_from=d0, date_to=timezone.localdate())
    by = {c["agency"].code: c for c in cards}
    # then the numbers are exact
    d = by["dpmd"]
    assert (d["assigned"], d["done"], d["on_time"], d["overdue"]) == (3, 2, 1, 1)
    assert d["median_days"] == 9
    assert (d["invited"], d["attended"], d["attendance_rate"]) == (2, 2, 100)
    b = by["bpkad"]
    assert (b["assigned"], b["done"], b["on_time"], b["overdue"], b["median_days"]) == (
        1,
        1,
        1,
        0,
        2,
    )
    assert (b["invited"], b["attended"], b["attendance_rate"]) == (2, 0, 0)
    # ranked by on-time rate: BPKAD 100% before DPMD 33%; an agency only invited comes last
    assert [c["agency"].code for c in cards] == ["bpkad", "dpmd", "dinkes"]
    assert round(d["on_time_rate"], 1) == 33.3


def test_scorecard_page_query_ceiling_and_drilldown(
    client,
    admin_user,
    make_user,
    make_agency,
    make_meeting,
    make_cooperative,
    django_assert_max_num_queries,
):
    from kawal.regions.models import Region

    agencies = [make_agency(f"opd{i}") for i in range(30)]
    villages = Region.objects.filter(regency_code="64.02", level=4).order_by("code")[:20]
    coops = [make_cooperative(v.code) for v in villages]  # the overdue list names each one
    today = timezone.localdate()
    FollowUp.objects.bulk_create(
        FollowUp(
            title=f"t{i}",
            owner_agency=agencies[i % 30],
            due_date=today - datetime.timedelta(days=i % 40),
            region_id=coops[i % 20].village_id,
            cooperative=coops[i % 20],
            status=["baru", "dikerjakan", "selesai"][i % 3],
            closed_at=timezone.now() if i % 3 == 2 else None,
        )
        for i in range(600)
    )
    make_meeting(agencies)
    sekda = make_user(Role.PIMPINAN, "64.02", username="sekda")
    client.force_login(sekda)
    with django_assert_max_num_queries(20):
        response = client.get("/satgas/kinerja/")
    assert response.status_code == 200 and b"opd1" in response.content.lower()
    with django_assert_max_num_queries(20):
        assert client.get("/satgas/kinerja/opd1/").status_code == 200
    partial = client.get("/satgas/kinerja/", headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"opd1" in partial.content.lower()


def test_satgas_pages_query_ceiling(
    client, admin_user, make_agency, make_meeting, make_followup, django_assert_max_num_queries
):
    agencies = [make_agency(f"opd{i}") for i in range(30)]
    for i in range(60):
        make_followup(agencies[i % 30], title=f"f{i}")
    meeting = make_meeting(agencies)
    for _ in range(30):
        make_meeting(agencies[:5])
    services.decision_record(
        actor=admin_user,
        meeting=meeting,
        text="Keputusan",
        actions=[{"owner_agency": a, "due_date": timezone.localdate()} for a in agencies[:10]],
    )
    # ~30 decrees, each amending the one before, with agencies and members, so that a per-row
    # query (amends, amendments, structure) would show on /satgas/sk/ and /satgas/
    previous = None
    for i in range(30):
        previous = services.decree_create(
            actor=admin_user,
            region_code="64.02",
            number=f"SK-{i}",
            title=f"Satgas KMP perubahan {i}",
            signed_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            valid_from=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            amends=previous,
        )
        if i == 0:
            for a in agencies[:10]:
                services.decree_agency_set(actor=admin_user, decree=previous, agency=a)
            services.decree_member_add(
                actor=admin_user, decree=previous, position="ketua", office_title="Sekda"
            )
    assert Decree.objects.count() == 30 and previous.agencies.count() == 10
    client.force_login(admin_user)
    for url in (
        "/satgas/",
        "/satgas/rapat/",
        f"/satgas/rapat/{meeting.pk}/",
        "/satgas/instansi/",
        "/satgas/sk/",
        f"/satgas/sk/{previous.pk}/",
        "/",
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200, url


def test_meeting_list_htmx_partial(client, admin_user, make_meeting):
    make_meeting(title="Rakor Desember")
    client.force_login(admin_user)
    full = client.get("/satgas/rapat/")
    partial = client.get("/satgas/rapat/?q=Desember", headers={"HX-Request": "true"})
    assert b"<html" in full.content and b"Rakor Desember" in full.content
    assert b"<html" not in partial.content and b"Rakor Desember" in partial.content


def test_scope_leak_other_regency(client, make_user, make_meeting, kukar):
    # given a meeting of Kukar and a user of another regency (Paser, 64.01)
    from kawal.regions.models import Region

    Region.objects.get_or_create(
        code="64.01",
        defaults={
            "name": "Paser",
            "level": 2,
            "kind": "kabupaten",
            "province_code": "64",
            "regency_code": "64.01",
            "parent_id": "64",
        },
    )
    meeting = make_meeting()
    outsider = make_user(Role.ADMIN_DINAS, "64.01", username="paser")
    client.force_login(outsider)
    for url in (
        f"/satgas/rapat/{meeting.pk}/",
        f"/satgas/rapat/{meeting.pk}/undangan.pdf",
        f"/satgas/rapat/{meeting.pk}/kalender.ics",
    ):
        assert client.get(url).status_code == 404
    assert b"Rapat Koordinasi" not in client.get("/satgas/rapat/").content
    response = client.post(f"/satgas/rapat/{meeting.pk}/", {"action": "minutes", "n-minutes": "x"})
    assert response.status_code == 404


def test_agency_member_cannot_record_meeting(client, make_user, make_agency, make_meeting):
    dpmd = make_agency("dpmd")
    meeting = make_meeting([dpmd])
    client.force_login(make_user(Role.SATGAS, "64.02", username="m", agency=dpmd))
    assert client.get(f"/satgas/rapat/{meeting.pk}/").status_code == 200
    response = client.post(f"/satgas/rapat/{meeting.pk}/", {"action": "minutes", "n-minutes": "x"})
    assert response.status_code == 403
    assert client.get("/satgas/rapat/baru/").status_code == 403


def test_record_decision_through_the_page(client, admin_user, make_agency, make_meeting):
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    meeting = make_meeting([dpmd, bpkad])
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    client.force_login(admin_user)
    data = {
        "action": "decision",
        "d-text": "Percepat NIB",
        "t-TOTAL_FORMS": "2",
        "t-INITIAL_FORMS": "0",
        "t-0-owner_agency": dpmd.pk,
        "t-0-due_date": due,
        "t-1-owner_agency": bpkad.pk,
        "t-1-due_date": due,
    }
    response = client.post(f"/satgas/rapat/{meeting.pk}/", data)
    assert response.status_code == 302
    assert FollowUp.objects.filter(title="Percepat NIB").count() == 2
    # a due date before the meeting is refused with a message, nothing saved
    data.update({"d-text": "Lagi", "t-0-due_date": "2020-01-01"})
    response = client.post(f"/satgas/rapat/{meeting.pk}/", data)
    assert response.status_code == 200 and b'role="alert"' in response.content
    assert not FollowUp.objects.filter(title="Lagi").exists()


def test_attendance_post_for_unknown_invitee_is_refused(
    client, admin_user, make_agency, make_meeting
):
    meeting = make_meeting([make_agency("dpmd")])
    other = make_meeting([make_agency("bpkad")])
    foreign = other.invitees.get()
    client.force_login(admin_user)
    response = client.post(
        f"/satgas/rapat/{meeting.pk}/", {"action": "attendance", f"hadir-{foreign.pk}": "hadir"}
    )
    assert response.status_code == 200 and b'role="alert"' in response.content
    foreign.refresh_from_db()
    assert foreign.attendance == ""


def test_decree_amendment_keeps_history_and_copies_structure(admin_user, make_agency):
    dpmd = make_agency("dpmd")
    first = services.decree_create(
        actor=admin_user,
        region_code="64.02",
        number="SK-1",
        title="Satgas",
        signed_on=datetime.date(2025, 5, 12),
        valid_from=datetime.date(2025, 5, 12),
    )
    services.decree_agency_set(
        actor=admin_user, decree=first, agency=dpmd, duties="Lahan", is_leading_sector=True
    )
    services.decree_member_add(
        actor=admin_user, decree=first, position="ketua", office_title="Sekretaris Daerah"
    )
    second = services.decree_create(
        actor=admin_user,
        region_code="64.02",
        number="SK-2",
        title="Perubahan",
        signed_on=datetime.date(2026, 5, 25),
        valid_from=datetime.date(2026, 6, 1),
        amends=first,
    )
    assert selectors.decree_current(user=admin_user) == second
    assert selectors.decree_history(decree=first) == [first, second]
    assert second.agencies.get().duties == "Lahan" and second.agencies.get().is_leading_sector
    assert second.members.get().position == DecreeMember.Position.KETUA
    assert first.members.count() == 1  # the old decree keeps its own structure
    assert AuditEvent.objects.filter(action="decree_amend", object_id=str(second.pk)).exists()


def test_decree_rejects_fake_pdf(media, admin_user):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as error:
        services.decree_create(
            actor=admin_user,
            region_code="64.02",
            number="SK-1",
            title="x",
            signed_on=datetime.date(2025, 5, 12),
            valid_from=datetime.date(2025, 5, 12),
            file=SimpleUploadedFile("sk.pdf", b"MZ\x90 program"),
        )
    assert "file" in error.value.message_dict


def test_agency_create_and_update_audited(admin_user, make_user, kukar):
    from django.core.exceptions import PermissionDenied

    agency = services.agency_create(
        actor=admin_user,
        code="dishub",
        name="Dinas Perhubungan",
        short_name="Dishub",
        kind="dinas",
        region_code="64.02",
    )
    services.agency_update(actor=admin_user, agency=agency, short_name="DISHUB")
    assert AuditEvent.objects.filter(
        action="agency_update", object_id=str(agency.pk)
    ).get().changes == {"short_name": ["Dishub", "DISHUB"]}
    sekda = make_user(Role.PIMPINAN, "64.02", username="sekda")
    with pytest.raises(PermissionDenied):
        services.agency_update(actor=sekda, agency=agency, short_name="x")


def test_documents_download(client, admin_user, make_agency, make_meeting):
    meeting = make_meeting([make_agency("dpmd")])
    client.force_login(admin_user)
    pdf = client.get(f"/satgas/rapat/{meeting.pk}/undangan.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/satgas/rapat/{meeting.pk}/notulen.pdf").status_code == 404  # not held
    services.minutes_record(actor=admin_user, meeting=meeting, minutes="ok")
    assert client.get(f"/satgas/rapat/{meeting.pk}/notulen.pdf").content.startswith(b"%PDF")
    ics = client.get(f"/satgas/rapat/{meeting.pk}/kalender.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content


def test_meeting_edit_reschedules_and_audits(client, admin_user, make_meeting):
    meeting = make_meeting(start=timezone.now() + datetime.timedelta(days=3))
    client.force_login(admin_user)
    new_start = timezone.localtime(meeting.starts_at) + datetime.timedelta(days=1)
    response = client.post(
        f"/satgas/rapat/{meeting.pk}/ubah/",
        {
            "title": "Rakor dipindah",
            "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 90,
            "place": "Aula Diskop",
            "version": meeting.version,
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Rakor dipindah" and meeting.version == 2
    assert (meeting.ends_at - meeting.starts_at) == datetime.timedelta(minutes=90)
    assert AuditEvent.objects.filter(action="meeting_update", object_id=str(meeting.pk)).exists()
    # a stale form is refused
    response = client.post(
        f"/satgas/rapat/{meeting.pk}/ubah/",
        {
            "title": "x",
            "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 90,
            "place": "x",
            "version": 1,
        },
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.title == "Rakor dipindah"


def test_decree_and_agency_pages(media, client, admin_user, kukar):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    response = client.post(
        "/satgas/sk/baru/",
        {
            "number": "100/1/2026",
            "title": "Satgas KMP",
            "signed_on": "2026-05-25",
            "signed_by": "Bupati Kutai Kartanegara",
            "valid_from": "2026-06-01",
            "region_code": "64.02",
            "file": SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    assert response.status_code == 302
    decree = selectors.decree_list(user=admin_user).get()
    assert client.get(f"/satgas/sk/{decree.pk}/berkas/").status_code == 200
    response = client.post(
        "/satgas/instansi/baru/",
        {
            "code": "dishub",
            "name": "Dinas Perhubungan",
            "short_name": "Dishub",
            "kind": "dinas",
            "region_code": "64.02",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    agency = selectors.agency_get(user=admin_user, code="dishub")
    response = client.post(
        f"/satgas/sk/{decree.pk}/",
        {"action": "agency", "a-agency": agency.pk, "a-duties": "Transportasi logistik"},
    )
    assert response.status_code == 302
    assert decree.agencies.get().duties == "Transportasi logistik"
    response = client.post(
        f"/satgas/sk/{decree.pk}/",
        {"action": "member", "m-position": "ketua", "m-office_title": "Sekretaris Daerah"},
    )
    assert response.status_code == 302 and decree.members.count() == 1
    # a malformed region code is refused by the form
    response = client.post(
        "/satgas/instansi/baru/",
        {"code": "x", "name": "X", "short_name": "X", "kind": "dinas", "region_code": "64-02"},
    )
    assert response.status_code == 200 and b'role="alert"' in response.content


def test_scorecard_export(client, admin_user, make_agency):
    import io

    from openpyxl import load_workbook

    from kawal.followups.services import followup_create

    dpmd = make_agency("dpmd")
    followup_create(
        actor=admin_user,
        title="x",
        owner_agency=dpmd,
        due_date=timezone.localdate(),
        region_code="64.02",
    )
    client.force_login(admin_user)
    response = client.get("/satgas/kinerja/ekspor.xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][0] == "peringkat" and rows[1][1] == "dpmd" and rows[1][3] == 1
