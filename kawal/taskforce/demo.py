"""Demo Satgas KMP Kukar (docs/DOMAIN.md §2): the Bupati's decree and its amendment, the structure
(Bupati pembina, Sekda ketua, Kadis Koperasi sekretaris, member agencies, 20 camat as
koordinator kecamatan), and 14 bi-weekly rakor over the half year around today (the last one
still ahead) with attendance, minutes, decisions and follow-ups in every state (some overdue).
Synthetic; every date after 2025 is placed relative to the demo's clock (demo_today).
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from kawal.accounts import services as account_services
from kawal.core.demo import DEMO_PASSWORD, demo_today
from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.followups import services as followup_services
from kawal.followups.models import FollowUp
from kawal.taskforce import services
from kawal.taskforce.models import Decision, Meeting

RAKOR_COUNT = 14  # every two weeks; the first one 25 weeks before today's week


def first_rakor(today: datetime.date) -> datetime.datetime:
    """A Thursday at 09:00, 25 weeks before the Thursday of today's week."""
    thursday = today + datetime.timedelta(days=3 - today.weekday())
    day = thursday - datetime.timedelta(weeks=25)
    return datetime.datetime(day.year, day.month, day.day, 9, 0)


OPD_DUTIES = {
    "diskopukm": (
        "Leading sector dan sekretariat Satgas: pendataan, pembinaan kelembagaan, pelatihan "
        "pengurus, pelaporan ke Kemenkop melalui SIMKOPDES.",
        True,
    ),
    "setda": ("Koordinasi lintas perangkat daerah dan penyiapan kebijakan Bupati.", False),
    "dpmd": (
        "Fasilitasi Musdesus, data lahan desa, dukungan Dana Desa dan sinergi dengan BUMDes.",
        False,
    ),
    "bappeda": ("Perencanaan dan penganggaran program KMP, pemetaan potensi desa.", False),
    "bpkad": ("Pengelolaan aset daerah untuk gerai dan Belanja Tidak Terduga (BTT).", False),
    "inspektorat": ("Pengawasan dan pendampingan akuntabilitas pengelolaan dana.", False),
    "distan": ("Pengembangan usaha pertanian, pupuk dan peternakan melalui KMP.", False),
    "diskan": ("Pengembangan usaha perikanan dan cold storage di wilayah pesisir.", False),
    "dinkes": ("Pembinaan apotek desa dan klinik desa KMP.", False),
    "dpmptsp": ("Fasilitasi perizinan berusaha (NIB, KBLI) melalui OSS.", False),
}
FIRST_DECREE_AGENCIES = [
    "diskopukm",
    "setda",
    "dpmd",
    "bappeda",
    "bpkad",
    "inspektorat",
    "distan",
    "diskan",
]

