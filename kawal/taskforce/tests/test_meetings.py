import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.followups import services as followup_services
from kawal.followups.models import FollowUp
from kawal.taskforce import documents, selectors, services
from kawal.taskforce.models import Decision, Invitee, Meeting

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_series_schedules_every_two_weeks_with_invitees(admin_user, make_agency, make_meeting):
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    start = timezone.make_aware(datetime.datetime(2026, 12, 3, 9))
    meetings = services.meeting_schedule(
        actor=admin_user,
        region_code="64.02",
        title="Rakor",
        starts_at=start,
        place="Setda",
        agencies=[dpmd, bpkad],
        repeat=3,
        interval_days=14,
    )
    assert [m.starts_at.date() for m in meetings] == [
        datetime.date(2026, 12, 3),
        datetime.date(2026, 12, 17),
        datetime.date(2026, 12, 31),
    ]
    assert meetings[0].series == meetings[2].series and meetings[0].series.interval_days == 14
    assert all(m.invitees.count() == 2 for m in meetings)
    assert AuditEvent.objects.filter(action="meeting_schedule").count() == 3


def test_meeting_needs_place_or_link(admin_user):
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(
            actor=admin_user, region_code="64.02", title="x", starts_at=timezone.now()
        )
    assert "place" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_decision_creates_followups_for_each_owner(admin_user, make_agency, make_meeting):
    # given a held meeting
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    meeting = make_meeting([dpmd, bpkad])
    due = timezone.localdate() + datetime.timedelta(days=14)
    # when a decision binds two agencies
    decision = services.decision_record(
        actor=admin_user,
        meeting=meeting,
        text="Data lahan 20 desa disampaikan",
        actions=[
            {"owner_agency": dpmd, "due_date": due},
            {"owner_agency": bpkad, "due_date": due, "title": "Siapkan BTT"},
        ],
    )
    # then each owner has a follow-up that points back at the decision
    rows = FollowUp.objects.order_by("owner_agency__code")
    assert [(f.owner_agency.code, f.title) for f in rows] == [
        ("bpkad", "Siapkan BTT"),
        ("dpmd", "Data lahan 20 desa disampaikan"),
    ]
    assert all(f.source == decision and f.source_kind == "meeting" for f in rows)
    assert [d.actions for d in selectors.decision_list(meeting=meeting)][0]
    assert AuditEvent.objects.filter(action="decision_record", object_id=str(meeting.pk)).exists()


@pytest.mark.parametrize(
    "action,message_part",
    [
        ({"owner_agency": None, "due_date": "+7"}, "owner"),
        ({"owner_agency": "dpmd", "due_date": None}, "due date"),
        ({"owner_agency": "dpmd", "due_date": "-1"}, "before the meeting"),
    ],
)
def test_bad_decisions_save_nothing(
    admin_user, make_agency, make_meeting, action, message_part, settings
):
    settings.LANGUAGE_CODE = "en"
    dpmd = make_agency("dpmd")
    meeting = make_meeting([dpmd])
    day = timezone.localtime(meeting.starts_at).date()
    good = {"owner_agency": dpmd, "due_date": day + datetime.timedelta(days=7)}
    bad = {
        "owner_agency": dpmd if action["owner_agency"] else None,
        "due_date": None
        if action["due_date"] is None
        else day + datetime.timedelta(days=int(action["due_date"])),
    }
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.decision_record(actor=admin_user, meeting=meeting, text="x", actions=[good, bad])
    assert message_part in " ".join(error.value.message_dict["actions"])
    assert not Decision.objects.exists() and not FollowUp.objects.exists()


def test_decision_without_any_followup_is_refused(admin_user, make_meeting):
    with pytest.raises(ValidationError):
        services.decision_record(actor=admin_user, meeting=make_meeting(), text="x", actions=[])
    assert not Decision.objects.exists()


def test_attendance_refuses_someone_not_invited(admin_user, make_agency, make_meeting):
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    meeting = make_meeting([dpmd])
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=admin_user,
            meeting=meeting,
            entries=[
                {"agency": dpmd, "attendance": "hadir"},
                {"agency": bpkad, "attendance": "hadir"},
            ],
        )
    # nothing half-saved: DPMD's valid entry was not kept either
    assert meeting.invitees.get().attendance == ""


def test_attendance_represented_needs_a_name(admin_user, make_agency, make_meeting):
    dpmd = make_agency("dpmd")
    meeting = make_meeting([dpmd])
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=admin_user, meeting=meeting, entries=[{"agency": dpmd, "attendance": "diwakili"}]
        )
    services.attendance_record(
        actor=admin_user,
        meeting=meeting,
        entries=[{"agency": dpmd, "attendance": "diwakili", "represented_by": "Kabid"}],
    )
    row = meeting.invitees.get()
    assert (row.attendance, row.represented_by) == ("diwakili", "Kabid")
    assert AuditEvent.objects.filter(action="attendance_record").exists()


