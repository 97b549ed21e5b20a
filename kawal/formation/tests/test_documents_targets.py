import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from kawal.cooperatives.models import Cooperative
from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.formation import selectors, services
from kawal.formation.models import StepDocument, StepRecord, StepTarget
from kawal.formation.tests.conftest import PDF, D, legal_entity


@pytest.fixture
def pengurus(make_user, coop):
    return make_user(Role.PENGURUS, coop.village_id, username="ketua-jahab")


def upload(actor, cooperative, name="ba.pdf", content=PDF, step="musdesus"):
    return services.document_upload(
        actor=actor,
        cooperative=cooperative,
        step=step,
        kind="berita acara",
        file=SimpleUploadedFile(name, content),
    )


def test_pengurus_upload_waits_for_the_dinas(coop, pengurus, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = upload(pengurus, coop)
    assert document.status == StepDocument.Status.SUBMITTED
    assert AuditEvent.objects.filter(action="document_upload", object_id=str(document.pk)).exists()
    assert list(selectors.documents_to_verify(user=admin_user)) == [document]
    with pytest.raises(PermissionDenied):
        services.document_verify(actor=pengurus, document=document, approve=True)
    with pytest.raises(ValidationError):
        services.document_verify(actor=admin_user, document=document, approve=False)
    rejected = services.document_verify(
        actor=admin_user, document=document, approve=False, reason="Tanda tangan BPD tidak ada"
    )
    assert rejected.status == StepDocument.Status.REJECTED and rejected.verified_by == admin_user
    assert AuditEvent.objects.filter(action="document_reject").exists()
    with pytest.raises(ValidationError):  # decided once
        services.document_verify(actor=admin_user, document=rejected, approve=True)


def test_dinas_upload_is_verified_at_once(coop, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert upload(admin_user, coop).status == StepDocument.Status.VERIFIED


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("akta.pdf", b"MZ\x90\x00 this is a windows program"),  # an executable named .pdf
        ("akta.pdf", b"just some text"),
        ("akta.exe", b"MZ\x90\x00"),
        ("akta.pdf", b""),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(
    coop, admin_user, name, content, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as error:
        upload(admin_user, coop, name=name, content=content)
    assert "file" in error.value.message_dict
    assert not StepDocument.objects.exists()


def test_oversized_upload_is_refused(coop, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KAWAL_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError):
        upload(admin_user, coop, content=PDF + b"0" * 2048)


def test_document_file_is_served_only_inside_the_scope(
    client, coop, admin_user, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = upload(admin_user, coop)
    client.force_login(make_user(Role.CAMAT, "64.02.05"))
    assert client.get(f"/pembentukan/dokumen/{document.pk}/berkas/").status_code == 404
    client.force_login(admin_user)
    response = client.get(f"/pembentukan/dokumen/{document.pk}/berkas/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_targets_are_set_by_the_dinas_only(admin_user, camat):
    target = services.target_set(
        actor=admin_user, scheme="pendirian_baru", step="sk_ahu", due_date=D(2025, 6, 30)
    )
    assert AuditEvent.objects.filter(action="target_set", object_id=str(target.pk)).exists()
    with pytest.raises((PermissionDenied, Http404)):
        services.target_set(
            actor=camat, scheme="pendirian_baru", step="sk_ahu", due_date=D(2025, 7, 30)
        )
    with pytest.raises(ValidationError):
        services.target_set(actor=admin_user, scheme="pendirian_baru", step="x", due_date=None)
    services.target_set(actor=admin_user, scheme="pendirian_baru", step="sk_ahu", due_date=None)
    assert not StepTarget.objects.exists()


def test_overdue_is_computed_from_targets_and_records(coop, make_cooperative, admin_user, notary):
    done = make_cooperative("64.02.06.1002")
    legal_entity(admin_user, done, notary)
    services.target_set(
        actor=admin_user, scheme="pendirian_baru", step="sk_ahu", due_date=D(2025, 6, 30)
    )
    overdue = set(Cooperative.objects.filter(selectors.overdue_q()).values_list("pk", flat=True))
    assert overdue == {coop.pk}
    # before the target nothing is overdue
    early = Cooperative.objects.filter(selectors.overdue_q(on=D(2025, 6, 1)))
    assert not early.exists()


def test_stuck_is_no_movement_for_n_days(coop, make_cooperative, admin_user, settings):
    settings.KAWAL_STUCK_DAYS = 14
    fresh = make_cooperative("64.02.06.1002")
    old = services.step_update(actor=admin_user, cooperative=coop, step="musdesus", status="proses")
    services.step_update(actor=admin_user, cooperative=fresh, step="musdesus", status="proses")
    older = make_cooperative("64.02.06.1003")
    oldest = services.step_update(
        actor=admin_user,
        cooperative=older,
        step="musdesus",
        status="bermasalah",
        notes="BPD belum rapat",
    )
    now = timezone.now()
    StepRecord.objects.filter(pk=old.pk).update(moved_at=now - datetime.timedelta(days=20))
    StepRecord.objects.filter(pk=oldest.pk).update(moved_at=now - datetime.timedelta(days=90))
    rows = selectors.with_days_stuck(list(selectors.stuck_list(user=admin_user)))
    assert [(r.cooperative_id, r.days_stuck) for r in rows] == [(older.pk, 90), (coop.pk, 20)]
    stuck = set(Cooperative.objects.filter(selectors.stuck_q()).values_list("pk", flat=True))
    assert stuck == {coop.pk, older.pk}
    settings.KAWAL_STUCK_DAYS = 30
    assert [r.cooperative_id for r in selectors.stuck_list(user=admin_user)] == [older.pk]


def test_stuck_list_has_one_row_per_cooperative_like_the_home_card(
    coop, make_cooperative, admin_user, client, settings
):
    # given one cooperative with two stuck steps and another with one
    settings.KAWAL_STUCK_DAYS = 14
    other = make_cooperative("64.02.06.1002")
    long_ago = timezone.now() - datetime.timedelta(days=40)
    for cooperative, step in ((coop, "musdesus"), (coop, "rapat_pendirian"), (other, "musdesus")):
        record = services.step_update(
            actor=admin_user, cooperative=cooperative, step=step, status="proses"
        )
        StepRecord.objects.filter(pk=record.pk).update(moved_at=long_ago)
    # then the list has as many rows as the card counts, and names the extra step
    rows = list(selectors.stuck_list(user=admin_user))
    assert len(rows) == selectors.legal_entity_summary(user=admin_user)["stuck"] == 2
    assert {r.cooperative_id: r.stuck_steps for r in rows} == {coop.pk: 2, other.pk: 1}
    client.force_login(admin_user)
    body = client.get("/pembentukan/macet/").content.decode()
    assert "2 koperasi" in body and "dan 1 tahap lainnya" in body
