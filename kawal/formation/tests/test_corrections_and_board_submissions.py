"""Personal data in reminders, corrected dates against the order rules, and a board's completion
of a step going through the Dinas's verification."""

import datetime

import pytest
from django.utils import timezone

from kawal.cooperatives import services as coop_services
from kawal.cooperatives.models import Officer
from kawal.core.scope import Role
from kawal.formation import services

LINK = "wa.me/6281234567890"


@pytest.fixture
def overdue_reminder(admin_user, coop):
    """The ketua has a phone and the musdesus target has passed."""
    coop_services.officer_create(
        actor=admin_user,
        cooperative=coop,
        body=Officer.Body.PENGURUS,
        position=Officer.Position.KETUA,
        name="Ani",
        sex="P",
        phone="081234567890",
    )
    services.target_set(
        actor=admin_user,
        scheme="pendirian_baru",
        step="musdesus",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    services.reminders_build(on=timezone.localdate())


@pytest.mark.parametrize("role", [Role.PIMPINAN, Role.AUDITOR, Role.SATGAS])
def test_readers_get_no_whatsapp_link_nor_number(client, make_user, overdue_reminder, role):
    # given a reader of the whole regency
    reader = make_user(role, "64.02")
    client.force_login(reader)
    # when it opens the reminders and the home page
    page = client.get("/pembentukan/pengingat/")
    home = client.get("/")
    # then the reminder is listed but neither the link nor the number is shown
    assert [r.step for r in page.context["rows"]] == ["musdesus"]
    for body in (page.content.decode(), home.content.decode()):
        assert LINK not in body
        assert "81234567890" not in body


def test_people_who_act_get_the_whatsapp_link(client, camat, coop, overdue_reminder):
    client.force_login(camat)
    assert LINK in client.get("/pembentukan/pengingat/").content.decode()
    assert LINK in client.get("/").content.decode()


def test_the_board_is_never_sent_a_reminder_addressed_to_itself(
    client, make_user, coop, overdue_reminder
):
    # given the board of the cooperative whose ketua the reminder would message
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    client.force_login(pengurus)
    # when it opens the reminders and its home page
    page = client.get("/pembentukan/pengingat/").content.decode()
    home = client.get("/").content.decode()
    # then the reminder is there but no WhatsApp link to its own ketua
    assert LINK not in page and LINK not in home
    # and its home page offers its next step as one button
    assert "Langkah berikutnya" in home


# --- 4. Correcting an earlier step's date against the completed steps after it -------------


def _done(actor, cooperative, step, on, **kw):
    from kawal.formation.models import StepRecord

    record = StepRecord.objects.filter(cooperative=cooperative, step=step).first()
    return services.step_update(
        actor=actor,
        cooperative=cooperative,
        step=step,
        status="selesai",
        completed_on=on,
        expected_version=record.version if record else 0,
        **kw,
    )


def test_correcting_a_date_past_a_completed_dependent_is_refused(admin_user, coop, notary):
    from django.core.exceptions import ValidationError

    from kawal.formation.models import StepRecord
    from kawal.formation.tests.conftest import D, legal_entity

    # given a cooperative with its SK AHU on 20/06 after the akta of 10/06
    legal_entity(admin_user, coop, notary)
    # when the akta's date is corrected to after the SK AHU
    with pytest.raises(ValidationError) as caught:
        _done(admin_user, coop, "akta", D(2025, 7, 1), document_number="12", notary=notary)
    # then it is refused and names the later step
    assert "SK" in caught.value.message_dict["completed_on"][0]
    assert StepRecord.objects.get(cooperative=coop, step="akta").completed_on == D(2025, 6, 10)
    # while a correction that stays before it is accepted
    _done(admin_user, coop, "akta", D(2025, 6, 20), document_number="12", notary=notary)


def test_correction_keeps_the_minimum_window(admin_user, make_cooperative):
    from django.core.exceptions import ValidationError

    from kawal.formation.tests.conftest import D

    # given a revitalisation whose 30-day objection window closed 30 days after the meeting
    coop = make_cooperative("64.02.06.1002", scheme="revitalisasi")
    for step, on in (
        ("penilaian_aset", D(2025, 4, 1)),
        ("rencana_aksi", D(2025, 4, 10)),
        ("rapat_penggabungan", D(2025, 5, 1)),
        ("masa_keberatan", D(2025, 5, 31)),
    ):
        _done(admin_user, coop, step, on)
    # when the meeting's date is moved later, shortening the window below 30 days
    with pytest.raises(ValidationError) as caught:
        _done(admin_user, coop, "rapat_penggabungan", D(2025, 5, 5))
    # then it is refused with the window's rule
    assert "30" in caught.value.message_dict["completed_on"][0]
    _done(admin_user, coop, "rapat_penggabungan", D(2025, 4, 28), started_on=D(2025, 4, 28))


def test_step_import_refuses_a_date_past_a_dependent_but_takes_a_whole_shift(
    client, admin_user, coop, notary
):
    from kawal.cooperatives.tests.conftest import xlsx
    from kawal.formation.models import StepRecord
    from kawal.formation.tests.conftest import D, legal_entity

    legal_entity(admin_user, coop, notary)
    client.force_login(admin_user)
    header = ("kode_desa", "akta_number", "akta_date", "npak_name")
    bad = xlsx(header, [(coop.village_id, "12", "2025-07-01", notary.name)])
    response = client.post(
        "/pembentukan/impor/", {"jenis": "tahapan", "aksi": "impor", "berkas": bad}
    )
    assert response.status_code == 200
    assert [r.line for r in response.context["preview"].error_rows] == [2]
    assert StepRecord.objects.get(cooperative=coop, step="akta").completed_on == D(2025, 6, 10)
    # a row moving both the akta and the SK AHU later is consistent and is taken
    header = ("kode_desa", "akta_number", "akta_date", "npak_name", "sk_number", "sk_date")
    good = xlsx(header, [(coop.village_id, "12", "2025-07-01", notary.name, "AHU-2", "2025-07-05")])
    response = client.post(
        "/pembentukan/impor/", {"jenis": "tahapan", "aksi": "impor", "berkas": good}
    )
    assert response.status_code == 302
    records = {r.step: r for r in StepRecord.objects.filter(cooperative=coop)}
    assert records["akta"].completed_on == D(2025, 7, 1)
    assert records["sk_ahu"].completed_on == D(2025, 7, 5)


# --- 8. A board's completion goes through the Dinas -----------------------------------------


def _pdf(name="bukti.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kawal.formation.tests.conftest import PDF

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _chain_to_akta(actor, coop, notary):
    from kawal.formation.tests.conftest import D

    _done(actor, coop, "musdesus", D(2025, 5, 20))
    _done(actor, coop, "rapat_pendirian", D(2025, 5, 28))
    _done(actor, coop, "reservasi_nama", D(2025, 6, 2))
    _done(actor, coop, "akta", D(2025, 6, 10), document_number="12", notary=notary)


def test_board_cannot_self_certify_the_sk_ahu(make_user, admin_user, coop, notary):
    from django.core.exceptions import ValidationError

    from kawal.formation import selectors
    from kawal.formation.models import StepRecord
    from kawal.formation.tests.conftest import D

    # given a cooperative with its deed, and its board
    _chain_to_akta(admin_user, coop, notary)
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    # when the board marks the SK AHU done itself with any number
    with pytest.raises(ValidationError) as caught:
        _done(pengurus, coop, "sk_ahu", D(2025, 6, 20), document_number="AHU-PALSU")
    # then it is refused and the legal-entity summary does not count it
    assert caught.value.message_dict["status"] == [str(services.SUBMIT_INSTEAD)]
    assert not StepRecord.objects.filter(cooperative=coop, step="sk_ahu").exists()
    assert selectors.legal_entity_summary(user=admin_user)["legal"] == 0


def test_board_submission_is_completed_by_the_dinas_verification(
    make_user, admin_user, coop, notary, settings, tmp_path
):
    from kawal.core.models import AuditEvent
    from kawal.formation import selectors
    from kawal.formation.models import StepDocument, StepRecord
    from kawal.formation.tests.conftest import D

    settings.MEDIA_ROOT = tmp_path
    _chain_to_akta(admin_user, coop, notary)
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    # when the board submits the SK AHU's completion with its document
    document = services.step_submit_completion(
        actor=pengurus,
        cooperative=coop,
        step="sk_ahu",
        completed_on=D(2025, 6, 20),
        document_number="AHU-0001",
        file=_pdf(),
    )
    # then the step is in process and the document waits for the Dinas
    record = StepRecord.objects.get(cooperative=coop, step="sk_ahu")
    assert record.status == "proses" and record.completed_on is None
    assert document.status == StepDocument.Status.SUBMITTED and document.completes_step
    assert AuditEvent.objects.filter(action="step_submit", actor=pengurus).exists()
    assert selectors.legal_entity_summary(user=admin_user)["legal"] == 0
    # when the Dinas verifies it, the step is completed with the submitted values
    services.document_verify(actor=admin_user, document=document, approve=True)
    record.refresh_from_db()
    assert (record.status, record.completed_on, record.document_number) == (
        "selesai",
        D(2025, 6, 20),
        "AHU-0001",
    )
    assert AuditEvent.objects.filter(
        action="step_update", actor=admin_user, object_id=str(record.pk)
    ).exists()
    assert selectors.legal_entity_summary(user=admin_user)["legal"] == 1


def test_rejected_submission_keeps_the_step_open(make_user, admin_user, coop, settings, tmp_path):
    from kawal.formation.models import StepDocument, StepRecord
    from kawal.formation.tests.conftest import D

    settings.MEDIA_ROOT = tmp_path
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    document = services.step_submit_completion(
        actor=pengurus, cooperative=coop, step="musdesus", completed_on=D(2025, 5, 20), file=_pdf()
    )
    # a second submission while the first waits is refused
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.step_submit_completion(
            actor=pengurus,
            cooperative=coop,
            step="musdesus",
            completed_on=D(2025, 5, 20),
            file=_pdf(),
        )
    services.document_verify(
        actor=admin_user,
        document=document,
        approve=False,
        reason="Berita acara tidak ditandatangani",
    )
    record = StepRecord.objects.get(cooperative=coop, step="musdesus")
    assert record.status == "proses"
    document.refresh_from_db()
    assert document.status == StepDocument.Status.REJECTED and "ditandatangani" in document.reason


def test_submission_checks_the_order_rules_first(make_user, coop, settings, tmp_path):
    from django.core.exceptions import ValidationError

    from kawal.formation.models import StepDocument
    from kawal.formation.tests.conftest import D

    settings.MEDIA_ROOT = tmp_path
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    with pytest.raises(ValidationError):
        services.step_submit_completion(
            actor=pengurus,
            cooperative=coop,
            step="sk_ahu",
            completed_on=D(2025, 6, 20),
            document_number="AHU-1",
            file=_pdf(),
        )
    assert not StepDocument.objects.exists()


def test_camat_completes_directly(camat, coop):
    from kawal.formation.tests.conftest import D

    record = _done(camat, coop, "musdesus", D(2025, 5, 20))
    assert record.status == "selesai"


def test_board_submits_through_the_step_page(
    client, make_user, admin_user, coop, settings, tmp_path
):
    from kawal.formation.models import StepDocument, StepRecord

    settings.MEDIA_ROOT = tmp_path
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    client.force_login(pengurus)
    url = f"/pembentukan/koperasi/{coop.pk}/tahap/musdesus/"
    page = client.get(url)
    assert "file" in page.context["form"].fields
    data = {"status": "selesai", "completed_on": "2025-05-20", "version": 0}
    missing = client.post(url, data)
    assert missing.status_code == 200 and missing.context["form"].errors["file"]
    response = client.post(url, {**data, "file": _pdf()})
    assert response.status_code == 302
    assert StepRecord.objects.get(cooperative=coop, step="musdesus").status == "proses"
    document = StepDocument.objects.get(completes_step=True)
    client.force_login(admin_user)
    assert "file" not in client.get(url).context["form"].fields
    client.post(f"/pembentukan/dokumen/{document.pk}/periksa/", {"decision": "terima"})
    assert StepRecord.objects.get(cooperative=coop, step="musdesus").status == "selesai"
