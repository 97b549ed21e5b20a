import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kawal.reports import services
from kawal.reports.models import IssuedReport


class Command(BaseCommand):
    help = (
        "Issue the last week's (or month's) Laporan Perkembangan KDKMP of every regency holding a "
        "KMP and of each of its kecamatan. Schedule it on Monday morning WITA, e.g. from cron: "
        "`0 7 * * 1 manage.py reports_issue` (TZ=Asia/Makassar). A report already issued for the "
        "period is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=IssuedReport.Kind.values, default="mingguan")
        parser.add_argument("--on", help="the day of the run (YYYY-MM-DD; default today)")

    def handle(self, *args, kind="mingguan", on=None, **options):
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError("--on: a date such as 2026-11-30") from None
        for report in services.weekly_issue(kind=kind, on=day):
            self.stdout.write(
                f"{report.region_id} {report.period_start}–{report.period_end}: "
                f"{report.get_status_display()}"
            )
