"""Demo business data: 18 months of monthly reports (up to the current month, relative to today)
for the operating demo KMP (those whose outlets are open), with a story each: some grow, some
stall and go dormant, one runs flat, one started late; the KMP with no open outlet never start.
RAT for fiscal year 2025: most on time, one late, one not held. All figures are synthetic.
"""

import datetime

from django.utils import timezone

from kawal.business import rules, services
from kawal.business.models import BusinessReport, ReportSource
from kawal.cooperatives import selectors as registry
from kawal.mentoring.selectors import active_mentors

MONTHS = 18
# Story per operating KMP, in village-code order: growth per month (per mille), months since the
# report window started before the first report, and the month (from the end) reporting stops.
STORIES = [
    ("growing", 60, 0, None),
    ("growing", 45, 2, None),
    ("stalling", 10, 0, 3),
    ("flat", 0, 0, None),
    ("growing", 80, 6, None),
    ("stalling", -30, 1, 4),
    ("late_start", 30, 10, None),
]
BASE_REVENUE = {"sembako": 38_000_000, "apotek": 9_000_000, "simpan_pinjam": 4_000_000}


def _verifier_for(ctx, coop, mentors, submitter):
    for mentor in mentors.get(coop.pk, []):
        if mentor.pk != submitter.pk:
            return mentor
    return ctx.users.get("dinas.verifikator") or ctx.users.get("camat.tenggarong")


def load(ctx) -> None:
    from kawal.cooperatives.models import Cooperative

    rng = ctx.rng
    today = timezone.localdate()
    current = rules.first_of_month(today)
    first = rules.add_months(current, -(MONTHS - 1))
    operating = list(
        Cooperative.objects.filter(registry.open_outlet_count_q("outlets"))
        .distinct()
        .select_related("village")
        .order_by("village_id")
    )
    outlets = registry.open_outlets(cooperative_ids=[c.pk for c in operating])
    mentors = active_mentors(cooperative_ids=[c.pk for c in operating])
    pengurus = ctx.users.get("pengurus.tanahdatar")
    households = {c.pk: rng.randrange(400, 1600) for c in operating}
    for index, coop in enumerate(operating):
        story, growth, start, stop = STORIES[index % len(STORIES)]
        submitter = (
            pengurus if pengurus is not None and coop.village_id == "64.02.05.2006" else ctx.admin
        )
        verifier = _verifier_for(ctx, coop, mentors, submitter)
        members = coop.member_count or 40
        savings = members * 100_000
        scale = 1000
        for m in range(start, MONTHS):
            month = rules.add_months(first, m)
            if stop is not None and m >= MONTHS - stop:
                break  # the stalled KMP stop reporting: vakum after two months
            scale = max(scale * (1000 + growth + rng.randrange(-15, 16)) // 1000, 200)
            joined = max(0, growth // 10 + rng.randrange(0, 4))
            left = rng.randrange(0, 2)
            members = members + joined - left
            savings += joined * 100_000 + members * 20_000
            lines = []
            for outlet in outlets[coop.pk]:
                revenue = BASE_REVENUE.get(outlet.outlet_type, 5_000_000) * scale // 1000
                cogs = revenue * 78 // 100
                cost = revenue * 12 // 100
                lines.append(
                    {
                        "outlet_id": outlet.pk,
                        "label": str(outlet),
                        "revenue": revenue,
                        "cogs": cogs,
                        "operating_cost": cost,
                        "profit": None,
                        "transactions": revenue // 45_000,
                        "stock_value": revenue * 2 // 3,
                    }
                )
            if story == "flat":
                for line in lines:
                    line["revenue"] = line["cogs"] * 100 // 78
            figures = {
                "members_joined": joined,
                "members_left": left,
                "members_total": members,
                "households": households[coop.pk],
                "savings_pokok": joined * 100_000,
                "savings_wajib": members * 20_000,
                "savings_sukarela": savings // 10,
                "total_assets": savings + sum(x["stock_value"] for x in lines) + 150_000_000,
                "liabilities": 60_000_000,
                "loan_balance": members * 250_000,
                "loan_arrears": members * 250_000 * rng.choice([2, 4, 8, 12]) // 100,
            }
            report = services.report_submit(
                actor=submitter,
                cooperative=coop,
                month=month,
                figures=figures,
                lines=lines,
                source=ReportSource.FORM if m % 3 else ReportSource.BOOK,
                today=today,
                refresh=False,
            )
            late = rng.random() < 0.15
            submitted = datetime.datetime.combine(
                rules.report_due(month)
                + datetime.timedelta(days=rng.randrange(2, 9) if late else -rng.randrange(1, 8)),
                datetime.time(9, 30),
                tzinfo=datetime.UTC,
            )
            submitted = min(submitted, timezone.now())  # never a time still to come
            BusinessReport.objects.filter(pk=report.pk).update(submitted_at=submitted)
            waiting = (month == current and index % 2 == 0) or (
                month == rules.add_months(current, -1) and index == 4
            )
            if waiting:
                continue  # the latest reports wait for their BA's check
            if verifier is not None:
                services.report_verify(actor=verifier, report=report, today=today, refresh=False)
        _rat(ctx, coop, members, index)
    services.status_refresh(months=[rules.add_months(first, i) for i in range(MONTHS)])


def _rat(ctx, coop, members, index) -> None:
    today = timezone.localdate()
    if today.year <= 2025:
        return  # the fiscal year has not ended
    due = rules.rat_due(2025)
    if index % 7 == 5:
        services.rat_save(
            actor=ctx.admin,
            cooperative=coop,
            fiscal_year=2025,
            scheduled_on=due + datetime.timedelta(days=40),
        )
        return  # not held: on the overdue list
    held = datetime.date(2026, 3 + index % 3, 10 + index % 15)
    if index % 7 == 3:
        held = due + datetime.timedelta(days=21)  # held late
    held = min(held, today - datetime.timedelta(days=1))
    shu = 12_000_000 + index * 1_500_000
    services.rat_save(
        actor=ctx.admin,
        cooperative=coop,
        fiscal_year=2025,
        held_on=held,
        members_total=members,
        members_present=members // 2 + 1 + index,
        statement_approved=True,
        shu=shu,
        shu_members=shu * 40 // 100,
        shu_reserve=shu * 40 // 100,
        shu_other=shu - 2 * (shu * 40 // 100),
        notes="Data demo.",
    )
