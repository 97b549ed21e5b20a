"""Background tasks of the reports app (django-tasks; the worker is `manage.py db_worker`), the
same worker and queue that run the large imports (kawal.core.tasks)."""

from django_tasks import task


@task()
def make_report(report_id: int) -> str:
    """Make one requested periodic report (its numbers, PDF and XLSX), outside the request."""
    from kawal.reports.services import report_make

    return report_make(report_id)