def test_next_agenda_carries_open_and_overdue_followups(admin_user, make_agency, make_meeting):
    # given a first meeting with three decisions, one of them later done
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    today = timezone.localdate()
    first = make_meeting([dpmd, bpkad], start=timezone.now() - datetime.timedelta(days=20))
    day = timezone.localtime(first.starts_at).date()
    late = services.decision_record(
        actor=admin_user,
        meeting=first,
        text="Terlambat",
        actions=[{"owner_agency": dpmd, "due_date": day + datetime.timedelta(days=5)}],
    )
    services.decision_record(
        actor=admin_user,
        meeting=first,
        text="Masih berjalan",
        actions=[{"owner_agency": bpkad, "due_date": today + datetime.timedelta(days=20)}],
    )
    services.decision_record(
        actor=admin_user,
        meeting=first,
        text="Sudah selesai",
        actions=[{"owner_agency": bpkad, "due_date": today + datetime.timedelta(days=20)}],
    )
    done = FollowUp.objects.get(title="Sudah selesai")
    followup_services.evidence_add(actor=admin_user, followup=done, note="Surat terkirim")
    followup_services.followup_set_status(actor=admin_user, followup=done, status="selesai")
    # when the next meeting is scheduled
    nxt = make_meeting([dpmd, bpkad], start=timezone.now() + datetime.timedelta(days=1))
    carry = selectors.carryover_summary(selectors.carryover(meeting=nxt))
    # then its agenda carries the two open ones, overdue first, and not the done one
    assert [f.title for f in carry["rows"]] == ["Terlambat", "Masih berjalan"]
    assert carry["total"] == 2 and carry["overdue"] == 1
    assert FollowUp.objects.get(title="Terlambat").source == late
    # and a meeting never carries follow-ups created after it started
    assert "Sudah selesai" not in [f.title for f in selectors.carryover(meeting=first)]


def test_carryover_respects_agency_scope(
    admin_user, make_user, make_agency, make_meeting, make_followup
):
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    make_followup(dpmd, title="A")
    make_followup(bpkad, title="B")
    nxt = make_meeting([dpmd], start=timezone.now() + datetime.timedelta(days=1))
    member = make_user(Role.SATGAS, "64.02", username="m", agency=dpmd)
    assert [f.title for f in selectors.carryover(meeting=nxt, user=member)] == ["A"]


def test_minutes_mark_held_and_refuse_future_meetings(admin_user, make_meeting):
    held = make_meeting()
    services.minutes_record(actor=admin_user, meeting=held, minutes="Rapat dibuka.", chair="Sekda")
    held.refresh_from_db()
    assert held.status == "selesai"
    future = make_meeting(start=timezone.now() + datetime.timedelta(days=5))
    with pytest.raises(ValidationError):
        services.minutes_record(actor=admin_user, meeting=future, minutes="x")


def test_pdfs_carry_letterhead_and_content(admin_user, make_agency, make_meeting):
    dpmd = make_agency("dpmd", name="Dinas Pemberdayaan Masyarakat dan Desa")
    meeting = make_meeting([dpmd], letter_number="005/123/DISKOPUKM/2026")
    services.attendance_record(
        actor=admin_user, meeting=meeting, entries=[{"agency": dpmd, "attendance": "hadir"}]
    )
    services.minutes_record(actor=admin_user, meeting=meeting, minutes="Rapat dibuka oleh Ketua.")
    services.decision_record(
        actor=admin_user,
        meeting=meeting,
        text="Data lahan desa disampaikan",
        actions=[
            {"owner_agency": dpmd, "due_date": timezone.localdate() + datetime.timedelta(days=9)}
        ],
    )
    services.letterhead_save(actor=admin_user, region_code="64.02", signer_name="Drs. Contoh")
    letterhead = selectors.letterhead_for("64.02")
    invitees = list(selectors.invitee_list(meeting=meeting))
    minutes = _text(
        documents.minutes_pdf(
            meeting=meeting,
            letterhead=letterhead,
            invitees=invitees,
            decisions=selectors.decision_list(meeting=meeting),
        )
    )
    for expected in (
        "PEMERINTAH KABUPATEN KUTAI KARTANEGARA",
        "DINAS KOPERASI DAN USAHA KECIL MENENGAH",
        "NOTULEN RAPAT",
        "Rapat dibuka oleh Ketua.",
        "Data lahan desa disampaikan",
        "Hadir",
        "Drs. Contoh",
    ):
        assert expected in minutes
    nxt = make_meeting([dpmd], start=timezone.now() + datetime.timedelta(days=2))
    invitation = _text(
        documents.invitation_pdf(
            meeting=nxt,
            letterhead=letterhead,
            invitees=list(selectors.invitee_list(meeting=nxt)),
            carry=selectors.carryover_summary(selectors.carryover(meeting=nxt)),
        )
    )
    assert "PEMERINTAH KABUPATEN KUTAI KARTANEGARA" in invitation
    assert "Undangan Rapat Koordinasi Satgas KMP" in invitation
    assert "Dinas Pemberdayaan Masyarakat dan Desa" in invitation
    assert (
        "TINDAK LANJUT YANG DIBAHAS" in invitation and "Data lahan desa disampaikan" in invitation
    )


