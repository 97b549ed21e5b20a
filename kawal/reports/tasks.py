"""Background tasks of the reports app (django-tasks; the worker is `manage.py db_worker`), the
same worker and queue that run the large imports (kawal.core.tasks)."""

from django_tasks import task


@task()
def make_report(report_id: int) -> str:
    """Make one requested periodic report (its numbers, PDF and XLSX), outside the request."""
    from kawal.reports.services import report_make

    return report_make(report_id)


@task()
def recount_figures(region_code: str, on: str) -> str:
    """Recount the kept dashboard figures of the country or a province (served stale meanwhile)."""
    import datetime

    from kawal.reports.services import figures_recount

    figures_recount(region_code=region_code, on=datetime.date.fromisoformat(on))
    return region_code or "ID"
