"""Demo events: Kukar's launch of the KMP on 21 July 2025 (national launch at 10:00 WIB, 11:00
WITA; hybrid: the regency's own ceremony at Desa Tanah Datar, Muara Badak, plus one watch point
per kecamatan), with every cooperative invited (ketua + 2), the agencies and the officials, and
attendance as it might have been; and a sosialisasi today, to try the door page. Synthetic."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

from django.utils import timezone

from kawal.accounts.models import Agency
from kawal.cooperatives.models import Cooperative
from kawal.events import services
from kawal.events.models import Attendance, Registrant, Venue
from kawal.events.planner import DEFAULT_TIERS
from kawal.regions.models import Region

WIB = ZoneInfo("Asia/Jakarta")
LAUNCH = datetime.datetime(2025, 7, 21, 10, 0, tzinfo=WIB)
MAIN_DISTRICT = "64.02.05"  # Muara Badak (Desa Tanah Datar, 64.02.05.2006, lies there)
OFFICIALS = [
    ("Bupati Kutai Kartanegara", "Bupati"),
    ("Wakil Bupati Kutai Kartanegara", "Wakil Bupati"),
    ("Sekretaris Daerah", "Sekda, Ketua Satgas KMP"),
    ("Kepala Dinas Koperasi dan UKM", "Sekretaris Satgas KMP"),
    ("Ketua DPRD Kutai Kartanegara", "Ketua DPRD"),
    ("Dandim 0906/Kukar", "Forkopimda"),
    ("Kapolres Kutai Kartanegara", "Forkopimda"),
    ("Kepala Kejaksaan Negeri", "Forkopimda"),
]


def load(ctx) -> None:
    admin = ctx.admin
    rng = ctx.rng
    regency = ctx.regency_code
    districts = list(
        Region.objects.filter(level=3, regency_code=regency, is_active=True)
        .only("code", "name")
        .order_by("code")
    )
    # Planner settings: transport grows with the distance from Tenggarong (demo figures).
    services.unit_costs_save(
        actor=admin,
        region_code=regency,
        amounts={
            "meal": 50_000,
            "venue": 35_000_000,
            "data_package": 25_000,
            "nobar": 2_500_000,
            "nobar_meal": 25_000,
            "local_transport": 40_000,
            "default_transport": 200_000,
        },
        transport={d.code: 100_000 + 25_000 * rng.randint(0, 16) for d in districts},
    )
    for platform, tier, n, cost, interactive in DEFAULT_TIERS:
        services.platform_tier_save(
            actor=admin,
            region_code=regency,
            platform=platform,
            tier=tier,
            max_participants=n,
            cost=cost,
            interactive=interactive,
        )

    launch = services.event_create(
        actor=admin,
        title="Peluncuran Kelembagaan Koperasi Desa/Kelurahan Merah Putih",
        kind="launch",
        format="hybrid",
        region_id=regency,
        starts_at=LAUNCH,
        ends_at=LAUNCH + datetime.timedelta(hours=3),
        announced_zone="WIB",
        organiser="Dinas Koperasi dan UKM Kabupaten Kutai Kartanegara",
        video_url="https://siaran.contoh.go.id/peluncuran-kdkmp",
        budget_ref="DPA DiskopUKM 2025: Sosialisasi dan Peluncuran KMP (contoh)",
        delegates_per_cooperative=3,
    )
    services.venue_save(
        actor=admin,
        event=launch,
        kind=Venue.Kind.MAIN,
        name="Lapangan Desa Tanah Datar, Muara Badak",
        capacity=400,
        district_code=MAIN_DISTRICT,
        address="Desa Tanah Datar, Kecamatan Muara Badak",
    )
    # Every kecamatan hall seats its cooperatives' delegates, its camat and a few guests,
    # rounded up to tens (independent of the random draws of the apps loaded before).
    per_district = Counter(
        Cooperative.objects.filter(village__regency_code=regency).values_list(
            "village__district_code", flat=True
        )
    )
    for d in districts:
        seats = per_district[d.code] * 3 + 5
        services.venue_save(
            actor=admin,
            event=launch,
            kind=Venue.Kind.WATCH_POINT,
            name=f"Titik nobar Kantor Camat {d.name}",
            capacity=-(-seats // 10) * 10,
            district_code=d.code,
            address=f"Kantor Camat {d.name}",
        )
    cooperatives = Cooperative.objects.filter(village__regency_code=regency)
    services.invite_cooperatives(actor=admin, event=launch, cooperatives=cooperatives)
    services.invite_agencies(
        actor=admin,
        event=launch,
        agencies=Agency.objects.filter(region_id=regency, is_active=True),
        per_agency=2,
    )
    main = launch.venues.get(kind=Venue.Kind.MAIN)
    for name, position in OFFICIALS:
        services.registrant_add(
            actor=admin,
            event=launch,
            kind=Registrant.Kind.OFFICIAL,
            name=name,
            position=position,
            venue=main,
        )
    for d in districts:
        services.registrant_add(
            actor=admin,
            event=launch,
            kind=Registrant.Kind.OFFICIAL,
            name=f"Camat {d.name}",
            position="Camat",
            venue=launch.venues.get(kind=Venue.Kind.WATCH_POINT, district_id=d.code),
            district_code=d.code,
        )
    _attend(launch, rng)

    # Today's sosialisasi at one kecamatan hall: the door page can be tried on it.
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)))
    sosialisasi = services.event_create(
        actor=admin,
        title="Sosialisasi Tata Kelola Gerai KMP Kecamatan Tenggarong",
        kind="sosialisasi",
        format="offline",
        region_id=regency,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=10),
        announced_zone="WITA",
        organiser="Dinas Koperasi dan UKM Kabupaten Kutai Kartanegara",
        delegates_per_cooperative=2,
        self_registration=True,
    )
    services.venue_save(
        actor=admin,
        event=sosialisasi,
        kind=Venue.Kind.MAIN,
        name="Aula Kantor Camat Tenggarong",
        capacity=60,
        district_code="64.02.06",
        address="Jl. Wolter Monginsidi, Tenggarong",
    )
    services.invite_cooperatives(
        actor=admin,
        event=sosialisasi,
        cooperatives=Cooperative.objects.filter(village__district_code="64.02.06"),
    )


def _attend(event, rng) -> None:
    """About 88% of the invited came: recorded as the door and the links would have."""
    rows, seats = [], {}
    for r in Registrant.objects.filter(event=event).only("pk", "venue_id", "district_code"):
        if rng.random() > 0.88:
            continue
        at = event.starts_at - datetime.timedelta(minutes=rng.randint(0, 90))
        rows.append(
            Attendance(
                registrant_id=r.pk,
                event=event,
                venue_id=r.venue_id,
                district_code=r.district_code,
                method=Attendance.Method.DOOR if r.venue_id else Attendance.Method.LINK,
                checked_in_at=at,
            )
        )
        if r.venue_id:
            seats[r.venue_id] = seats.get(r.venue_id, 0) + 1
    Attendance.objects.bulk_create(rows, batch_size=1000)
    for venue in Venue.objects.filter(pk__in=seats):
        venue.checked_in = seats[venue.pk]
        venue.save(update_fields=["checked_in"])
