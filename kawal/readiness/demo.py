"""Demo readiness: the Dinas's default instrument, and assessments in every state.

The instrument is created here; the assessments are made by `load_assessments`, which the
potential demo calls once the BUMDes registry is filled (the synergy item reads it). About 45%
of the cooperatives are assessed (some two or three times, for a trend); the rest stay "not
assessed".
"""

import datetime

from kawal.core.demo import demo_today
from kawal.readiness import services
from kawal.readiness.models import SCALE, Item

FIRST_ROUND = datetime.date(2025, 8, 20)  # after the legal entities of June 2025


def assessment_dates(today: datetime.date) -> list[datetime.date]:
    """Three rounds: August 2025, then about five months and one month before today."""
    return [
        FIRST_ROUND,
        max(FIRST_ROUND, today - datetime.timedelta(days=150)),
        max(FIRST_ROUND, today - datetime.timedelta(days=30)),
    ]


def load(ctx) -> None:
    ctx.readiness_instrument = services.instrument_create_default(
        actor=ctx.admin, region_code=ctx.regency_code
    )


def _verifier(ctx):
    """A second Dinas officer: whoever assessed a cooperative never verifies it (four eyes)."""
    from kawal.accounts import services as account_services
    from kawal.core.demo import DEMO_PASSWORD
    from kawal.core.scope import Role

    user = ctx.users.get("dinas.verifikator")
    if user is None:
        user = account_services.user_create(
            actor=ctx.admin,
            username="dinas.verifikator",
            password=DEMO_PASSWORD,
            role=Role.ADMIN_DINAS,
            region_code=ctx.regency_code,
            first_name="Verifikator",
            last_name="Dinas",
            agency=ctx.admin.agency,
        )
        ctx.users["dinas.verifikator"] = user
        ctx.logins.append(("dinas.verifikator", "Admin Dinas (verifikator penilaian kesiapan)"))
    return user


def load_assessments(ctx) -> None:
    from kawal.cooperatives.models import Cooperative

    rng = ctx.rng
    admin = ctx.admin
    verifier = _verifier(ctx)
    coops = list(
        Cooperative.objects.filter(village__regency_code=ctx.regency_code)
        .select_related("village")
        .order_by("village_id")
    )
    comments = {
        0: "Belum ada bukti; pengurus belum memahami.",
        25: "Baru dimulai, dokumen belum lengkap.",
        50: "Sebagian sudah berjalan, perlu pendampingan.",
        75: "Sudah berjalan, bukti cukup.",
        100: "Lengkap dan sesuai.",
    }
    dates = assessment_dates(demo_today())
    for coop in coops:
        roll = rng.random()
        if roll < 0.55:
            continue  # not assessed
        strength = rng.random()
        rounds = rng.choice((1, 1, 2, 3))
        for n, when in enumerate(dates[-rounds:]):
            last = n == rounds - 1
            assessment = services.assessment_create(actor=admin, cooperative=coop, assessed_on=when)
            level = min(1.0, strength + 0.15 * n)
            for row in assessment.scores.select_related("item"):
                if row.item.method != Item.Method.MANUAL:
                    continue
                index = max(0, min(4, round(level * 4 + rng.uniform(-1, 1))))
                services.item_score_save(
                    actor=admin,
                    assessment=assessment,
                    item_score=row,
                    score=SCALE[index],
                    comment=comments[SCALE[index]],
                )
            if last and roll < 0.62:
                continue  # a draft in progress
            services.assessment_submit(actor=admin, assessment=assessment)
            if last and roll < 0.72:
                continue  # waiting for the Dinas
            services.assessment_verify(actor=verifier, assessment=assessment)
