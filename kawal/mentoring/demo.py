"""Demo mentoring: mentors and caseloads, field visits and walk-in consultations over the last
six months up to today (the demo's one clock), recommendations with some board responses, and BA monthly reports in every state.
Many cooperatives are deliberately left without any contact, as in real life.
"""

import datetime
import math
import struct
import zlib

from django.core.files.base import ContentFile
from django.utils import timezone

from kawal.core.demo import DEMO_PASSWORD, demo_today, month_start
from kawal.core.scope import Role, forget
from kawal.mentoring import rules, services
from kawal.mentoring.models import Consultation, Mentor, MonthlyReport, Visit

# Set by load() from the demo's clock: BAs start five months before the current month.
START = datetime.date(2026, 6, 1)
TODAY = datetime.date(2026, 11, 26)

CHECKLIST = [
    "Papan nama koperasi terpasang",
    "Buku daftar anggota tersedia dan diperbarui",
    "Buku kas harian diisi",
    "Pengurus hadir saat kunjungan",
    "Rapat pengurus bulan ini tercatat (notulen)",
    "Gerai/outlet sudah beroperasi",
    "Akun SIMKOPDES aktif dan data terisi",
    "Rencana usaha (business plan) tersedia",
]

# username, first, last, kecamatan, kind, caseload kecamatan(s), caseload size, description
BAS = [
    (
        "ba.muarabadak",
        "Rina",
        "Wulandari",
        "64.02.05",
        ["64.02.05", "64.02.17"],
        12,
        "Business Assistant, Muara Badak (12 KMP)",
    ),
    (
        "ba.anggana",
        "Yusuf",
        "Hidayat",
        "64.02.04",
        ["64.02.04", "64.02.14", "64.02.15"],
        16,
        "Business Assistant, Anggana (16 KMP: above the limit)",
    ),
    (
        "ba.kotabangun",
        "Siti",
        "Rahmawati",
        "64.02.08",
        ["64.02.08", "64.02.19"],
        9,
        "Business Assistant, Kota Bangun (9 KMP)",
    ),
]
PURPOSES = [
    "Pendampingan administrasi dan pembukuan",
    "Pemeriksaan kesiapan gerai sembako",
    "Pendampingan penyusunan rencana usaha",
    "Monitoring pengisian SIMKOPDES",
    "Persiapan rapat anggota",
    "Verifikasi lahan gerai",
]
FINDINGS = [
    "Buku kas belum diisi sejak bulan lalu; bendahara belum mendapat pelatihan.",
    "Pengurus aktif, rapat rutin berjalan, gerai belum mendapat pasokan tetap.",
    "Data anggota di SIMKOPDES belum lengkap; sebagian KTP belum dipindai.",
    "Lahan 1.000 m² tersedia namun status hak pakai belum jelas.",
    "Rencana usaha masih umum, belum memuat proyeksi arus kas.",
]
RECOMMENDATIONS = [
    ("Lengkapi buku kas dan buku bank setiap hari", "diskopukm", 21),
    ("Unggah data anggota lengkap ke SIMKOPDES", "diskopukm", 30),
    ("Urus NIB melalui OSS untuk gerai sembako", "dpmptsp", 45),
    ("Selesaikan surat hak pakai lahan dari pemerintah desa", "dpmd", 30),
    ("Susun proyeksi arus kas 12 bulan dalam rencana usaha", "diskopukm", 30),
    ("Jadwalkan rapat pengurus bulanan dan catat notulennya", "diskopukm", 14),
]
RESPONSES = [
    "Sudah kami laksanakan; buku kas diperbarui setiap sore oleh bendahara.",
    "Sedang berproses, menunggu tanda tangan kepala desa.",
    "Kami mohon pendampingan lanjutan karena bendahara baru.",
]
QUESTIONS = {
    "legalitas": "Bagaimana mengurus perubahan akta karena pergantian ketua?",
    "kelembagaan": "Apakah kepala desa boleh menjadi pengurus koperasi?",
    "usaha": "Unit usaha apa yang cocok selain gerai sembako di desa kami?",
    "keuangan": "Bagaimana mencatat simpanan wajib anggota di buku kas?",
    "permodalan": "Bagaimana syarat pinjaman modal dari bank Himbara?",
    "perizinan": "Apa KBLI yang tepat untuk apotek desa?",
    "simkopdes": "Akun SIMKOPDES kami terkunci, bagaimana membukanya?",
    "pajak": "Apakah koperasi wajib memungut PPN untuk penjualan sembako?",
    "lainnya": "Kapan jadwal pelatihan pengurus angkatan berikutnya?",
}
TOPIC_WEIGHTS = [
    ("legalitas", 4),
    ("kelembagaan", 5),
    ("usaha", 6),
    ("keuangan", 6),
    ("permodalan", 5),
    ("perizinan", 4),
    ("simkopdes", 6),
    ("pajak", 2),
    ("lainnya", 1),
]
ROLE_WEIGHTS = [
    ("ketua", 5),
    ("pengurus", 4),
    ("pengawas", 1),
    ("anggota", 1),
    ("kepala_desa", 2),
    ("pendamping", 1),
]


