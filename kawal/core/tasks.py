"""Background tasks of core (django-tasks; the worker is `manage.py db_worker`)."""

from django_tasks import task


@task()
def run_import_job(job_id: int) -> str:
    """A large import's dry run or commit, outside the web request (no gunicorn timeout)."""
    from kawal.core.imports import job_run
    from kawal.core.models import ImportJob

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "gone"
    job_run(job)
    return job.status
