"""Satgas meeting integrity: what PDFs show each reader, concurrent attendance and decision
numbering, orphan decree files, malformed attendance posts, and who may run the Satgas."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from pypdf import PdfReader

from kawal.core.scope import Role
from kawal.taskforce import services
from kawal.taskforce.models import Decision, Decree, Meeting

pytestmark = pytest.mark.django_db
# Real races need row locks, i.e. PostgreSQL (SQLite serialises writers itself).
ON_POSTGRESQL = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks need PostgreSQL",
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- 3. the invitation PDF shows only what the reader may see ---------------------------------


def test_invitation_pdf_hides_other_agencies_followups_from_a_satgas_member(
    client, admin_user, make_user, make_agency, make_meeting, make_followup
):
    # given open follow-ups of DPMD and BPKAD, and the next meeting
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    make_followup(dpmd, title="Rekap lahan DPMD")
    make_followup(bpkad, title="Anggaran rahasia BPKAD")
    nxt = make_meeting([dpmd, bpkad], start=timezone.now() + datetime.timedelta(days=2))
    member = make_user(Role.SATGAS, "64.02", username="staf.dpmd", agency=dpmd)
    # when a DPMD Satgas member downloads the invitation
    client.force_login(member)
    page = client.get(f"/satgas/rapat/{nxt.pk}/").content.decode()
    text = _text(client.get(f"/satgas/rapat/{nxt.pk}/undangan.pdf").content)
    # then it lists DPMD's follow-up but not BPKAD's, like the meeting page
    assert "Rekap lahan DPMD" in text and "Rekap lahan DPMD" in page
    assert "Anggaran rahasia BPKAD" not in text and "Anggaran rahasia BPKAD" not in page
    # while the Dinas still gets the whole list
    client.force_login(admin_user)
    text = _text(client.get(f"/satgas/rapat/{nxt.pk}/undangan.pdf").content)
    assert "Rekap lahan DPMD" in text and "Anggaran rahasia BPKAD" in text


# --- 4. concurrency -----------------------------------------------------------------------------


def _post_attendance(client, meeting, rows: dict):
    """rows: {invitee: (shown value, new value)} as a form shown earlier would post them."""
    data = {"action": "attendance"}
    for invitee, (shown, new) in rows.items():
        data[f"hadir-{invitee.pk}"] = new
        data[f"wakil-{invitee.pk}"] = ""
        data[f"was-hadir-{invitee.pk}"] = shown
        data[f"was-wakil-{invitee.pk}"] = ""
    return client.post(f"/satgas/rapat/{meeting.pk}/", data)


def test_attendance_page_sends_what_it_showed(client, admin_user, make_agency, make_meeting):
    meeting = make_meeting([make_agency("dpmd")])
    row = meeting.invitees.get()
    client.force_login(admin_user)
    body = client.get(f"/satgas/rapat/{meeting.pk}/").content.decode()
    assert f'name="was-hadir-{row.pk}" value=""' in body


def test_stale_attendance_form_does_not_overwrite_a_concurrent_save(
    client, admin_user, make_agency, make_meeting
):
    # given two invitees and a form shown while both were still empty
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    meeting = make_meeting([dpmd, bpkad])
    row_dpmd = meeting.invitees.get(agency=dpmd)
    row_bpkad = meeting.invitees.get(agency=bpkad)
    # and a second secretary who meanwhile records DPMD as present
    services.attendance_record(
        actor=admin_user, meeting=meeting, entries=[{"agency": dpmd, "attendance": "hadir"}]
    )
    client.force_login(admin_user)
    # when the stale form saves BPKAD only (DPMD left as it was shown)
    response = _post_attendance(
        client, meeting, {row_dpmd: ("", ""), row_bpkad: ("", "tidak_hadir")}
    )
    # then BPKAD is saved and DPMD keeps the concurrent value
    assert response.status_code == 302
    row_dpmd.refresh_from_db()
    row_bpkad.refresh_from_db()
    assert (row_dpmd.attendance, row_bpkad.attendance) == ("hadir", "tidak_hadir")


def test_conflicting_attendance_edit_is_refused_and_nothing_saved(
    client, admin_user, make_agency, make_meeting
):
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    meeting = make_meeting([dpmd, bpkad])
    row_dpmd = meeting.invitees.get(agency=dpmd)
    row_bpkad = meeting.invitees.get(agency=bpkad)
    services.attendance_record(
        actor=admin_user, meeting=meeting, entries=[{"agency": dpmd, "attendance": "hadir"}]
    )
    client.force_login(admin_user)
    # when the stale form changes DPMD too (to absent), it is a conflict
    response = _post_attendance(
        client, meeting, {row_dpmd: ("", "tidak_hadir"), row_bpkad: ("", "hadir")}
    )
    assert response.status_code == 200 and b'role="alert"' in response.content
    row_dpmd.refresh_from_db()
    row_bpkad.refresh_from_db()
    assert (row_dpmd.attendance, row_bpkad.attendance) == ("hadir", "")


def test_decision_numbering_locks_the_meeting_row(
    monkeypatch, admin_user, make_agency, make_meeting
):
    # given a spy on row locks
    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    dpmd = make_agency("dpmd")
    meeting = make_meeting([dpmd])
    due = timezone.localdate() + datetime.timedelta(days=7)
    # when two decisions are recorded
    for text in ("Satu", "Dua"):
        services.decision_record(
            actor=admin_user,
            meeting=meeting,
            text=text,
            actions=[{"owner_agency": dpmd, "due_date": due}],
        )
    # then the meeting row was locked for each numbering, and the numbers follow on
    assert locked.count(Meeting) >= 2
    assert list(meeting.decisions.values_list("number", flat=True)) == [1, 2]
    assert Decision.objects.count() == 2


# --- 5. bad input -------------------------------------------------------------------------------


def test_invalid_decree_leaves_no_file_behind(media, settings, admin_user):
    # given a valid PDF but a decree without a number
    with pytest.raises(ValidationError) as error:
        services.decree_create(
            actor=admin_user,
            region_code="64.02",
            number="",
            title="Satgas KMP",
            signed_on=datetime.date(2025, 5, 12),
            valid_from=datetime.date(2025, 5, 12),
            file=SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf"),
        )
    # then it is refused, and neither a row nor a stored file remains
    assert "number" in error.value.message_dict
    assert not Decree.objects.exists()
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_valid_decree_keeps_its_file(media, admin_user):
    decree = services.decree_create(
        actor=admin_user,
        region_code="64.02",
        number="100.3.3.2/K.123/2025",
        title="Satgas KMP",
        signed_on=datetime.date(2025, 5, 12),
        valid_from=datetime.date(2025, 5, 12),
        file=SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf"),
    )
    assert Decree.objects.get().file.read().startswith(b"%PDF")
    assert decree.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    "key", ["hadir-abc", "hadir-", "hadir-1.5", "hadir--3", "hadir-99999999999999999999"]
)
def test_malformed_attendance_key_is_a_form_error(
    client, admin_user, make_agency, make_meeting, key
):
    meeting = make_meeting([make_agency("dpmd")])
    client.force_login(admin_user)
    response = client.post(f"/satgas/rapat/{meeting.pk}/", {"action": "attendance", key: "hadir"})
    assert response.status_code == 200 and b'role="alert"' in response.content
    assert meeting.invitees.get().attendance == ""


def test_malformed_invitee_id_in_the_service_is_a_validation_error(
    admin_user, make_agency, make_meeting
):
    meeting = make_meeting([make_agency("dpmd")])
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=admin_user, meeting=meeting, entries=[{"invitee_id": "abc", "attendance": "x"}]
        )


# --- 1. the Satgas is run by the Dinas/camat (Cap.MANAGE), never by a board or a mentor ---------

VILLAGE = "64.02.06.1001"


@pytest.fixture
def board(make_user, make_cooperative):
    make_cooperative(VILLAGE)
    return make_user(Role.PENGURUS, VILLAGE, username="pengurus")


def test_board_cannot_schedule_a_meeting_in_its_village_to_assign_followups(
    client, board, admin_user, make_agency
):
    from django.core.exceptions import PermissionDenied

    from kawal.followups.models import FollowUp

    dpmd = make_agency("dpmd")
    start = timezone.now() - datetime.timedelta(hours=1)
    # the service refuses a meeting, an agency or a decision in the board's own village
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(
            actor=board, region_code=VILLAGE, title="Rapat", starts_at=start, place="Balai desa"
        )
    with pytest.raises(PermissionDenied):
        services.agency_create(
            actor=board, code="x", name="X", short_name="X", kind="dinas", region_code=VILLAGE
        )
    meeting = services.meeting_schedule(
        actor=admin_user, region_code=VILLAGE, title="Rapat", starts_at=start, place="Balai desa"
    )[0]
    with pytest.raises(PermissionDenied):
        services.decision_record(
            actor=board,
            meeting=meeting,
            text="DPMD wajib ...",
            actions=[{"owner_agency": dpmd, "due_date": timezone.localdate()}],
        )
    # and the pages are closed to it
    client.force_login(board)
    assert client.get("/satgas/rapat/baru/").status_code == 403
    assert client.get("/satgas/instansi/baru/").status_code == 403
    assert client.get("/satgas/sk/baru/").status_code == 403
    response = client.post(
        f"/satgas/rapat/{meeting.pk}/",
        {
            "action": "decision",
            "d-text": "DPMD wajib",
            "t-TOTAL_FORMS": "1",
            "t-INITIAL_FORMS": "0",
            "t-0-owner_agency": dpmd.pk,
            "t-0-due_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 403
    assert not FollowUp.objects.exists()
    assert Meeting.objects.filter(created_by=board).count() == 0


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_two_decisions_recorded_at_once_get_consecutive_numbers(
    monkeypatch, admin_user, make_agency, make_meeting
):
    """A real race on PostgreSQL: both secretaries reach the numbering at the same moment."""
    import contextlib
    import threading

    from django.db import connection

    dpmd = make_agency("dpmd")
    meeting = make_meeting([dpmd])
    due = timezone.localdate() + datetime.timedelta(days=7)
    # given both writers held right after numbering until the other one arrives (or a
    # moment passes: with the lock the second one waits on the row, so the first goes on)
    barrier = threading.Barrier(2, timeout=3)
    original = Decision.full_clean

    def held(self, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Decision, "full_clean", held)
    failures = []

    def record(text):
        try:
            services.decision_record(
                actor=admin_user,
                meeting=Meeting.objects.get(pk=meeting.pk),
                text=text,
                actions=[{"owner_agency": dpmd, "due_date": due}],
            )
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(t,)) for t in ("Satu", "Dua")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then both are saved, numbered 1 and 2
    assert failures == []
    assert sorted(Decision.objects.values_list("number", flat=True)) == [1, 2]


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_two_attendance_saves_at_once_do_not_silently_overwrite(
    monkeypatch, admin_user, make_agency, make_meeting
):
    """A real race on PostgreSQL: two forms shown empty both set DPMD, at the same moment."""
    import contextlib
    import threading

    from django.db import connection

    from kawal.taskforce.models import Invitee

    dpmd = make_agency("dpmd")
    meeting = make_meeting([dpmd])
    row = meeting.invitees.get()
    barrier = threading.Barrier(2, timeout=3)
    original = Invitee.save

    def held(self, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Invitee, "save", held)
    outcomes = []

    def record(value):
        try:
            services.attendance_record(
                actor=admin_user,
                meeting=Meeting.objects.get(pk=meeting.pk),
                entries=[{"invitee_id": row.pk, "attendance": value, "shown": ("", "")}],
            )
            outcomes.append(("saved", value))
        except ValidationError:
            outcomes.append(("refused", value))
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(v,)) for v in ("hadir", "tidak_hadir")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then one is saved and the other refused as a conflict, never both "saved"
    assert sorted(kind for kind, _ in outcomes) == ["refused", "saved"]
    saved = next(value for kind, value in outcomes if kind == "saved")
    row.refresh_from_db()
    assert row.attendance == saved
