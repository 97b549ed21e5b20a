"""Demo training (synthetic people, labelled DATA DEMO).

What follows the record: the province's session on partnerships, financing and the ministry's
microsite app on 21 August 2025 in Tenggarong, and the regency's first batch on 13–15 November
2025 at Pendopo Odah Etam, Tenggarong, for about 130 officers from Tenggarong, Tenggarong
Seberang, Loa Kulu, Sebulu and Loa Janan; then Muara Kaman and onwards, seven batches in all,
until every KMP was reached. The venues and dates of batches 2–7 are placed by us. A follow-up
batch is planned two weeks from today, with nobody invited yet, so proposals show.
"""

import datetime

from django.utils import timezone

from kawal.accounts.models import Grant, User
from kawal.budget import services as budget_services
from kawal.budget.demo import TRAINING_2025, TRAINING_2026
from kawal.budget.models import BudgetLine
from kawal.budget.selectors import commitments_for
from kawal.cooperatives.models import Officer
from kawal.core.demo import DEMO_PASSWORD
from kawal.core.scope import Role
from kawal.regions.models import Region
from kawal.training import services
from kawal.training.models import STANDARD_MODULES, Module, Participant, Programme

COST = 1_150_000
# (number, start, venue, venue kecamatan, kecamatan served)
BATCHES = [
    (
        1,
        datetime.date(2025, 11, 13),
        "Pendopo Odah Etam, Tenggarong",
        "64.02.06",
        ["64.02.06", "64.02.16", "64.02.02", "64.02.07", "64.02.03"],
    ),
    (
        2,
        datetime.date(2025, 11, 17),
        "Aula Kantor Camat Muara Kaman",
        "64.02.11",
        ["64.02.11", "64.02.08", "64.02.19"],
    ),
    (
        3,
        datetime.date(2025, 11, 19),
        "Balai Pertemuan Kembang Janggut",
        "64.02.10",
        ["64.02.10", "64.02.12"],
    ),
    (
        4,
        datetime.date(2025, 11, 21),
        "Aula Kecamatan Muara Muntai",
        "64.02.01",
        ["64.02.01", "64.02.09", "64.02.18"],
    ),
    (
        5,
        datetime.date(2025, 11, 24),
        "Gedung Serbaguna Muara Badak",
        "64.02.05",
        ["64.02.05", "64.02.17", "64.02.04"],
    ),
    (
        6,
        datetime.date(2025, 11, 26),
        "Aula Kecamatan Samboja",
        "64.02.13",
        ["64.02.13", "64.02.20"],
    ),
    (
        7,
        datetime.date(2025, 11, 28),
        "Pendopo Kecamatan Muara Jawa",
        "64.02.14",
        ["64.02.14", "64.02.15"],
    ),
]
PRIORITY = [
    "ketua",
    "bendahara",
    "ketua_pengawas",
    "sekretaris",
    "wakil_ketua_usaha",
    "wakil_ketua_anggota",
    "anggota",
]


def _officers_by_district(codes) -> dict[int, list[Officer]]:
    found: dict[int, list[Officer]] = {}
    rows = Officer.objects.filter(
        is_active=True, cooperative__village__district_code__in=codes
    ).order_by("cooperative__village_id", "id")
    for officer in rows:
        found.setdefault(officer.cooperative_id, []).append(officer)
    for officers in found.values():
        officers.sort(key=lambda o: PRIORITY.index(o.position) if o.position in PRIORITY else 9)
    return found


def _invite_list(by_coop: dict[int, list[Officer]], capacity: int) -> list[int]:
    """Round after round (every ketua, then every bendahara, ...) until the batch is full."""
    chosen = []
    deepest = max((len(o) for o in by_coop.values()), default=0)
    for rank in range(deepest):
        for officers in by_coop.values():
            if rank < len(officers) and len(chosen) < capacity:
                chosen.append(officers[rank].pk)
    return chosen


def _run(ctx, actor, batch, officer_ids, invited_on, present_rate=0.93, scores=False):
    rng = ctx.rng
    participants = services.participants_add(
        actor=actor, batch=batch, officer_ids=officer_ids, invited_on=invited_on
    )
    for p in participants:
        roll = rng.random()
        if roll < 0.03:
            services.participant_set_invitation(
                actor=actor, participant=p, invitation=Participant.Invitation.DECLINED
            )
            continue
        p.batch = batch
        for day in batch.days:
            if rng.random() < present_rate:
                services.attendance_set(actor=actor, participant=p, day=day, present=True)
    batch.refresh_from_db()
    services.batch_close(actor=actor, batch=batch, expected_version=batch.version)
    if scores:
        for p in batch.participants.filter(completed=True):
            pre = rng.randint(35, 70)
            services.participant_result(
                actor=actor,
                participant=p,
                completed=True,
                pre_score=pre,
                post_score=min(pre + rng.randint(8, 30), 100),
            )


