from django.core.management.base import BaseCommand
from django.utils import timezone

from kawal.core.daily import run_daily_jobs
from kawal.formation import services
from kawal.formation.tasks import daily_reminders


class Command(BaseCommand):
    help = (
        "Queue today's reminder list for the worker (`manage.py db_worker`), or build it at once "
        "with --now. Run it once a day, e.g. from cron: `0 6 * * * manage.py reminders_daily`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="build now, without the worker")

    def handle(self, *args, now=False, **options):
        if now:
            on = timezone.localdate()
            result = services.reminders_build(on=on)
            self.stdout.write(
                f"{result['run_on']}: {result['reminders']} reminders "
                f"({result['overdue']} overdue) for {result['cooperatives']} cooperatives"
            )
            for name, counts in run_daily_jobs(on=on).items():
                self.stdout.write(f"{name}: {counts}")
        else:
            result = daily_reminders.enqueue()
            self.stdout.write(f"queued task {result.id}")
