"""The synthetic demo data set: a context shared by every app's `demo.load(ctx)`."""

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