def _province_admin(ctx) -> User:
    user = User.objects.filter(username="dinas.provinsi").first()
    if user is None:
        # Bootstrap like the first administrator: the regency admin may not grant a province role.
        user = User.objects.create_user(
            "dinas.provinsi", password=DEMO_PASSWORD, first_name="Admin", last_name="Provinsi"
        )
        Grant.objects.create(user=user, role=Role.ADMIN_DINAS, region_id="64")
        ctx.logins.append(("dinas.provinsi", "Dinas Koperasi Provinsi Kalimantan Timur"))
    return user


def load(ctx) -> None:
    admin = ctx.admin
    regency = ctx.regency_code
    today = timezone.localdate()
    faker = ctx.faker

    # The province's session, 21 August 2025, Tenggarong (one day, ketua of many KMP).
    province = _province_admin(ctx)
    session = services.programme_create(
        actor=province,
        region_code="64",
        title="Sosialisasi Kemitraan, Pembiayaan dan Aplikasi Microsite KMP",
        modules=[Module.PARTNERSHIP, Module.DIGITAL],
        target_groups=["pengurus"],
        method=Programme.Method.OFFLINE,
        description="Diselenggarakan oleh Dinas Koperasi dan UKM Provinsi Kalimantan Timur.",
    )
    districts = list(
        Region.objects.filter(level=3, regency_code=regency).values_list("code", flat=True)
    )
    batch = services.batch_create(
        actor=province,
        programme=session,
        districts=districts,
        number=1,
        start_date=datetime.date(2025, 8, 21),
        end_date=datetime.date(2025, 8, 21),
        venue="Tenggarong",
        venue_region=Region.objects.get(code="64.02.06"),
        capacity=250,
        trainers="Dinas Koperasi dan UKM Provinsi Kalimantan Timur\nMitra perbankan (Himbara)",
    )
    ketua = list(
        Officer.objects.filter(
            is_active=True,
            position="ketua",
            cooperative__village__regency_code=regency,
        )
        .order_by("cooperative__village_id")
        .values_list("pk", flat=True)
    )
    _run(ctx, province, batch, ketua[::2], datetime.date(2025, 8, 11), present_rate=0.85)

    # The regency's programme, funded by the refocused line.
    line = BudgetLine.objects.get(description=TRAINING_2025)
    programme = services.programme_create(
        actor=admin,
        region_code=regency,
        title="Pelatihan Pengurus dan Pengawas KMP Kabupaten Kutai Kartanegara",
        modules=[m.value for m in STANDARD_MODULES],
        target_groups=["pengurus", "pengawas"],
        method=Programme.Method.OFFLINE,
        budget_line=line,
        cost_per_participant=COST,
        description="Materi standar kementerian; tiga hari per angkatan.",
    )
    for number, start, venue, venue_district, served in BATCHES:
        batch = services.batch_create(
            actor=admin,
            programme=programme,
            districts=served,
            number=number,
            start_date=start,
            end_date=start + datetime.timedelta(days=2),
            venue=venue,
            venue_region=Region.objects.get(code=venue_district),
            capacity=130,
            trainers="\n".join(["Tim Dinas Koperasi dan UKM Kukar", faker.name(), faker.name()]),
        )
        services.batch_commit_budget(
            actor=admin, batch=batch, committed_on=start - datetime.timedelta(days=14)
        )
        by_coop = _officers_by_district(served)
        _run(
            ctx,
            admin,
            batch,
            _invite_list(by_coop, 130),
            start - datetime.timedelta(days=10),
            scores=number == 1,
        )
        commitment = commitments_for(ref_app="training", ref_ids=[batch.pk])[batch.pk]
        present = (
            batch.participants.filter(seats__registrant__attendance__isnull=False)
            .distinct()
            .count()
        )
        budget_services.spend_record(
            actor=admin,
            commitment=commitment,
            amount=present * COST,
            spent_on=start + datetime.timedelta(days=20),
            document_reference=f"SP2D {900 + number:05d}/LS/2025 (DEMO)",
            description=f"Angkatan {number}: {present} peserta hadir",
        )

    # A follow-up programme for 2026, one batch planned two weeks from today.
    followup = services.programme_create(
        actor=admin,
        region_code=regency,
        title="Pelatihan Lanjutan Manajemen Usaha dan Pajak KMP",
        modules=[Module.BUSINESS, Module.FINANCE, Module.TAX, Module.PROPOSAL],
        target_groups=["pengurus", "pengawas"],
        method=Programme.Method.HYBRID,
        budget_line=BudgetLine.objects.get(description=TRAINING_2026),
        cost_per_participant=950_000,
    )
    start = today + datetime.timedelta(days=14)
    services.batch_create(
        actor=admin,
        programme=followup,
        districts=["64.02.06", "64.02.16", "64.02.02"],
        number=1,
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        venue="Pendopo Odah Etam, Tenggarong",
        venue_region=Region.objects.get(code="64.02.06"),
        capacity=60,
        trainers="Tim Dinas Koperasi dan UKM Kukar\nKPP Pratama Tenggarong",
    )
