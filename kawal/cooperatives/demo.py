"""Demo registry: one KMP for each of Kukar's 237 villages, with officers and outlets.

All people and numbers are synthetic (ctx.rng / ctx.faker, deterministic). A few cooperatives
break a rule on purpose (name, even number of pengurus, a BPD member on the board, no women,
declared family ties, a pengawas not chaired by the kepala desa) so the warnings show.
"""

import datetime
from collections import Counter

from kawal.cooperatives import services
from kawal.cooperatives.models import MIN_LAND_M2, Officer, Outlet, Sex
from kawal.regions.models import Region

LAUNCH_VILLAGE = "64.02.05.2006"  # Desa Tanah Datar, Muara Badak (launch on 21 July 2025)
OPERATING = 7  # Nov 2025: 7 of 237 operating
UNDER_CONSTRUCTION = 80  # Feb 2026: about 80 outlets under construction
LAND_OK_SHARE = 0.30  # about 30% of villages have land meeting the 1,000 m² rule

PENGURUS = [
    Officer.Position.KETUA,
    Officer.Position.WAKIL_KETUA_USAHA,
    Officer.Position.WAKIL_KETUA_ANGGOTA,
    Officer.Position.SEKRETARIS,
    Officer.Position.BENDAHARA,
]


def kmp_name(village: Region, kecamatan_name: str, duplicated: bool) -> str:
    kind = "Kelurahan" if village.kind == "kelurahan" else "Desa"
    name = f"Koperasi {kind} Merah Putih {village.name}"
    return f"{name} Kecamatan {kecamatan_name}" if duplicated else name


def demo_nik(ctx, district_code: str, female: bool) -> str:
    """A structurally valid, synthetic NIK issued in the village's kecamatan."""
    born = datetime.date(1965, 1, 1) + datetime.timedelta(days=ctx.rng.randrange(0, 365 * 35))
    day = born.day + (40 if female else 0)
    ctx.nik_serial = getattr(ctx, "nik_serial", 0) + 1
    serial = 1 + ctx.nik_serial % 9998
    return f"{district_code.replace('.', '')}{day:02d}{born:%m%y}{serial:04d}"


def _person(ctx, female: bool) -> str:
    return ctx.faker.name_female() if female else ctx.faker.name_male()


def _officers(ctx, cooperative, village, violation: str | None) -> None:
    district = village.district_code
    term_start = datetime.date(2025, 6, ctx.rng.randint(1, 20))
    term_end = term_start.replace(year=2030)
    positions = list(PENGURUS)
    if violation == "even":
        positions = positions[:4]
    women = {ctx.rng.randrange(len(positions)), ctx.rng.randrange(len(positions))}
    if violation == "no_women":
        women = set()
    names = []
    for i, position in enumerate(positions):
        female = i in women
        name = _person(ctx, female)
        names.append(name)
        services.officer_create(
            actor=ctx.admin,
            cooperative=cooperative,
            body=Officer.Body.PENGURUS,
            position=position,
            name=name,
            sex=Sex.FEMALE if female else Sex.MALE,
            nik=demo_nik(ctx, district, female),
            phone=ctx.faker.numerify("08##########"),
            term_start=term_start,
            term_end=term_end,
            is_bpd_member=violation == "bpd" and i == 3,
            family_ties=f"adik dari {names[0]}" if violation == "family" and i == 4 else "",
        )
    head_female = ctx.rng.random() < 0.1 and violation != "no_women"
    pengawas = [
        (Officer.Position.KETUA_PENGAWAS, violation != "chair", head_female),
        (Officer.Position.ANGGOTA, False, False),
        (Officer.Position.ANGGOTA, False, ctx.rng.random() < 0.4 and violation != "no_women"),
    ]
    for position, is_head, female in pengawas:
        services.officer_create(
            actor=ctx.admin,
            cooperative=cooperative,
            body=Officer.Body.PENGAWAS,
            position=position,
            name=_person(ctx, female),
            sex=Sex.FEMALE if female else Sex.MALE,
            nik=demo_nik(ctx, district, female),
            term_start=term_start,
            term_end=term_end,
            is_village_head=is_head,
            is_village_official=is_head,
        )


