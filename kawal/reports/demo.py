"""Demo snapshots: the headline numbers of the regency and its kecamatan as they might have stood
1–12 weeks ago, so the dashboard's trends show something. Synthetic: scaled from today's numbers
(fewer KMP further along the phases, more left without contact and more follow-ups late, the
further back), marked `is_synthetic`."""

import datetime

from django.utils import timezone

from kawal.reports import selectors
from kawal.reports.models import Snapshot

WEEKS_BACK = (1, 2, 4, 8, 12)


WORSE_WHEN_HIGHER = {"tanpa_kontak_30", "tanpa_kontak_60", "tindak_lanjut_terlambat"}


def _past(key: str, n: int, factor: float, weeks: int) -> int:
    if key == "terbentuk":
        return n
    if key in WORSE_WHEN_HIGHER:  # more KMP were left alone, more follow-ups late, back then
        return int(n * (1 + weeks * 0.04))
    return int(n * factor)


def load(ctx) -> None:
    today = timezone.localdate()
    current = selectors.headlines_by_region(on=today)
    this_week = selectors.week_start(today)
    rows = []
    for weeks in WEEKS_BACK:
        # The further back, the fewer KMP had reached each phase (synthetic, deterministic).
        factor = max(0.0, 1 - weeks * 0.06)
        for code, numbers in current.items():
            home = ctx.regency_code
            if code and not (code.startswith(home) or home.startswith(code)):
                continue
            past = {
                key: (n if key == "terbentuk" else int(n * factor)) for key, n in numbers.items()
            }
            rows.append(
                Snapshot(
                    region_code=code,
                    taken_on=this_week - datetime.timedelta(weeks=weeks),
                    figures=past,
                    is_synthetic=True,
                )
            )
    Snapshot.objects.bulk_create(rows, ignore_conflicts=True)
