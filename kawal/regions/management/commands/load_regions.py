import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kawal.regions import services
from kawal.regions.imports import RegionImportError


class Command(BaseCommand):
    help = (
        "Load Kemendagri regions: Kutai Kartanegara with polygons by default, the whole of "
        "Indonesia with --national, or any CSV (code,name,level,parent_code) with --csv. "
        "Idempotent; a file with a bad row writes nothing. A newer official file re-codes "
        "(moves) and retires regions: the summary (created, renamed, moved, retired) is shown "
        "before anything is written, and applied after confirmation (or --yes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--national", action="store_true", help="all 91,599 regions")
        parser.add_argument("--csv", type=Path, help="a region CSV of your own")
        parser.add_argument("--centroids", type=Path, help="a code,lat,lng CSV for --csv")
        parser.add_argument(
            "--code-changes",
            type=Path,
            help="old_code,old_name,old_kecamatan_code,new_code CSV of re-codings (with --csv)",
        )
        parser.add_argument(
            "--complete",
            action="store_true",
            help="--csv is the whole official list below its root: missing codes are moved "
            "or retired (the built-in files always are)",
        )
        parser.add_argument("--dry-run", action="store_true", help="show the summary only")
        parser.add_argument("--yes", action="store_true", help="apply without asking")

    def _load(self, options, dry_run: bool):
        if options["csv"]:
            return services.regions_load(
                csv_path=options["csv"],
                centroids_path=options["centroids"],
                code_changes_path=options["code_changes"],
                complete=options["complete"],
                dry_run=dry_run,
            )
        if options["national"]:
            return services.load_national(dry_run=dry_run)
        return services.load_kukar(dry_run=dry_run)

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            preview = self._load(options, dry_run=True)
            self.stdout.write(("dry run — " if options["dry_run"] else "") + preview.summary())
            if options["dry_run"]:
                return
            risky = preview.moved or preview.retired
            if risky and not options["yes"]:
                if not sys.stdin.isatty():
                    raise CommandError(
                        "Regions would be moved or retired: run again with --yes to apply."
                    )
                if input("Apply? [y/N] ").strip().lower() not in ("y", "ya", "yes"):
                    self.stdout.write("Nothing was written.")
                    return
            stats = self._load(options, dry_run=False)
        except RegionImportError as error:
            shown = "\n".join(error.errors[:50])
            more = len(error.errors) - 50
            raise CommandError(
                f"{len(error.errors)} error(s); nothing was written.\n{shown}"
                + (f"\n… and {more} more" if more > 0 else "")
            ) from None
        self.stdout.write(
            f"regions: {stats.created} created, {stats.updated} updated, "
            f"{stats.unchanged} unchanged, {len(stats.moved)} moved, {len(stats.retired)} "
            f"retired, {stats.code_changes} code changes "
            f"({time.perf_counter() - started:.1f} s)"
        )
