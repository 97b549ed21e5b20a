"""Jobs of the daily task (`manage.py reminders_daily`), registered by each app in its
AppConfig.ready(), like menus in core.nav: `register_daily_job(name, fn)` with `fn(on=date)`
returning a dict of counts. The task runs them after its own reminder list."""

from collections.abc import Callable

_jobs: dict[str, Callable] = {}


def register_daily_job(name: str, job: Callable) -> None:
    _jobs[name] = job


def run_daily_jobs(*, on) -> dict:
    return {name: job(on=on) for name, job in sorted(_jobs.items())}
