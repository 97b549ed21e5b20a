"""Demo caseload: the demo pendamping escorts ten cooperatives of Tenggarong."""

import datetime

from kawal.mentoring import services


def load(ctx) -> None:
    tenggarong = sorted(c for c in ctx.cooperatives if c.startswith("64.02.06."))[:10]
    for code in tenggarong:
        services.assignment_start(
            actor=ctx.admin,
            mentor=ctx.users["pendamping"],
            cooperative=ctx.cooperatives[code],
            started_on=datetime.date(2025, 7, 1),
        )
