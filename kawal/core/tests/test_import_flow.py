"""The one import flow: the checked file waits under a token; large files go to the worker."""

import datetime

import pytest
from django.utils import timezone

from kawal.cooperatives.models import Cooperative
from kawal.cooperatives.tests.conftest import xlsx
from kawal.core import imports as flow
from kawal.core.models import ImportJob
from kawal.core.scope import Role

URL = "/koperasi/impor/"
ROWS = [("64.02.06.1001", "KMP Jahab"), ("64.02.06.1002", "KMP Loa Ipuh")]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "imports"


def check(client, rows=ROWS):
    upload = xlsx(("kode_desa", "name"), rows)
    return client.post(URL, {"jenis": "koperasi", "aksi": "cek", "berkas": upload})


def test_the_checked_file_is_imported_by_its_token_and_then_deleted(
    client, admin_user, kukar, media
):
    client.force_login(admin_user)
    response = check(client)
    job = response.context["job"]
    assert job.status == "checked" and not Cooperative.objects.exists()
    assert (media / f"{job.token}.upload").exists()
    assert f'value="{job.token}"' in response.content.decode()
    # when the user imports the checked file (no second upload)
    response = client.post(URL, {"jenis": "koperasi", "aksi": "impor", "token": job.token})
    # then every row is written and the kept file is gone
    assert response.status_code == 302
    assert Cooperative.objects.count() == 2
    assert not (media / f"{job.token}.upload").exists()
    assert ImportJob.objects.get(pk=job.pk).status == "done"


def test_another_users_token_is_not_found(client, admin_user, make_user, kukar, media):
    client.force_login(admin_user)
    token = check(client).context["job"].token
    client.force_login(make_user(Role.ADMIN_DINAS, "64.02", username="dinas-lain"))
    response = client.post(URL, {"jenis": "koperasi", "aksi": "impor", "token": token})
    assert response.status_code == 404
    assert client.get(f"/impor/status/{token}/").status_code == 404
    assert not Cooperative.objects.exists()


def test_expired_jobs_and_their_files_are_removed(client, admin_user, kukar, media):
    client.force_login(admin_user)
    job = check(client).context["job"]
    ImportJob.objects.filter(pk=job.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert flow.purge_expired() == 1
    assert not ImportJob.objects.exists()
    assert not (media / f"{job.token}.upload").exists()


def test_a_large_file_is_checked_and_imported_in_the_worker_with_progress(
    client, admin_user, kukar, media, settings, django_capture_on_commit_callbacks
):
    settings.KAWAL_IMPORT_WORKER_BYTES = 0  # every file counts as large
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = check(client)
        job = response.context["job"]
        # the page shows the progress, polls it, and its buttons are disabled meanwhile
        page = response.content.decode()
        assert job.in_worker and response.context["busy"]
        assert f"/impor/status/{job.token}/" in page and 'hx-trigger="every 2s"' in page
        assert "disabled" in page
    # the worker ran the dry run: the polled status shows the result and the import button
    status = client.get(f"/impor/status/{job.token}/", headers={"HX-Request": "true"})
    assert status.context["preview"].ok and "hx-trigger" not in status.content.decode()
    assert not Cooperative.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"jenis": "koperasi", "aksi": "impor", "token": job.token})
    assert Cooperative.objects.count() == 2
    status = client.get(f"/impor/status/{job.token}/", headers={"HX-Request": "true"})
    assert status["HX-Refresh"] == "true"


def test_the_worker_task_runs_a_queued_job_directly(client, admin_user, kukar, media, settings):
    from kawal.core.tasks import run_import_job

    settings.KAWAL_IMPORT_WORKER_BYTES = 0
    client.force_login(admin_user)
    response = check(client)  # enqueued on commit; the test transaction never commits
    job = response.context["job"]
    assert ImportJob.objects.get(pk=job.pk).status == "queued"
    assert run_import_job.func(job.pk) == "checked"
    assert ImportJob.objects.get(pk=job.pk).result["rows"] == 2
