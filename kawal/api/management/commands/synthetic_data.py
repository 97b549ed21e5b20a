import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with a SYNTHETIC national data set for load tests and benchmarks "
        "(not the demo, not real data): one KMP per village for up to --kmp villages of the "
        "loaded region file, with formation steps, outlets, partnerships, loans, mentors, "
        "visits, follow-ups, readiness assessments, --months of business reports and statuses. "
        "Rows are written in bulk (COPY on PostgreSQL), not through the services. Load the "
        "regions first: `manage.py load_regions --national`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kmp", type=int, default=80_000, help="number of KMP (80,000)")
        parser.add_argument("--months", type=int, default=18, help="months of history (18)")
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument(
            "--regency", help="only villages of this regency code (e.g. 64.02), for a small run"
        )
        parser.add_argument(
            "--no-outlet-lines", action="store_true", help="skip per-outlet report lines"
        )

    def handle(self, *args, **options):
        from kawal.api import synthetic
        from kawal.cooperatives.models import Cooperative
        from kawal.regions.models import Region

        if Cooperative.objects.exists():
            raise CommandError(
                "The database already has cooperatives; synthetic data goes into an empty one."
            )
        villages = Region.objects.filter(level=4, is_active=True)
        if options["regency"]:
            villages = villages.filter(regency_code=options["regency"])
        codes = list(villages.order_by("code").values_list("code", flat=True))
        if not codes:
            raise CommandError("No villages: load the regions first (load_regions --national).")
        codes = synthetic.spread(codes, options["kmp"])
        started = time.perf_counter()
        with transaction.atomic():
            world = synthetic.generate(
                codes,
                months=options["months"],
                seed=options["seed"],
                with_outlet_lines=not options["no_outlet_lines"],
            )
        for name, seconds in world.seconds.items():
            count = world.counts.get(name)
            self.stdout.write(
                f"  {name:<20} {count if count is not None else '':>10} {seconds:7.1f} s"
            )
        self.stdout.write(
            f"synthetic data: {len(codes)} KMP × {options['months']} months "
            f"in {time.perf_counter() - started:.0f} s"
        )
