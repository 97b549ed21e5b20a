import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kawal.reports import services


class Command(BaseCommand):
    help = (
        "Write this week's snapshot of the headline numbers of every region holding a KMP (the "
        "daily task does it on its first run of the week; this runs it by hand). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="the day (YYYY-MM-DD; default today, WITA)")

    def handle(self, *args, on=None, **options):
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError("--on: a date such as 2026-11-30") from None
        result = services.snapshot_take(on=day)
        self.stdout.write(f"week of {result['week']}: {result['written']} snapshots written")