def _png(width=48, height=36, rgb=(180, 40, 30)) -> bytes:
    """A tiny solid-colour PNG, so the demo has photos without shipping image files."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _offset(lat, lng, km, rng):
    """A point `km` away from (lat, lng) in a random direction."""
    angle = rng.uniform(0, 2 * math.pi)
    return (
        lat + (km / 111.0) * math.cos(angle),
        lng + (km / (111.0 * max(math.cos(math.radians(lat)), 0.1))) * math.sin(angle),
    )


def load(ctx) -> None:
    from kawal.accounts import services as account_services

    global START, TODAY
    TODAY = demo_today()
    START = month_start(TODAY, 5)

    admin = ctx.admin
    agencies = ctx.agencies
    coops = ctx.cooperatives

    for order, label in enumerate(CHECKLIST, start=1):
        services.checklist_item_save(
            actor=admin, region_code=ctx.regency_code, label=label, order=order * 10
        )

    # Mentors: the existing demo pendamping (Dinas staff), three BAs, one PMO.
    pendamping = ctx.users["pendamping"]
    services.mentor_save(
        actor=admin,
        user=pendamping,
        kind=Mentor.Kind.DINAS,
        region_code="64.02.06",
        organisation="DiskopUKM Kukar",
        contract_start=datetime.date(2025, 7, 1),
    )
    tenggarong = sorted(c for c in coops if c.startswith("64.02.06."))[:10]
    caseloads = {pendamping: tenggarong}
    for code in tenggarong:
        services.assignment_start(
            actor=admin,
            mentor=pendamping,
            cooperative=coops[code],
            started_on=datetime.date(2025, 7, 1),
        )
    bas = []
    for username, first, last, kec, areas, size, description in BAS:
        user = account_services.user_create(
            actor=admin,
            username=username,
            password=DEMO_PASSWORD,
            role=Role.PENDAMPING,
            region_code=kec,
            first_name=first,
            last_name=last,
            phone=ctx.faker.numerify("08##########"),
        )
        ctx.users[username] = user
        ctx.logins.append((username, description))
        services.mentor_save(
            actor=admin,
            user=user,
            kind=Mentor.Kind.BA,
            region_code=kec,
            organisation="Dinas Koperasi dan UKM Provinsi Kalimantan Timur",
            contract_start=START,
            contract_end=datetime.date(TODAY.year + (TODAY.month == 12), 12, 31),
        )
        pool = sorted(c for c in coops if any(c.startswith(a + ".") for a in areas))
        chosen = pool[:size]
        if username == "ba.muarabadak" and "64.02.05.2006" not in chosen:
            chosen[-1] = "64.02.05.2006"  # the launch village, whose pengurus has a login
        for code in chosen:
            services.assignment_start(
                actor=admin, mentor=user, cooperative=coops[code], started_on=START
            )
        caseloads[user] = chosen
        bas.append(user)
    # History: one cooperative moved from a BA to another mentor (the old row is kept).
    first_ba = bas[2]
    old = first_ba.assignments.filter(ended_on__isnull=True).order_by("cooperative_id").last()
    services.assignment_end(
        actor=admin,
        assignment=old,
        ended_on=month_start(TODAY, 1) - datetime.timedelta(days=31),
        reason="Dialihkan ke pendamping Dinas",
    )
    forget(first_ba)
    caseloads[first_ba] = [c for c in caseloads[first_ba] if c != old.cooperative.village_id]
    pmo = account_services.user_create(
        actor=admin,
        username="pmo.kukar",
        password=DEMO_PASSWORD,
        role=Role.PIMPINAN,
        region_code=ctx.regency_code,
        first_name="Andi",
        last_name="Saputra",
    )
    ctx.users["pmo.kukar"] = pmo
    ctx.logins.append(("pmo.kukar", "PMO Kukar (read only, monthly progress to the ministry)"))
    services.mentor_save(
        actor=admin,
        user=pmo,
        kind=Mentor.Kind.PMO,
        region_code=ctx.regency_code,
        organisation="PMO Kemenkop",
        contract_start=START,
    )

    _visits(ctx, caseloads, agencies)
    _consultations(ctx, caseloads, agencies)
    _reports(ctx, bas, caseloads)


def _visits(ctx, caseloads, agencies) -> None:
    from kawal.cooperatives.models import Cooperative
    from kawal.mentoring.models import ChecklistItem

    rng = ctx.rng
    items = list(ChecklistItem.objects.filter(region_id=ctx.regency_code))
    photo = _png()
    n = 0
    for mentor, codes in caseloads.items():
        # Leave a few cooperatives of each caseload without a visit.
        visited = codes[: max(1, len(codes) - 2)]
        for code in visited:
            coop = Cooperative.objects.select_related("village").get(village_id=code)
            day = START + datetime.timedelta(days=rng.randint(0, 20))
            while day < ctx_today():
                village = coop.village
                lat = lng = None
                if village.lat is not None and rng.random() < 0.85:
                    far = rng.random() < 0.08
                    km = rng.uniform(6, 12) if far else rng.uniform(0.05, 2.5)
                    lat, lng = _offset(village.lat, village.lng, km, rng)
                recs = []
                if rng.random() < 0.45:
                    for text, agency, days in rng.sample(RECOMMENDATIONS, rng.randint(1, 2)):
                        recs.append(
                            {
                                "text": text,
                                "owner_agency": agencies[agency],
                                "due_date": day + datetime.timedelta(days=days),
                            }
                        )
                photos = []
                if rng.random() < 0.3:
                    photos = [ContentFile(photo, name=f"kunjungan-{n}.png")]
                visit = services.visit_record(
                    actor=mentor,
                    cooperative=coop,
                    visit_date=day,
                    purpose=rng.choice(PURPOSES),
                    findings=rng.choice(FINDINGS),
                    checklist={i.pk: rng.choice(["ya", "ya", "tidak", "na"]) for i in items},
                    recommendations=recs,
                    photos=photos,
                    lat=lat,
                    lng=lng,
                    gps_accuracy_m=rng.choice([8, 12, 25, 40]) if lat is not None else None,
                )
                # The demo is entered "now"; set the realistic entry time and its flag.
                delay = rng.choices([0, 1, 2, 5, 9], weights=[50, 25, 12, 8, 5])[0]
                entered = _aware(day + datetime.timedelta(days=delay), rng.randint(9, 20))
                Visit.objects.filter(pk=visit.pk).update(
                    created_at=entered, flag_late=delay > rules.LATE_ENTRY_DAYS
                )
                for rec in visit.recommendations.all():
                    if code == "64.02.05.2006" or rng.random() < 0.2:
                        board = ctx.users.get("pengurus.tanahdatar")
                        responder = board if code == "64.02.05.2006" else ctx.admin
                        services.recommendation_respond(
                            actor=responder,
                            recommendation=rec,
                            response=rng.choice(RESPONSES),
                        )
                n += 1
                day += datetime.timedelta(days=rng.randint(18, 45))


def ctx_today() -> datetime.date:
    return min(TODAY, timezone.localdate())


def _consultations(ctx, caseloads, agencies) -> None:
    from kawal.cooperatives.models import Cooperative

    rng, admin = ctx.rng, ctx.admin
    today = ctx_today()
    # Walk-ins come from a third of the regency (some cooperatives never come).
    codes = sorted(ctx.cooperatives)
    visitors = rng.sample(codes, len(codes) // 3)
    coops = {c.village_id: c for c in Cooperative.objects.filter(village_id__in=visitors)}
    referral = [agencies[a] for a in ("dpmptsp", "dpmd", "bpkad", "dinkes")]
    day = START
    while day <= today:
        if day.weekday() < 5:
            for _ in range(rng.choices([0, 1, 2, 3], weights=[25, 40, 25, 10])[0]):
                code = rng.choice(visitors)
                topic = _weighted(rng, TOPIC_WEIGHTS)
                waiting = day == today and rng.random() < 0.6
                consultation = services.consultation_create(
                    actor=admin,
                    cooperative=coops[code],
                    date=day,
                    visitor_name=ctx.faker.name(),
                    visitor_role=_weighted(rng, ROLE_WEIGHTS),
                    topic=topic,
                    question=QUESTIONS[topic],
                    advice=""
                    if waiting
                    else "Dijelaskan langkah dan dokumen yang dibutuhkan; "
                    "koperasi diminta kembali bila ada kendala.",
                    referral_agency=rng.choice(referral) if rng.random() < 0.25 else None,
                    followup={
                        "title": f"Tindak lanjut konsultasi {topic}",
                        "owner_agency": agencies["diskopukm"],
                        "due_date": day + datetime.timedelta(days=14),
                    }
                    if not waiting and rng.random() < 0.15
                    else None,
                )
                arrived = _aware(day, rng.randint(8, 14), rng.randint(0, 59))
                Consultation.objects.filter(pk=consultation.pk).update(
                    created_at=arrived,
                    served_at=None if waiting else arrived + datetime.timedelta(minutes=25),
                )
        day += datetime.timedelta(days=1)
    # A couple of visitors waiting right now at the front desk.
    for code in visitors[:2]:
        services.consultation_create(
            actor=admin,
            cooperative=coops[code],
            visitor_name=ctx.faker.name(),
            visitor_role="ketua",
            topic="simkopdes",
            question=QUESTIONS["simkopdes"],
        )


def _reports(ctx, bas, caseloads) -> None:
    from kawal.cooperatives.models import Cooperative

    rng, admin = ctx.rng, ctx.admin
    months = rules.months_between(START, ctx_today())  # the last six months
    for index, ba in enumerate(bas):
        reached = list(Cooperative.objects.filter(village_id__in=caseloads[ba]))
        for month in months:
            # Muara Badak skips September (missing); Kota Bangun is late in August.
            if index == 0 and month.month == 9:
                continue
            report = services.report_save(
                actor=ba,
                month=month,
                activities=f"Kunjungan lapangan ke {len(reached)} koperasi, pendampingan "
                "pembukuan dan pengisian SIMKOPDES.",
                issues=rng.choice(
                    [
                        "",
                        "Sebagian pengurus belum aktif.",
                        "Sinyal internet lemah di beberapa desa.",
                    ]
                ),
                cooperatives=rng.sample(reached, max(1, len(reached) - rng.randint(0, 3))),
            )
            if month.month == 11:
                continue  # November: still a draft (not yet due)
            if index == 1 and month.month == 10:
                continue  # Anggana: October still a draft after the deadline (missing)
            services.report_submit(actor=ba, report=report)
            late = index == 2 and month.month == 8
            submitted = _aware(
                rules.report_deadline(month) + datetime.timedelta(days=4 if late else -2), 10
            )
            MonthlyReport.objects.filter(pk=report.pk).update(
                submitted_at=submitted, first_submitted_at=submitted
            )
            report.refresh_from_db()
            if month.month == 10 and index == 2:
                continue  # Kota Bangun October: submitted, waiting for review
            if month.month == 10 and index == 0:
                services.report_review(
                    actor=admin,
                    report=report,
                    accept=False,
                    reason="Lampirkan daftar hadir kegiatan dan foto kunjungan.",
                )
                continue
            services.report_review(actor=admin, report=report, accept=True)
