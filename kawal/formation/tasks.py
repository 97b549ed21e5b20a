"""Background tasks (django-tasks; the worker is `manage.py db_worker`)."""

from django.utils import timezone
from django_tasks import task

from kawal.formation import services


@task()
def daily_reminders() -> dict:
    """The daily reminder list: steps passing their target within 7 days, or overdue."""
    return services.reminders_build(on=timezone.localdate())
