"""Jobs of the daily task (`manage.py reminders_daily` and its background task): apps contribute
a `DailyJob` to the `daily_job` extension point from their contributions.py; the task runs them
after its own reminder list, in name order."""

from collections.abc import Callable
from dataclasses import dataclass

from kawal.core.extensions import contributions, declare


@dataclass(frozen=True)
class DailyJob:
    name: str
    run: Callable  # (on=date) -> dict of counts; runs as the system, without an actor


declare("daily_job", key=lambda job: job.name, order=lambda job: job.name)


def run_daily_jobs(*, on) -> dict:
    return {job.name: job.run(on=on) for job in contributions("daily_job")}
