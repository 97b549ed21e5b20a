import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kawal.regions import services
from kawal.regions.imports import RegionImportError


class Command(BaseCommand):
    help = (
        "Load Kemendagri regions: Kutai Kartanegara with polygons by default, the whole of "
        "Indonesia with --national, or any CSV (code,name,level,parent_code) with --csv. "
        "Idempotent; a file with a bad row writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--national", action="store_true", help="all 91,599 regions")
        parser.add_argument("--csv", type=Path, help="a region CSV of your own")
        parser.add_argument("--centroids", type=Path, help="a code,lat,lng CSV for --csv")

    def handle(self, *args, national=False, csv=None, centroids=None, **options):
        started = time.perf_counter()
        try:
            if csv:
                stats = services.regions_load(csv_path=csv, centroids_path=centroids)
            elif national:
                stats = services.load_national()
            else:
                stats = services.load_kukar()
        except RegionImportError as error:
            shown = "\n".join(error.errors[:50])
            more = len(error.errors) - 50
            raise CommandError(
                f"{len(error.errors)} error(s); nothing was written.\n{shown}"
                + (f"\n… and {more} more" if more > 0 else "")
            ) from None
        self.stdout.write(
            f"regions: {stats.created} created, {stats.updated} updated, "
            f"{stats.unchanged} unchanged, {stats.code_changes} code changes "
            f"({time.perf_counter() - started:.1f} s)"
        )
