"""Regions are real data, not demo: make sure Kukar is loaded before the demo apps run."""

from kawal.regions.models import Region
from kawal.regions.services import load_kukar


def load(ctx) -> None:
    if not Region.objects.filter(regency_code=ctx.regency_code, level=4).exists():
        load_kukar()
