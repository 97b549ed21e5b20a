from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kawal.core.demo import DEMO_PASSWORD, DemoContext


class Command(BaseCommand):
    help = (
        "Fill the database with the synthetic demo data set (deterministic). Each app adds its "
        "records through its own `demo.load(ctx)`, in the order of INSTALLED_APPS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when demo users already exist"
        )

    def handle(self, *args, if_empty=False, **options):
        from kawal.accounts.models import User
        from kawal.regions.models import Region

        if not Region.objects.filter(code=DemoContext.regency_code).exists():
            raise CommandError("Load the regions first: manage.py load_regions")
        if User.objects.filter(username="dinas").exists():
            if if_empty:
                self.stdout.write("demo data already present")
                self._print_logins(DemoContext(), from_db=True)
                return
            raise CommandError("Demo data already present (use a fresh database).")
        ctx = DemoContext()
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("kawal."):
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                if hasattr(module, "load"):
                    module.load(ctx)
                    self.stdout.write(f"demo: {config.label} loaded")
        self._print_logins(ctx)

    def _print_logins(self, ctx, from_db=False):
        if from_db:
            ctx.logins = _logins_in_database()
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for username, description in ctx.logins:
            self.stdout.write(f"  {username:<22} {description}")


def _logins_in_database() -> list[tuple[str, str]]:
    """Every demo account already in the database, described by its grants."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True).prefetch_related("grants__region")
    logins = []
    for user in users.order_by("username"):
        grants = [
            f"{g.get_role_display()} · {g.region.name if g.region_id else 'nasional'}"
            for g in user.grants.all()
        ]
        if grants:
            logins.append((user.username, "; ".join(grants)))
    return logins
