"""Demo operations, from the first outlets of 2025 up to the day the demo is loaded.

One clock for the whole demo (see kawal.core.demo.demo_today): the formation of 2025 keeps its
real dates, a handful of KMP operate by November 2025 (the launch village since 21 July 2025),
and everything after that (outlets built and opened, partnerships, loans and repayments) is
spread over the time between then and today, so nothing reads "500 days late". Some stall.
Everything is written through the services, in date order, as the users would have.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.cooperatives import services as registry
from kawal.cooperatives.models import MIN_LAND_M2, Outlet
from kawal.core.demo import demo_today
from kawal.operations import services
from kawal.operations.models import Builder, LandStatus, MustAct, Partner, Partnership, Stage

D = datetime.date
LAUNCH_VILLAGE = "64.02.05.2006"
HANDFUL_BY = D(2025, 11, 20)  # the few outlets operating by November 2025
SINCE = D(2025, 11, 30)  # after this, dates are spread up to today
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A 1×1 PNG, as a stand-in for the construction photos.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
)

PARTNERS = [
    ("Perum Bulog Kanwil Kaltimtara", Partner.Kind.BULOG, "Kantor Cabang Samarinda"),
    ("PT Pupuk Indonesia (Persero)", Partner.Kind.FERTILISER, "Distributor wilayah Kukar"),
    ("PT Pertamina Patra Niaga", Partner.Kind.LPG, "Sales Area Kaltim"),
    ("PT Pos Indonesia", Partner.Kind.POST, "KC Tenggarong"),
    ("PT Agrinas Pangan Nusantara", Partner.Kind.BUILDER, "Proyek gerai KMP Kaltim"),
    ("Bank BRI", Partner.Kind.BANK, "KC Tenggarong"),
    ("Bank BNI", Partner.Kind.BANK, "KCP Tenggarong"),
    ("Bank Mandiri", Partner.Kind.BANK, "KCP Tenggarong"),
    ("Bank BTN", Partner.Kind.BANK, "KC Samarinda"),
    ("BUMDes desa setempat", Partner.Kind.BUMDES, ""),
    ("CV Tani Makmur Tenggarong", Partner.Kind.OFFTAKER, "Pembeli gabah dan jagung"),
]
# (partner index, what it covers, share of KMP that start it)
PARTNERSHIP_PLAN = [(0, "beras", 0.75), (2, "LPG 3 kg", 0.4), (1, "pupuk bersubsidi", 0.35)]
BLOCKS = [
    ("Menunggu verifikasi gudang oleh mitra.", MustAct.PARTNER),
    ("Syarat modal kerja belum terpenuhi.", MustAct.KMP),
    ("Izin lokasi pangkalan belum terbit.", MustAct.DINAS),
    ("Dokumen NIB/KBLI belum sesuai dengan usaha.", MustAct.KMP),
    ("Menunggu rekomendasi kepala desa.", MustAct.VILLAGE),
]


class Clock:
    """Spreads dates between `SINCE` and today; fractions in [0, 1]."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.start = min(SINCE, today)
        self.span = max((today - self.start).days, 1)

    def at(self, frac: float) -> datetime.date:
        frac = min(max(frac, 0.0), 1.0)
        return self.start + datetime.timedelta(days=int(frac * self.span))

    def cap(self, day: datetime.date) -> datetime.date:
        return min(day, self.today)


def _photo(name: str):
    return SimpleUploadedFile(name, TINY_PNG, content_type="image/png")


def _pdf(name: str):
    return SimpleUploadedFile(name, TINY_PDF, content_type="application/pdf")


def _reset(ctx, outlet):
    """The registry demo sets today's status directly; replay its history from the plan."""
    if outlet.status != Outlet.Status.RENCANA or outlet.progress_pct:
        registry.outlet_update(actor=ctx.admin, outlet=outlet, status="rencana", progress_pct=0)


def _land(ctx, outlet, day):
    area = outlet.land_area_m2 or ctx.rng.randrange(MIN_LAND_M2, 2500, 50)
    status = {"desa": LandStatus.VILLAGE_ASSET, "pemda": LandStatus.LOCAL_GOVERNMENT}.get(
        outlet.land_ownership, ctx.rng.choice(list(LandStatus.values))
    )
    services.outlet_stage_record(
        actor=ctx.admin,
        outlet=outlet,
        stage=Stage.LAND,
        happened_on=day,
        land_area_m2=area,
        land_status=status,
    )


def _open_outlet(ctx, outlet, land, built, equipped, opened, staff):
    rng = ctx.rng
    _land(ctx, outlet, land)
    services.outlet_stage_record(
        actor=ctx.admin,
        outlet=outlet,
        stage=Stage.BUILDING,
        happened_on=built,
        builder=rng.choice([Builder.AGRINAS, Builder.AGRINAS, Builder.SELF]),
        progress_pct=rng.randrange(10, 40, 5),
        photo=_photo("bangun.png"),
    )
    services.outlet_stage_record(
        actor=ctx.admin, outlet=outlet, stage=Stage.EQUIPPED, happened_on=equipped
    )
    services.outlet_stage_record(
        actor=ctx.admin,
        outlet=outlet,
        stage=Stage.OPEN,
        happened_on=opened,
        opening_days="Senin–Sabtu",
        opening_hours=rng.choice(["07.00–17.00", "08.00–16.00", "07.30–20.00"]),
        staff_count=staff,
        photo=_photo("buka.png"),
    )


