"""Demo formation pipeline replaying Kukar's 2025 with its real dates (docs/DOMAIN.md §2):

by 25 June 2025, 203 of 237 KMP had their SK AHU; 19 were in process and 15 at name reservation
(concentrated in Tabang and Muara Wis), and these caught up in the second half of 2025, so all
237 have a legal entity by late 2025. Later steps (NPWP, bank, NIB, SIMKOPDES) follow; land and
opening follow the outlets up to today (the demo's one clock, kawal.core.demo.demo_today).
27 NPAK notaries with synthetic names. Targets follow the regency's timeline (Musdesus by 31 May,
SK AHU by 30 June 2025); land and opening targets are set relative to today.
Everything goes through the services; only the time of each step's last movement is set back
afterwards, because the demo replays history that happened before today.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kawal.core.demo import demo_today
from kawal.formation import services
from kawal.formation.models import StepRecord

D = datetime.date
WITA = ZoneInfo("Asia/Makassar")
LEGAL_BY = D(2025, 6, 25)
LATE_LEGAL_BY = D(2025, 11, 28)  # the stragglers of June 2025 all have their SK AHU by then
OPERATING_BY = D(2025, 11, 20)  # a handful operate by November 2025
LATE_DISTRICTS = ("64.02.12", "64.02.18")  # Tabang, Muara Wis: the slowest kecamatan
SEATS = ["Tenggarong", "Tenggarong", "Samarinda", "Samarinda", "Balikpapan", "Bontang"]

TARGETS = {
    "pendirian_baru": {
        "sosialisasi": D(2025, 4, 30),
        "musdesus": D(2025, 5, 31),
        "rapat_pendirian": D(2025, 6, 10),
        "reservasi_nama": D(2025, 6, 15),
        "akta": D(2025, 6, 25),
        "sk_ahu": D(2025, 6, 30),
        "simkopdes": D(2025, 7, 31),
        "npwp": D(2025, 8, 31),
        "berita_negara": D(2025, 9, 30),
        "rekening": D(2025, 9, 30),
        "nib": D(2025, 10, 31),
    },
    "pengembangan": {"musdesus": D(2025, 5, 31), "sk_perubahan": D(2025, 6, 30)},
    "revitalisasi": {"musdesus": D(2025, 5, 31), "sk_perubahan": D(2025, 9, 30)},
}
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=WITA)


def _after(rng, day: datetime.date, low: int, high: int, limit: datetime.date | None = None):
    out = day + datetime.timedelta(days=rng.randint(low, high))
    return min(out, limit) if limit else out


def _notaries(ctx) -> list:
    notaries = []
    for i in range(27):
        name = f"{ctx.faker.name()}, S.H., M.Kn."
        notaries.append(
            services.notary_save(
                actor=ctx.admin,
                name=name,
                seat=SEATS[i % len(SEATS)],
                province="Kalimantan Timur",
                ahu_number=f"AHU-DEMO-{1000 + i}.AH.02.01.Tahun {2010 + i % 12}",
                appointment_decree=f"DEMO/SK-NOT/{2010 + i % 12}/{i + 1:03d}",
                training_certificate=f"NPAK-DEMO-2025-{i + 1:03d}",
                email=f"notaris{i + 1:02d}@contoh.test",
                phone=ctx.faker.numerify("08##########"),
                address=f"Jl. {ctx.faker.street_name()} No. {i + 3}, {SEATS[i % len(SEATS)]}",
            )
        )
    return notaries


def load(ctx) -> None:
    rng = ctx.rng
    today = demo_today()
    # Land and opening targets move with the demo's clock (the 2025 ones are history).
    targets = {scheme: dict(steps) for scheme, steps in TARGETS.items()}
    # The land target falls within the reminder window: "due soon", never "500 days late".
    targets["pendirian_baru"]["lahan"] = today + datetime.timedelta(days=5)
    targets["pendirian_baru"]["operasi"] = today + datetime.timedelta(days=120)
    for scheme, steps in targets.items():
        for step, due in steps.items():
            services.target_set(actor=ctx.admin, scheme=scheme, step=step, due_date=due)
    notaries = _notaries(ctx)
    weights = [rng.randint(1, 12) for _ in notaries]  # some notaries carry far more deeds

    codes = sorted(ctx.cooperatives)
    late = [c for c in codes if c[:8] in LATE_DISTRICTS]
    others = [c for c in codes if c[:8] not in LATE_DISTRICTS and ctx.coop_state[c] == "plan"]
    without_sk = late[:-1] + rng.sample(others, 34 - len(late[:-1]))
    at_name = set(without_sk[:15])  # 15 still at name reservation
    in_process = set(without_sk[15:])  # 19 with the akta done or being made, SK AHU pending
    moved: list[tuple[int, datetime.datetime]] = []

    def step(
        cooperative,
        code,
        status,
        *,
        done=None,
        started=None,
        number="",
        notary=None,
        notes="",
        last_moved=None,
    ):
        record = services.step_update(
            actor=ctx.admin,
            cooperative=cooperative,
            step=code,
            status=status,
            started_on=started,
            completed_on=done,
            document_number=number,
            notary=notary,
            notes=notes,
        )
        day = last_moved or done or started or LEGAL_BY
        moved.append((record.pk, _at(day, rng.randint(8, 16))))
        return record

    for code in codes:
        cooperative = ctx.cooperatives[code]
        state = ctx.coop_state[code]
        sos = D(2025, 4, rng.randint(8, 29))
        step(cooperative, "sosialisasi", "selesai", done=sos)
        mus = max(_after(rng, sos, 7, 30, D(2025, 5, 31)), D(2025, 5, rng.randint(2, 28)))
        step(cooperative, "musdesus", "selesai", done=mus, notes="")
        rapat = _after(rng, mus, 1, 8, D(2025, 6, 12))
        step(cooperative, "rapat_pendirian", "selesai", done=rapat)
        notary = rng.choices(notaries, weights)[0]
        if code in at_name or code in in_process:
            # Behind in June 2025 (a rejected name, the deed fee not yet paid from village
            # funds), these caught up in the second half of 2025: all 237 have a legal entity
            # by late 2025.
            late_by = 60 if code in in_process else 100
            reserved = _after(rng, rapat, 2, 12 if code in in_process else 40)
            step(cooperative, "reservasi_nama", "selesai", done=reserved)
            akta = _after(rng, max(reserved, LEGAL_BY), 5, late_by, LATE_LEGAL_BY)
            step(
                cooperative,
                "akta",
                "selesai",
                done=akta,
                number=f"{rng.randint(1, 90):02d}",
                notary=notary,
                notes="Biaya akta cair dari dana desa setelah APBDes perubahan.",
            )
            sk = _after(rng, akta, 3, 25, LATE_LEGAL_BY)
            step(
                cooperative,
                "sk_ahu",
                "selesai",
                done=sk,
                number=f"AHU-{rng.randint(10000, 99999):07d}.AH.01.29.TAHUN 2025",
            )
            _later_steps(ctx, step, cooperative, state, sk)
            continue
        reserved = _after(rng, rapat, 1, 3)
        step(cooperative, "reservasi_nama", "selesai", done=reserved)
        akta = min(
            max(_after(rng, reserved, 1, 6), D(2025, 6, rng.randint(2, 18))),
            LEGAL_BY - datetime.timedelta(days=1),
        )
        step(
            cooperative,
            "akta",
            "selesai",
            done=akta,
            number=f"{rng.randint(1, 90):02d}",
            notary=notary,
        )
        sk = _after(rng, akta, 1, 8, LEGAL_BY)
        step(
            cooperative,
            "sk_ahu",
            "selesai",
            done=sk,
            number=f"AHU-{rng.randint(10000, 99999):07d}.AH.01.29.TAHUN 2025",
        )
        _later_steps(ctx, step, cooperative, state, sk)

    # Replay history: each record last moved on the day it happened (not today).
    now = timezone.now()
    for pk, when in moved:
        StepRecord.objects.filter(pk=pk).update(moved_at=min(when, now))

    # A few documents: verified for the launch village, submitted ones for the Dinas to check.
    pengurus = ctx.users.get("pengurus.tanahdatar")
    launch = ctx.cooperatives.get("64.02.05.2006")
    if launch is not None:
        services.document_upload(
            actor=ctx.admin,
            cooperative=launch,
            step="sk_ahu",
            kind="SK AHU",
            file=SimpleUploadedFile("sk-ahu-tanah-datar.pdf", TINY_PDF),
        )
        if pengurus is not None:
            for step_code, kind in (("musdesus", "berita acara (BAMD)"), ("npwp", "kartu NPWP")):
                services.document_upload(
                    actor=pengurus,
                    cooperative=launch,
                    step=step_code,
                    kind=kind,
                    file=SimpleUploadedFile(f"{step_code}-tanah-datar.pdf", TINY_PDF),
                )
    services.reminders_build(on=timezone.localdate())


def _later_steps(ctx, step, cooperative, state, sk) -> None:
    """After the SK AHU: registration, tax number, bank account, NIB, then land and opening.

    All are done by now (the 2025 targets are history); land and opening follow the outlets.
    """
    rng = ctx.rng
    today = demo_today()

    def after(day, low, high):
        return min(_after(rng, day, low, high), today - datetime.timedelta(days=1))

    step(
        cooperative,
        "berita_negara",
        "selesai",
        done=after(sk, 30, 90),
        number=f"BN {rng.randint(1, 120)}/2025",
    )
    step(cooperative, "simkopdes", "selesai", done=after(sk, 5, 40))
    npwp = after(sk, 10, 70)
    step(
        cooperative,
        "npwp",
        "selesai",
        done=npwp,
        number=ctx.faker.numerify("##.###.###.#-###.###"),
    )
    step(
        cooperative,
        "rekening",
        "selesai",
        done=after(npwp, 3, 40),
        number=f"BRI {ctx.faker.numerify('####-01-######-##-#')}",
    )
    nib = after(npwp, 5, 90)
    step(cooperative, "nib", "selesai", done=nib, number=ctx.faker.numerify("#############"))
    if state == "operating":
        land = min(_after(rng, sk, 20, 40), OPERATING_BY - datetime.timedelta(days=30))
        step(cooperative, "lahan", "selesai", done=land)
        step(
            cooperative,
            "operasi",
            "selesai",
            done=min(_after(rng, max(land, nib), 5, 30), OPERATING_BY),
        )
    elif state == "building":
        step(
            cooperative,
            "lahan",
            "proses",
            started=min(
                D(2025, 10, 1) + datetime.timedelta(days=rng.randint(0, 60)),
                today - datetime.timedelta(days=1),
            ),
            notes="Pembangunan gerai berjalan.",
            # construction reports move most of them; some have gone quiet
            last_moved=today - datetime.timedelta(days=rng.choice([3, 7, 10, 12, 20, 45, 90])),
        )
    elif rng.random() < 0.3:
        step(
            cooperative,
            "lahan",
            "bermasalah",
            started=D(2025, 9, rng.randint(1, 28)),
            notes="Lahan desa kurang dari 1.000 m²; mencari lahan pemda.",
        )