def _outlets(ctx, cooperative, village, state: str, land_ok: bool) -> None:
    area = (
        ctx.rng.randrange(MIN_LAND_M2, 3000, 50)
        if land_ok
        else ctx.rng.choice([None, ctx.rng.randrange(200, MIN_LAND_M2, 25)])
    )
    lat = (village.lat or -0.4) + ctx.rng.uniform(-0.004, 0.004)
    lng = (village.lng or 117.0) + ctx.rng.uniform(-0.004, 0.004)
    status = {
        "operating": Outlet.Status.BEROPERASI,
        "building": Outlet.Status.PEMBANGUNAN,
    }.get(state, ctx.rng.choice([Outlet.Status.RENCANA, Outlet.Status.PERSIAPAN]))
    progress = {"operating": 100, "building": ctx.rng.randrange(10, 95, 5)}.get(state, 0)
    services.outlet_create(
        actor=ctx.admin,
        cooperative=cooperative,
        outlet_type=Outlet.Type.SEMBAKO,
        kbli="47111",
        status=status,
        progress_pct=progress,
        has_electricity=state != "plan" or ctx.rng.random() < 0.6,
        has_internet=state == "operating" or ctx.rng.random() < 0.4,
        has_clean_water=state == "operating" or ctx.rng.random() < 0.5,
        land_area_m2=area,
        land_ownership=ctx.rng.choice([Outlet.LandOwnership.DESA, Outlet.LandOwnership.PEMDA])
        if area
        else "",
        lat=round(lat, 6),
        lng=round(lng, 6),
    )
    if state == "operating" or ctx.rng.random() < 0.3:
        services.outlet_create(
            actor=ctx.admin,
            cooperative=cooperative,
            outlet_type=ctx.rng.choice([Outlet.Type.APOTEK, Outlet.Type.SIMPAN_PINJAM]),
            status=Outlet.Status.BEROPERASI if state == "operating" else Outlet.Status.RENCANA,
            progress_pct=100 if state == "operating" else 0,
        )


def load(ctx) -> None:
    villages = list(Region.objects.filter(regency_code=ctx.regency_code, level=4).order_by("code"))
    districts = dict(
        Region.objects.filter(regency_code=ctx.regency_code, level=3).values_list("code", "name")
    )
    name_counts = Counter(v.name for v in villages)
    codes = [v.code for v in villages]
    rng = ctx.rng
    # Formation progress decides which cooperatives can be operating or building (see
    # formation/demo.py): the ones without a legal entity are in Tabang and Muara Wis.
    early = [c for c in codes if c[:8] not in ("64.02.12", "64.02.18")]
    operating = {LAUNCH_VILLAGE, *rng.sample([c for c in early if c != LAUNCH_VILLAGE], 6)}
    building = set(rng.sample([c for c in early if c not in operating], UNDER_CONSTRUCTION))
    land_ok = set(rng.sample(codes, round(LAND_OK_SHARE * len(codes)))) | operating
    odd_names = set(rng.sample(codes, 5))
    violations = dict(
        zip(
            rng.sample(codes, 12),
            ["even", "even", "bpd", "bpd", "no_women", "no_women", "family", "family"]
            + ["chair", "chair", "chair", "even"],
            strict=True,
        )
    )
    syariah = set(rng.sample(codes, 3)) - odd_names
    ctx.cooperatives = {}
    ctx.coop_state = {}
    for village in villages:
        kecamatan = districts[village.district_code]
        name = kmp_name(village, kecamatan, name_counts[village.name] > 1)
        if village.code in syariah:
            name = name.replace("Koperasi ", "Koperasi Syariah ", 1)
        if village.code in odd_names:
            name = f"KMP {village.name}"
        members_f = rng.randrange(8, 120)
        cooperative = services.cooperative_create(
            actor=ctx.admin,
            village=village,
            name=name,
            is_syariah=village.code in syariah,
            business_type=rng.choice(["konsumen", "konsumen", "konsumen", "produsen"]),
            address=f"Jl. {ctx.faker.street_name()} No. {rng.randrange(1, 80)}, {village.display_name}",
            lat=round((village.lat or -0.4) + rng.uniform(-0.003, 0.003), 6),
            lng=round((village.lng or 117.0) + rng.uniform(-0.003, 0.003), 6),
            simpanan_pokok=rng.choice([50_000, 100_000, 100_000, 150_000]),
            simpanan_wajib=rng.choice([10_000, 20_000, 25_000]),
            hibah=rng.choice([0, 0, 0, 5_000_000, 10_000_000]),
            members_male=rng.randrange(12, 160),
            members_female=members_f,
        )
        state = (
            "operating"
            if village.code in operating
            else "building"
            if village.code in building
            else "plan"
        )
        ctx.cooperatives[village.code] = cooperative
        ctx.coop_state[village.code] = state
        _officers(ctx, cooperative, village, violations.get(village.code))
        _outlets(ctx, cooperative, village, state, village.code in land_ok)
