import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.formation import services
from kawal.formation.models import StepRecord
from kawal.formation.tests.conftest import D, legal_entity


def update(actor, cooperative, step, status="selesai", **kw):
    return services.step_update(
        actor=actor, cooperative=cooperative, step=step, status=status, **kw
    )


def test_sk_ahu_without_akta_is_refused_with_a_clear_message(coop, admin_user):
    with pytest.raises(ValidationError) as error:
        update(admin_user, coop, "sk_ahu", completed_on=D(2025, 6, 20), document_number="AHU-1")
    assert error.value.code == "order"
    assert not StepRecord.objects.filter(step="sk_ahu").exists()


def test_nib_without_npwp_is_refused(coop, admin_user, notary):
    legal_entity(admin_user, coop, notary)
    with pytest.raises(ValidationError) as error:
        update(admin_user, coop, "nib", completed_on=D(2025, 8, 1), document_number="123")
    assert error.value.code == "order"
    update(admin_user, coop, "npwp", completed_on=D(2025, 7, 1), document_number="01.234")
    assert update(admin_user, coop, "nib", completed_on=D(2025, 8, 1), document_number="1").pk


def test_order_messages_are_indonesian(coop, admin_user):
    with pytest.raises(ValidationError) as error:
        update(admin_user, coop, "rapat_pendirian", completed_on=D(2025, 6, 1))
    assert "harus selesai lebih dulu" in error.value.messages[0]


def test_in_process_is_allowed_out_of_order(coop, admin_user):
    record = update(admin_user, coop, "sk_ahu", status="proses", started_on=D(2025, 6, 1))
    assert record.status == "proses" and record.moved_at is not None


def test_completion_before_the_required_step_is_refused(coop, admin_user, notary):
    legal_entity(admin_user, coop, notary)
    with pytest.raises(ValidationError) as error:
        update(admin_user, coop, "npwp", completed_on=D(2025, 6, 1), document_number="01")
    assert "completed_on" in error.value.message_dict


def test_number_notary_and_dates_are_required_for_a_done_step(coop, admin_user, notary):
    legal_entity(admin_user, coop, notary)
    with pytest.raises(ValidationError) as error:
        update(admin_user, coop, "npwp", completed_on=D(2025, 7, 1))
    assert "document_number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        update(admin_user, coop, "npwp", document_number="01")
    assert "completed_on" in error.value.message_dict
    future = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        update(admin_user, coop, "npwp", completed_on=future, document_number="01")
    assert "completed_on" in error.value.message_dict


def test_akta_needs_its_notary(make_cooperative, admin_user):
    cooperative = make_cooperative("64.02.06.1002")
    for step, day in (("musdesus", 1), ("rapat_pendirian", 2), ("reservasi_nama", 3)):
        update(admin_user, cooperative, step, completed_on=D(2025, 6, day))
    with pytest.raises(ValidationError) as error:
        update(admin_user, cooperative, "akta", completed_on=D(2025, 6, 5), document_number="9")
    assert "notary" in error.value.message_dict


def test_problem_needs_a_note(coop, admin_user):
    with pytest.raises(ValidationError) as error:
        update(admin_user, coop, "musdesus", status="bermasalah")
    assert "notes" in error.value.message_dict


def test_reopening_a_step_others_depend_on_is_refused(coop, admin_user, notary):
    legal_entity(admin_user, coop, notary)
    akta = StepRecord.objects.get(cooperative=coop, step="akta")
    with pytest.raises(ValidationError):
        update(admin_user, coop, "akta", status="proses", expected_version=akta.version)


def test_a_correction_is_allowed_and_audited_as_such(coop, admin_user, notary):
    sk = legal_entity(admin_user, coop, notary)
    corrected = update(
        admin_user,
        coop,
        "sk_ahu",
        completed_on=D(2025, 6, 21),
        document_number="AHU-0002.AH.01.29.TAHUN 2025",
        expected_version=sk.version,
    )
    event = AuditEvent.objects.filter(action="step_correct", object_id=str(sk.pk)).get()
    assert event.changes["document_number"][1] == "AHU-0002.AH.01.29.TAHUN 2025"
    assert corrected.version == sk.version + 1
    assert AuditEvent.objects.filter(action="step_update", object_id=str(sk.pk)).count() == 1


def test_concurrent_edits_of_one_step_refuse_the_stale_save(coop, admin_user, camat):
    first = update(admin_user, coop, "musdesus", status="proses", started_on=D(2025, 5, 1))
    seen_version = first.version  # two people open the form
    update(admin_user, coop, "musdesus", completed_on=D(2025, 5, 20), expected_version=seen_version)
    with pytest.raises(ValidationError) as error:
        update(
            camat, coop, "musdesus", status="bermasalah", notes="x", expected_version=seen_version
        )
    assert error.value.code == "stale"
    assert StepRecord.objects.get(cooperative=coop, step="musdesus").status == "selesai"
    # a form opened when no record existed is stale once someone created it
    with pytest.raises(ValidationError):
        update(camat, coop, "musdesus", status="proses", expected_version=0)


def test_step_of_another_scheme_is_refused(coop, admin_user):
    with pytest.raises(ValidationError):
        update(admin_user, coop, "penilaian_aset", status="proses")


def test_pengembangan_needs_the_certificate_before_the_amendment(make_cooperative, admin_user):
    cooperative = make_cooperative("64.02.06.1003", scheme="pengembangan")
    update(admin_user, cooperative, "musdesus", completed_on=D(2025, 5, 10))
    with pytest.raises(ValidationError):
        update(admin_user, cooperative, "rapat_perubahan", completed_on=D(2025, 5, 20))
    update(
        admin_user, cooperative, "sertifikat_nik", completed_on=D(2025, 5, 1), document_number="C1"
    )
    assert update(admin_user, cooperative, "rapat_perubahan", completed_on=D(2025, 5, 20)).pk


def test_revitalisasi_objection_window_lasts_30_days(make_cooperative, admin_user):
    cooperative = make_cooperative("64.02.06.1004", scheme="revitalisasi")
    update(admin_user, cooperative, "penilaian_aset", completed_on=D(2025, 5, 1))
    update(admin_user, cooperative, "rencana_aksi", completed_on=D(2025, 5, 5))
    update(admin_user, cooperative, "rapat_penggabungan", completed_on=D(2025, 5, 10))
    with pytest.raises(ValidationError) as error:
        update(admin_user, cooperative, "masa_keberatan", completed_on=D(2025, 6, 1))
    assert "completed_on" in error.value.message_dict
    assert update(admin_user, cooperative, "masa_keberatan", completed_on=D(2025, 6, 9)).pk


def test_scope_of_step_writes(coop, make_user, make_cooperative):
    other = make_cooperative("64.02.05.2006")
    camat = make_user(Role.CAMAT, "64.02.06")
    with pytest.raises(Http404):
        update(camat, other, "musdesus", status="proses")
    reader = make_user(Role.PIMPINAN, "64.02")
    with pytest.raises(PermissionDenied):
        update(reader, coop, "musdesus", status="proses")
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    assert update(pengurus, coop, "musdesus", status="proses").pk