TASKS = {
    "diskopukm": [
        "Rekap progres pembangunan gerai per kecamatan",
        "Menyusun jadwal pelatihan pengurus angkatan berikutnya",
        "Memperbarui data koperasi di SIMKOPDES",
        "Menyiapkan bahan laporan bulanan ke Kemenkop",
    ],
    "setda": [
        "Menyiapkan surat edaran Bupati tentang dukungan OPD kepada KMP",
        "Menjadwalkan paparan progres KMP kepada Bupati",
    ],
    "dpmd": [
        "Menyampaikan data lahan desa calon gerai (minimal 1.000 m²)",
        "Memfasilitasi Musdesus perubahan untuk desa yang belum lengkap berita acaranya",
        "Menerbitkan surat edaran penggunaan Dana Desa untuk biaya notaris",
        "Memetakan usaha BUMDes yang aktif agar KMP tidak tumpang tindih",
    ],
    "bappeda": [
        "Memasukkan program KMP ke dalam RKPD 2027",
        "Menyusun peta potensi desa untuk unit usaha KMP",
    ],
    "bpkad": [
        "Menyiapkan alokasi BTT untuk akta notaris koperasi kelurahan",
        "Inventarisasi aset daerah yang dapat dipinjampakaikan untuk gerai",
    ],
    "inspektorat": [
        "Menyusun pedoman pengawasan penggunaan dana KMP",
        "Reviu laporan keuangan KMP yang sudah beroperasi",
    ],
    "distan": [
        "Mendata potensi pertanian dan peternakan per desa untuk unit usaha KMP",
        "Koordinasi penyaluran pupuk bersubsidi melalui KMP",
    ],
    "diskan": [
        "Menyiapkan data cold storage di Anggana, Muara Jawa dan Muara Badak",
        "Pendampingan unit usaha perikanan KMP di desa pesisir",
    ],
    "dinkes": [
        "Verifikasi kelayakan apotek desa dan klinik desa KMP",
        "Menyusun daftar tenaga kesehatan pendamping klinik desa",
    ],
    "dpmptsp": [
        "Fasilitasi NIB melalui OSS untuk KMP yang sudah berbadan hukum",
        "Jemput bola perizinan KBLI gerai sembako di lima kecamatan",
    ],
}
CAMAT_TASKS = [
    "Memastikan rapat anggota KMP di seluruh desa {kec}",
    "Melaporkan progres lahan dan gerai KMP di Kecamatan {kec}",
    "Mengoordinasikan pendamping desa di Kecamatan {kec} untuk data potensi",
]
MINUTES = (
    "Rapat dibuka oleh Ketua Satgas. Sekretaris Satgas melaporkan perkembangan pembentukan dan "
    "operasional KMP: {ops} koperasi sudah beroperasi, {gerai} gerai dalam pembangunan.\n\n"
    "Setiap perangkat daerah menyampaikan kemajuan tindak lanjut rapat sebelumnya. "
    "Tindak lanjut yang melewati tenggat dibahas satu per satu beserta kendalanya.\n\n"
    "Rapat menyepakati keputusan dan tindak lanjut sebagaimana tercantum di bawah ini."
)
EXTRA_USERS = [
    ("satgas.bpkad", "bpkad", "Staf", "BPKAD", "Anggota Satgas, BPKAD"),
    ("satgas.dinkes", "dinkes", "Staf", "Dinkes", "Anggota Satgas, Dinas Kesehatan"),
]


