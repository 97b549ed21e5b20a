"""Background tasks (django-tasks; the worker is `manage.py db_worker`)."""

from django.utils import timezone
from django_tasks import task

from kawal.core.daily import run_daily_jobs
from kawal.formation import services


@task()
def daily_reminders() -> dict:
    """The daily reminder list: steps passing their target within 7 days, or overdue; then the
    daily jobs other apps registered (core.daily)."""
    on = timezone.localdate()
    result = services.reminders_build(on=on)
    result["jobs"] = run_daily_jobs(on=on)
    return result