def _outlets(ctx, clock) -> dict:
    """Replay every outlet; returns {village code: 'open' | 'building' | ...} for later steps."""
    rng = ctx.rng
    progress = {}
    for code in sorted(ctx.cooperatives):
        state = ctx.coop_state[code]
        coop = ctx.cooperatives[code]
        outlets = list(Outlet.objects.filter(cooperative=coop).order_by("pk"))
        main = outlets[0]
        if state == "operating":
            for i, outlet in enumerate(outlets):
                _reset(ctx, outlet)
                if code == LAUNCH_VILLAGE and i == 0:
                    dates = (D(2025, 6, 20), D(2025, 6, 28), D(2025, 7, 15), D(2025, 7, 21))
                else:
                    opened = D(2025, rng.choice([9, 10, 11]), rng.randint(1, 20))
                    opened = min(opened, HANDFUL_BY)
                    dates = (
                        opened - datetime.timedelta(days=rng.randint(70, 90)),
                        opened - datetime.timedelta(days=rng.randint(40, 60)),
                        opened - datetime.timedelta(days=rng.randint(5, 15)),
                        opened,
                    )
                _open_outlet(ctx, outlet, *dates, staff=rng.randint(2, 5))
            progress[code] = "open"
        elif state == "building":
            _reset(ctx, main)
            land = D(2025, rng.choice([9, 10, 11]), rng.randint(1, 28))
            built = clock.cap(land + datetime.timedelta(days=rng.randint(20, 90)))
            fate = rng.random()
            if fate < 0.35:  # opened since
                opened = clock.at(rng.uniform(0.35, 0.97))
                equipped = max(built, opened - datetime.timedelta(days=rng.randint(5, 20)))
                _open_outlet(ctx, main, land, built, equipped, opened, staff=rng.randint(2, 4))
                progress[code] = "open"
                continue
            _land(ctx, main, land)
            services.outlet_stage_record(
                actor=ctx.admin,
                outlet=main,
                stage=Stage.BUILDING,
                happened_on=built,
                builder=rng.choice([Builder.AGRINAS, Builder.AGRINAS, Builder.SELF]),
                builder_name="",
                progress_pct=rng.randrange(5, 30, 5),
                photo=_photo("bangun.png"),
            )
            # Progress reports; stalled sites stopped reporting months ago.
            stalled = fate > 0.8
            last = clock.at(rng.uniform(0.2, 0.5)) if stalled else clock.at(rng.uniform(0.85, 1))
            pct = 30
            day = built
            while True:
                day = day + datetime.timedelta(days=rng.randint(25, 50))
                if day > last:
                    break
                pct = min(95, pct + rng.randrange(5, 25, 5))
                services.outlet_stage_record(
                    actor=ctx.admin,
                    outlet=main,
                    stage=Stage.BUILDING,
                    happened_on=day,
                    progress_pct=pct,
                    photo=_photo("progres.png"),
                    note="Laporan kemajuan pembangunan.",
                )
            if fate < 0.45 and pct >= 60:
                services.outlet_stage_record(
                    actor=ctx.admin,
                    outlet=main,
                    stage=Stage.EQUIPPED,
                    happened_on=clock.cap(day if day <= clock.today else last),
                    note="Rak, freezer dan kasir terpasang; menunggu pasokan.",
                )
                progress[code] = "equipped"
            else:
                progress[code] = "stalled" if stalled else "building"
        else:
            if main.land_area_m2 and main.land_area_m2 >= MIN_LAND_M2 and rng.random() < 0.8:
                _reset(ctx, main)
                _land(ctx, main, clock.at(rng.uniform(0.0, 0.9)))
                progress[code] = "land"
            else:
                progress[code] = "plan"
    return progress


def _partners(ctx) -> list[Partner]:
    return [
        services.partner_save(
            actor=ctx.admin, region_code=ctx.regency_code, name=name, kind=kind, contact=contact
        )
        for name, kind, contact in PARTNERS
    ]