def _aware(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(value)


def load(ctx) -> None:
    rng = ctx.rng
    admin = ctx.admin
    regency = ctx.regency_code
    agencies = ctx.agencies
    now = timezone.now()
    today = demo_today()
    first_meeting = first_rakor(today)
    amended = first_meeting.date() - datetime.timedelta(days=10)

    services.letterhead_save(
        actor=admin,
        region_code=regency,
        signer_name=ctx.faker.name(),
        signer_nip="19750101 200003 1 001",
    )
    for username, agency, first, last, description in EXTRA_USERS:
        ctx.users[username] = account_services.user_create(
            actor=admin,
            username=username,
            password=DEMO_PASSWORD,
            role=Role.SATGAS,
            region_code=regency,
            first_name=first,
            last_name=last,
            agency=agencies[agency],
        )
        ctx.logins.append((username, description))

    # The decree of 2025, amended shortly before the first rakor to add Dinkes and DPMPTSP.
    first = services.decree_create(
        actor=admin,
        region_code=regency,
        number="100.3.3.2/K.512/HK/2025",
        title=(
            "Pembentukan Satuan Tugas Percepatan Pembentukan Koperasi Desa/Kelurahan Merah Putih "
            "Kabupaten Kutai Kartanegara"
        ),
        signed_on=datetime.date(2025, 5, 12),
        valid_from=datetime.date(2025, 5, 12),
        file=ContentFile(_pdf_stub("SK Bupati 2025"), name="sk-satgas-2025.pdf"),
    )
    for code in FIRST_DECREE_AGENCIES:
        duties, leading = OPD_DUTIES[code]
        services.decree_agency_set(
            actor=admin,
            decree=first,
            agency=agencies[code],
            duties=duties,
            is_leading_sector=leading,
        )
    people = [
        ("pembina", "Bupati Kutai Kartanegara", "setda"),
        ("ketua", "Sekretaris Daerah", "setda"),
        ("wakil_ketua", "Asisten Perekonomian dan Pembangunan", "setda"),
        ("sekretaris", "Kepala Dinas Koperasi dan UKM", "diskopukm"),
    ] + [("anggota", f"Kepala {agencies[c].name}", c) for c in FIRST_DECREE_AGENCIES[2:]]
    for position, office, code in people:
        services.decree_member_add(
            actor=admin,
            decree=first,
            position=position,
            office_title=office,
            name=ctx.faker.name(),
            agency=agencies[code],
            user=ctx.users.get("sekda") if position == "ketua" else None,
        )
    kecamatan = sorted(
        (a for code, a in agencies.items() if code.startswith("kec-")), key=lambda a: a.code
    )
    for agency in kecamatan:
        services.decree_member_add(
            actor=admin,
            decree=first,
            position="koordinator_kecamatan",
            office_title=f"Camat {agency.region.name}",
            name=ctx.faker.name(),
            agency=agency,
        )
    decree = services.decree_create(
        actor=admin,
        region_code=regency,
        number=f"100.3.3.2/K.301/HK/{amended.year}",
        title=(
            "Perubahan atas Keputusan Bupati tentang Satuan Tugas Koperasi Desa/Kelurahan Merah "
            "Putih Kabupaten Kutai Kartanegara"
        ),
        signed_on=amended,
        valid_from=amended + datetime.timedelta(days=7),
        valid_until=datetime.date(amended.year + 1, 12, 31),
        amends=first,
        note="Menambahkan Dinas Kesehatan dan DPMPTSP sebagai anggota.",
    )
    for code in ("dinkes", "dpmptsp"):
        duties, leading = OPD_DUTIES[code]
        services.decree_agency_set(actor=admin, decree=decree, agency=agencies[code], duties=duties)
        services.decree_member_add(
            actor=admin,
            decree=decree,
            position="anggota",
            office_title=f"Kepala {agencies[code].name}",
            name=ctx.faker.name(),
            agency=agencies[code],
        )
    for agency in kecamatan:
        services.decree_agency_set(
            actor=admin,
            decree=decree,
            agency=agency,
            duties="Koordinator kecamatan: tim percepatan di tingkat kecamatan.",
        )
    ctx.decree = decree

    # Bi-weekly rakor; the invitation goes to every agency of the decree.
    invited = [a.agency for a in decree.agencies.select_related("agency")]
    meetings = services.meeting_schedule(
        actor=admin,
        region_code=regency,
        title="Rapat Koordinasi Satgas KMP",
        starts_at=_aware(first_meeting),
        duration_minutes=150,
        place="Ruang Rapat Setda, Kantor Bupati Kutai Kartanegara, Tenggarong",
        video_link="https://meet.example.id/rakor-satgas-kmp",
        agenda=(
            "Laporan Sekretaris Satgas tentang progres KMP\n"
            "Paparan perangkat daerah\n"
            "Kendala lahan, perizinan dan anggaran"
        ),
        agencies=invited,
        repeat=RAKOR_COUNT,
        interval_days=14,
    )
    ctx.meetings = meetings
    counter = 0
    for i, meeting in enumerate(meetings, start=1):
        Meeting.objects.filter(pk=meeting.pk).update(
            letter_number=f"005/{100 + i * 7}/DISKOPUKM/{meeting.starts_at:%Y}",
            created_at=meeting.starts_at - datetime.timedelta(days=7),
        )
        meeting.refresh_from_db()
        if meeting.starts_at > now:
            continue
        _attendance(rng, admin, meeting)
        services.minutes_record(
            actor=admin,
            meeting=meeting,
            chair="Sekretaris Daerah selaku Ketua Satgas KMP",
            minutes=MINUTES.format(ops=7 + i * 2, gerai=40 + i * 3),
        )
        held_at = meeting.starts_at + datetime.timedelta(hours=3)
        owners = rng.sample(list(TASKS), k=4) + [rng.choice(kecamatan).code]
        for code in owners:
            agency = agencies[code]
            counter += 1
            if code.startswith("kec-"):
                title = rng.choice(CAMAT_TASKS).format(kec=agency.region.name)
                region = agency.region_id
            else:
                title = rng.choice(TASKS[code])
                region = regency
            due = meeting.starts_at.date() + datetime.timedelta(
                days=rng.choice([7, 14, 14, 21, 28])
            )
            actions = [{"owner_agency": agency, "due_date": due, "region_code": region}]
            if rng.random() < 0.25:  # some decisions bind two agencies
                other = agencies[rng.choice(list(TASKS))]
                if other != agency:
                    actions.append(
                        {
                            "owner_agency": other,
                            "due_date": due + datetime.timedelta(days=7),
                            "title": f"Mendukung {agency.short_name}: {title[0].lower()}{title[1:]}",
                        }
                    )
            decision = services.decision_record(
                actor=admin, meeting=meeting, text=title, actions=actions
            )
            Decision.objects.filter(pk=decision.pk).update(created_at=held_at)
    _lifecycle(ctx, rng, today)


def _attendance(rng, admin, meeting) -> None:
    entries = []
    for invitee in meeting.invitees.select_related("agency"):
        kecamatan = invitee.agency.kind == "kecamatan"
        roll = rng.random()
        if invitee.agency.code == "diskopukm" or roll < (0.45 if kecamatan else 0.65):
            status = "hadir"
        elif roll < (0.7 if kecamatan else 0.87):
            status = "diwakili"
        else:
            status = "tidak_hadir"
        entries.append(
            {
                "invitee_id": invitee.pk,
                "attendance": status,
                "represented_by": "Sekretaris / Kabid terkait" if status == "diwakili" else "",
            }
        )
    services.attendance_record(actor=admin, meeting=meeting, entries=entries)


def _lifecycle(ctx, rng, today) -> None:
    """Move the decisions' follow-ups through their states, with dates true to the story."""
    admin = ctx.admin
    members = {
        u.agency_id: u
        for key, u in ctx.users.items()
        if key.startswith(("satgas", "camat")) and u.agency_id
    }
    rows = list(FollowUp.objects.filter(source_kind=FollowUp.SourceKind.MEETING).order_by("id"))
    for f in rows:
        decision = Decision.objects.only("created_at").get(pk=f.source_id)
        created = decision.created_at
        actor = members.get(f.owner_agency_id, admin)
        age = (today - timezone.localtime(created).date()).days
        roll = rng.random()
        close_days = None
        if age > 40:
            state = "selesai" if roll < 0.72 else ("dibatalkan" if roll < 0.77 else "dikerjakan")
        elif age > 14:
            state = "selesai" if roll < 0.5 else ("dikerjakan" if roll < 0.8 else "baru")
        else:
            state = "baru" if roll < 0.5 else ("dikerjakan" if roll < 0.85 else "selesai")
        if state in ("dikerjakan", "selesai"):
            followup_services.followup_set_status(actor=actor, followup=f, status="dikerjakan")
        if state == "selesai":
            followup_services.evidence_add(
                actor=actor,
                followup=f,
                note=f"Surat/laporan tindak lanjut No. {rng.randint(100, 999)}/{f.owner_agency.short_name}/{today.year} telah disampaikan ke Sekretariat Satgas.",
            )
            followup_services.followup_set_status(actor=actor, followup=f, status="selesai")
            planned = (f.due_date - timezone.localtime(created).date()).days
            close_days = max(1, int(planned * rng.uniform(0.4, 1.5)))
            close_days = min(close_days, max(age - 1, 1))
        elif state == "dibatalkan":
            followup_services.followup_set_status(
                actor=admin, followup=f, status="dibatalkan", note="Digabung dengan keputusan lain."
            )
            close_days = 10
        closed = created + datetime.timedelta(days=close_days) if close_days else None
        FollowUp.objects.filter(pk=f.pk).update(created_at=created, closed_at=closed)
        AuditEvent.objects.filter(
            object_id=str(f.pk), action="followup_create", content_type__model="followup"
        ).update(created_at=created)
        if closed:
            AuditEvent.objects.filter(object_id=str(f.pk), content_type__model="followup").exclude(
                action="followup_create"
            ).update(created_at=closed)


def _pdf_stub(title: str) -> bytes:
    """A tiny valid PDF standing in for a scanned signed decree."""
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 760, f"{title} (contoh dokumen demo)")
    page.save()
    return buffer.getvalue()
