"""The synthetic demo data set: a context shared by every app's `demo.load(ctx)`."""

import datetime
import random
from dataclasses import dataclass, field

from faker import Faker

DEMO_SEED = 2025
DEMO_PASSWORD = "kopdes-demo-2025"
HOME_REGENCY = "64.02"  # Kabupaten Kutai Kartanegara


@dataclass
class DemoContext:
    """What the apps share while filling the demo: random sources, users, printed logins."""

    rng: random.Random = field(default_factory=lambda: random.Random(DEMO_SEED))
    faker: Faker = field(default_factory=lambda: _faker())
    regency_code: str = HOME_REGENCY
    users: dict = field(default_factory=dict)  # key -> User
    logins: list[tuple[str, str]] = field(default_factory=list)  # (username, description)

    @property
    def admin(self):
        return self.users["admin"]


def _faker() -> Faker:
    faker = Faker("id_ID")
    faker.seed_instance(DEMO_SEED)
    return faker


def demo_today() -> datetime.date:
    """The demo's one clock: "today" is the day the demo is loaded (time zone WITA).

    The formation of 2025 keeps its real dates; everything after it is placed relative to this
    day, so the demo never goes stale.
    """
    from django.utils import timezone

    return timezone.localdate()


def month_start(day: datetime.date, months_back: int = 0) -> datetime.date:
    """The first day of the month `months_back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)