def _partnerships(ctx, clock, partners, progress) -> None:
    rng = ctx.rng
    order = [
        Partnership.Stage.SUBMITTED,
        Partnership.Stage.VERIFYING,
        Partnership.Stage.SIGNED,
        Partnership.Stage.ACTIVE,
    ]
    for code in sorted(ctx.cooperatives):
        coop = ctx.cooperatives[code]
        outlet = Outlet.objects.filter(cooperative=coop).order_by("pk").first()
        for index, covers, share in PARTNERSHIP_PLAN:
            state = progress[code]
            wanted = state == "open" and index == 0
            if not wanted and rng.random() > share:
                continue
            started = (
                D(2025, rng.choice([8, 9]), rng.randint(1, 28))
                if state == "open" and index == 0
                else clock.cap(D(2025, rng.choice([9, 10, 11, 12]), rng.randint(1, 28)))
            )
            partnership = services.partnership_create(
                actor=ctx.admin,
                cooperative=coop,
                partner=partners[index],
                covers=covers,
                outlet=outlet,
                started_on=started,
            )
            if state == "open" and index == 0:
                steps = len(order)
            elif state in ("equipped", "open"):
                steps = rng.choice([1, 2, 3, 3, 4])
            else:
                steps = rng.choice([0, 0, 1, 1, 2, 3])
            day = started
            for stage in order[:steps]:
                day = clock.cap(day + datetime.timedelta(days=rng.randint(10, 60)))
                if day < started or day > clock.today:
                    break
                services.partnership_step(
                    actor=ctx.admin,
                    partnership=partnership,
                    stage=stage,
                    happened_on=day,
                    document=_pdf("pks.pdf") if stage == Partnership.Stage.SIGNED else None,
                )
                partnership.refresh_from_db()
            if partnership.is_pending:
                reason, who = rng.choice(BLOCKS)
                services.partnership_step(
                    actor=ctx.admin,
                    partnership=partnership,
                    stage=partnership.stage,
                    happened_on=clock.cap(day + datetime.timedelta(days=rng.randint(0, 10))),
                    note=reason,
                    blocked_reason=reason,
                    must_act=who,
                )


def _loans(ctx, clock, banks, progress) -> None:
    rng = ctx.rng
    for code in sorted(ctx.cooperatives):
        state = progress[code]
        if rng.random() > {"open": 0.8, "equipped": 0.7, "building": 0.6}.get(state, 0.3):
            continue
        coop = ctx.cooperatives[code]
        bank = rng.choices(banks, weights=[50, 20, 20, 10])[0]
        outlet = Outlet.objects.filter(cooperative=coop).order_by("pk").first()
        day = (
            clock.at(rng.uniform(0.0, 0.7)) if state != "open" else D(2025, 10, rng.randint(1, 25))
        )
        loan = services.loan_create(
            actor=ctx.admin,
            cooperative=coop,
            bank=bank,
            amount_requested=rng.randrange(500, 3001, 50) * 1_000_000,
            interest_pct=rng.choice([6, 6, 5]),
            term_months=rng.choice([36, 48, 60]),
            outlet=outlet,
            purpose="Modal kerja dan perlengkapan gerai",
            business_plan=_pdf("rencana-usaha.pdf"),
            on=day,
        )
        # How far the proposal has gone: 0 draft … 4 approved, 5 disbursed and repaying.
        reach = 5 if state == "open" else rng.choice([0, 1, 1, 2, 3, 4, 5, 5])

        def later(low, high):
            nonlocal day
            day = day + datetime.timedelta(days=rng.randint(low, high))
            return day <= clock.today

        if reach == 0 or not later(3, 20):
            continue
        services.loan_local_approval(
            actor=ctx.admin,
            loan=loan,
            approver_name=ctx.faker.name(),
            approved_on=day,
            document=_pdf("persetujuan.pdf"),
        )
        services.loan_set_status(actor=ctx.admin, loan=loan, status="diajukan", on=day)
        if reach < 2 or not later(10, 40):
            continue
        if rng.random() < 0.08:
            services.loan_set_status(
                actor=ctx.admin,
                loan=loan,
                status="ditolak",
                on=day,
                reason="Rencana usaha belum menunjukkan arus kas yang cukup.",
            )
            continue
        services.loan_set_status(actor=ctx.admin, loan=loan, status="diverifikasi", on=day)
        if reach < 4 or not later(10, 40):
            continue
        approved = min(loan.amount_requested, rng.randrange(400, 3001, 50) * 1_000_000)
        services.loan_set_status(
            actor=ctx.admin, loan=loan, status="disetujui", on=day, amount_approved=approved
        )
        if reach < 5 or not later(5, 30):
            continue
        first = approved if rng.random() < 0.6 else approved // 2
        services.loan_disburse(actor=ctx.admin, loan=loan, amount=first, disbursed_on=day)
        if first < approved and later(30, 90):
            services.loan_disburse(
                actor=ctx.admin, loan=loan, amount=approved - first, disbursed_on=day
            )
        # Repayments on the due dates; some borrowers stop paying at some point.
        stop_after = rng.choice([None, None, None, None, 2, 4, 6])
        for n, row in enumerate(loan.installments.order_by("due_on", "number")):
            pay_day = row.due_on + datetime.timedelta(days=rng.randint(-3, 5))
            if pay_day > clock.today or (stop_after is not None and n >= stop_after):
                break
            pay_day = max(pay_day, loan.disbursements.order_by("disbursed_on").first().disbursed_on)
            loan.refresh_from_db()
            services.loan_repay(actor=ctx.admin, loan=loan, amount=row.amount, paid_on=pay_day)


def load(ctx) -> None:
    clock = Clock(demo_today())
    progress = _outlets(ctx, clock)
    partners = _partners(ctx)
    _partnerships(ctx, clock, partners, progress)
    banks = [p for p in partners if p.kind == Partner.Kind.BANK]
    _loans(ctx, clock, banks, progress)
