"""Demo formation pipeline mirroring Kukar's June 2025 picture (docs/DOMAIN.md §2):

by 25 June 2025, 203 of 237 KMP had their SK AHU, 19 were in process and 15 at name reservation
(concentrated in Tabang and Muara Wis, so some kecamatan stay below 10%); later steps (NPWP,
bank, NIB, SIMKOPDES, land) progress through 2025–2026; 7 operate. 27 NPAK notaries with
synthetic names. Targets follow the regency's timeline (Musdesus by 31 May, SK AHU by 30 June).
Everything goes through the services; only the time of each step's last movement is set back
afterwards, because the demo replays history that happened before today.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kawal.formation import services
from kawal.formation.models import StepRecord

D = datetime.date
WITA = ZoneInfo("Asia/Makassar")
LEGAL_BY = D(2025, 6, 25)
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
        "lahan": D(2026, 6, 30),
        "operasi": D(2026, 12, 1),
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
    for scheme, steps in TARGETS.items():
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
        if code in at_name:
            step(
                cooperative,
                "reservasi_nama",
                "proses",
                started=_after(rng, rapat, 1, 5),
                notes=rng.choice(
                    [
                        "Nama ditolak SABH karena mirip koperasi lain; menunggu nama pengganti.",
                        "Menunggu kelengkapan KTP pendiri.",
                        "",
                    ]
                ),
            )
            continue
        reserved = _after(rng, rapat, 1, 3)
        step(cooperative, "reservasi_nama", "selesai", done=reserved)
        notary = rng.choices(notaries, weights)[0]
        if code in in_process:
            if rng.random() < 0.5:
                step(
                    cooperative,
                    "akta",
                    "bermasalah" if rng.random() < 0.3 else "proses",
                    started=_after(rng, reserved, 1, 4),
                    notary=notary,
                    notes="Biaya akta belum cair dari dana desa.",
                )
            else:
                akta = min(
                    max(_after(rng, reserved, 2, 7), D(2025, 6, rng.randint(5, 20))), LEGAL_BY
                )
                step(
                    cooperative,
                    "akta",
                    "selesai",
                    done=akta,
                    number=f"{rng.randint(1, 90):02d}",
                    notary=notary,
                )
                step(cooperative, "sk_ahu", "proses", started=akta, notes="Menunggu SK AHU.")
            continue
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
        if rng.random() < 0.8:
            step(
                cooperative,
                "berita_negara",
                "selesai",
                done=_after(rng, sk, 30, 90),
                number=f"BN {rng.randint(1, 120)}/2025",
            )
        if rng.random() < 0.93 or state != "plan":
            step(cooperative, "simkopdes", "selesai", done=_after(rng, sk, 5, 40))
        npwp_done = state != "plan" or rng.random() < 0.85
        if npwp_done:
            npwp = _after(rng, sk, 10, 70)
            step(
                cooperative,
                "npwp",
                "selesai",
                done=npwp,
                number=ctx.faker.numerify("##.###.###.#-###.###"),
            )
            if state != "plan" or rng.random() < 0.8:
                step(
                    cooperative,
                    "rekening",
                    "selesai",
                    done=_after(rng, npwp, 3, 40),
                    number=f"BRI {ctx.faker.numerify('####-01-######-##-#')}",
                )
            if state != "plan" or rng.random() < 0.6:
                nib = _after(rng, npwp, 5, 90)
                step(
                    cooperative,
                    "nib",
                    "selesai",
                    done=nib,
                    number=ctx.faker.numerify("#############"),
                )
            elif rng.random() < 0.5:
                step(
                    cooperative,
                    "nib",
                    "proses",
                    started=_after(rng, npwp, 5, 60),
                    notes="KBLI gerai belum lengkap di OSS.",
                )
        else:
            step(cooperative, "npwp", "proses", started=_after(rng, sk, 10, 60))
        if state == "operating":
            land = _after(rng, sk, 60, 120)
            step(cooperative, "lahan", "selesai", done=land)
            step(cooperative, "operasi", "selesai", done=_after(rng, max(land, nib), 5, 30))
        elif state == "building":
            step(
                cooperative,
                "lahan",
                "proses",
                started=D(2025, 10, 1) + datetime.timedelta(days=rng.randint(0, 300)),
                notes="Pembangunan gerai berjalan.",
                # construction reports move most of them; some have gone quiet
                last_moved=timezone.localdate()
                - datetime.timedelta(days=rng.choice([3, 7, 10, 12, 20, 45, 90])),
            )
        elif rng.random() < 0.3:
            step(
                cooperative,
                "lahan",
                "bermasalah",
                started=D(2025, 9, rng.randint(1, 28)),
                notes="Lahan desa kurang dari 1.000 m²; mencari lahan pemda.",
            )

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