def test_letterhead_is_configurable(admin_user):
    services.letterhead_save(
        actor=admin_user, region_code="64.02", government="PEMERINTAH KABUPATEN CONTOH"
    )
    assert selectors.letterhead_for("64.02").government == "PEMERINTAH KABUPATEN CONTOH"
    assert AuditEvent.objects.filter(action="letterhead_save").exists()


def test_ics_is_rfc5545(make_meeting):
    meeting = make_meeting(
        start=timezone.make_aware(datetime.datetime(2026, 12, 3, 9, 0)),
        title="Rakor; Satgas, KMP",
        agenda="Laporan\nKendala lahan",
        video_link="https://meet.example.id/rakor",
    )
    body = documents.meeting_ics(meeting=meeting)
    lines = body.split("\r\n")
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    assert lines[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in lines
    assert "DTSTART;TZID=Asia/Makassar:20261203T090000" in lines
    assert "DTEND;TZID=Asia/Makassar:20261203T110000" in lines
    assert "TZOFFSETTO:+0800" in lines and f"UID:{meeting.uid}@kawal-kopdes" in lines
    assert "SUMMARY:Rakor\\; Satgas\\, KMP" in lines
    assert all(len(line.encode()) <= 75 for line in lines)


def test_ics_folds_long_lines():
    folded = documents._fold("DESCRIPTION:" + "é" * 100)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 100


def test_invitee_unique_and_audited(admin_user, make_agency, make_meeting):
    dpmd = make_agency("dpmd")
    meeting = make_meeting([dpmd])
    with pytest.raises(ValidationError):
        services.invitee_add(actor=admin_user, meeting=meeting, agency=dpmd)
    services.invitee_add(actor=admin_user, meeting=meeting, agency=make_agency("bpkad"))
    assert meeting.invitees.count() == 2
    assert Invitee.objects.filter(meeting=meeting, agency__code="bpkad").exists()


def test_person_invitee_attendance(admin_user, make_user, make_agency, make_meeting):
    dpmd = make_agency("dpmd")
    person = make_user(Role.SATGAS, "64.02", username="kabid", agency=dpmd)
    stranger = make_user(Role.SATGAS, "64.02", username="lain", agency=dpmd)
    meeting = make_meeting()
    services.invitee_add(actor=admin_user, meeting=meeting, user=person)
    services.attendance_record(
        actor=admin_user, meeting=meeting, entries=[{"user": person, "attendance": "hadir"}]
    )
    assert meeting.invitees.get(user=person).attendance == "hadir"
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=admin_user, meeting=meeting, entries=[{"user": stranger, "attendance": "hadir"}]
        )


def test_agency_member_sees_decisions_but_links_only_its_own(
    client, admin_user, make_user, make_agency, make_meeting
):
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    meeting = make_meeting([dpmd, bpkad])
    due = timezone.localdate() + datetime.timedelta(days=7)
    services.decision_record(
        actor=admin_user,
        meeting=meeting,
        text="Milik DPMD",
        actions=[{"owner_agency": dpmd, "due_date": due}],
    )
    services.decision_record(
        actor=admin_user,
        meeting=meeting,
        text="Milik BPKAD",
        actions=[{"owner_agency": bpkad, "due_date": due}],
    )
    mine = FollowUp.objects.get(title="Milik DPMD")
    theirs = FollowUp.objects.get(title="Milik BPKAD")
    client.force_login(make_user(Role.SATGAS, "64.02", username="m", agency=dpmd))
    body = client.get(f"/satgas/rapat/{meeting.pk}/").content.decode()
    assert "Milik BPKAD" in body  # the minutes are shared with every invitee
    assert f"/tindak-lanjut/{mine.pk}/" in body and f"/tindak-lanjut/{theirs.pk}/" not in body
