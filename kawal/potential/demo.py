"""Demo potential: synthetic but plausible Kukar village profiles, commodities and BUMDes.

Fisheries in the Mahakam delta and on the coast (Anggana, Muara Jawa, Muara Badak, Sanga Sanga,
Samboja, Marang Kayu), palm oil and rubber upriver (Muara Kaman, Kembang Janggut, Tabang, Sebulu,
Kenohan), river fish in the lakes district (Muara Muntai, Kota Bangun, Muara Wis), rice and
vegetables around Tenggarong Seberang and Loa Kulu, mining services near Loa Janan, trade and
tourism in Tenggarong. Every desa gets a BUMDes, roughly half of them active; kelurahan get none.
"""

from decimal import Decimal

from kawal.potential import services
from kawal.potential.models import CommodityType
from kawal.regions.models import Region

# kecamatan suffix -> [(commodity name, volume range, price per unit in Rp)]
PROFILES = {
    "04": [
        ("Udang tambak", (40, 400), 80_000_000),
        ("Ikan tangkap laut", (50, 300), 25_000_000),
        ("Bandeng", (20, 150), 22_000_000),
    ],
    "14": [
        ("Udang tambak", (30, 300), 80_000_000),
        ("Ikan tangkap laut", (40, 250), 25_000_000),
        ("Rumput laut", (10, 80), 8_000_000),
    ],
    "05": [
        ("Udang tambak", (20, 200), 80_000_000),
        ("Ikan tangkap laut", (30, 200), 25_000_000),
        ("Kelapa sawit (TBS)", (200, 2000), 2_500_000),
    ],
    "15": [("Ikan tangkap laut", (20, 120), 25_000_000), ("Sayuran", (10, 60), 8_000_000)],
    "13": [
        ("Ikan tangkap laut", (30, 200), 25_000_000),
        ("Lada", (5, 40), 70_000_000),
        ("Ayam ras", (5000, 40000), 40_000),
    ],
    "17": [
        ("Ikan tangkap laut", (30, 200), 25_000_000),
        ("Kelapa sawit (TBS)", (300, 3000), 2_500_000),
    ],
    "11": [
        ("Kelapa sawit (TBS)", (800, 8000), 2_500_000),
        ("Karet", (20, 200), 12_000_000),
        ("Ikan tangkap sungai", (10, 80), 20_000_000),
    ],
    "10": [("Kelapa sawit (TBS)", (600, 6000), 2_500_000), ("Karet", (30, 250), 12_000_000)],
    "12": [
        ("Karet", (20, 150), 12_000_000),
        ("Kelapa sawit (TBS)", (200, 2000), 2_500_000),
        ("Wisata alam dan budaya", (500, 4000), 50_000),
    ],
    "07": [("Kelapa sawit (TBS)", (400, 4000), 2_500_000), ("Padi sawah", (100, 600), 6_000_000)],
    "09": [
        ("Ikan tangkap sungai", (30, 200), 20_000_000),
        ("Kelapa sawit (TBS)", (200, 2000), 2_500_000),
    ],
    "01": [("Ikan tangkap sungai", (40, 300), 20_000_000), ("Ikan keramba", (10, 100), 30_000_000)],
    "08": [("Ikan tangkap sungai", (30, 250), 20_000_000), ("Padi sawah", (80, 500), 6_000_000)],
    "18": [("Ikan tangkap sungai", (30, 200), 20_000_000), ("Ikan keramba", (10, 80), 30_000_000)],
    "16": [
        ("Padi sawah", (300, 2000), 6_000_000),
        ("Jagung", (50, 400), 4_500_000),
        ("Sayuran", (20, 150), 8_000_000),
    ],
    "02": [
        ("Padi sawah", (150, 900), 6_000_000),
        ("Jasa angkutan tambang", (10, 60), 25_000_000),
        ("Sayuran", (10, 80), 8_000_000),
    ],
    "03": [
        ("Jasa angkutan tambang", (20, 100), 25_000_000),
        ("Catering pekerja tambang", (50, 300), 3_000_000),
        ("Sayuran", (10, 80), 8_000_000),
    ],
    "06": [
        ("Perdagangan eceran", (50, 400), 4_000_000),
        ("Wisata alam dan budaya", (2000, 20000), 50_000),
        ("Kerajinan", (200, 2000), 150_000),
    ],
    "19": [("Padi sawah", (150, 900), 6_000_000), ("Sapi potong", (50, 400), 15_000_000)],
    "20": [
        ("Sapi potong", (80, 500), 15_000_000),
        ("Lada", (5, 40), 70_000_000),
        ("Ayam ras", (5000, 30000), 40_000),
    ],
}
RIVER_DISTRICTS = {"01", "08", "09", "18"}
REMOTE_DISTRICTS = {"10", "12"}
# BUMDes unit categories and typical names, weighted by how common they are.
UNITS = [
    ("sembako", "Toko desa", "47111", 30),
    ("simpan_pinjam", "Unit simpan pinjam", "64142", 14),
    ("air_bersih", "Air bersih desa", "36001", 12),
    ("persewaan", "Persewaan alat dan tenda", "77300", 10),
    ("lpg", "Pangkalan LPG", "47730", 10),
    ("saprotan", "Kios pupuk dan saprotan", "46652", 8),
    ("pengolahan", "Pengolahan hasil desa", "10299", 8),
    ("wisata", "Wisata desa", "93241", 5),
    ("logistik", "Angkutan barang desa", "52291", 3),
]
BUMDES_NAMES = (
    "Maju Bersama",
    "Sejahtera",
    "Karya Mandiri",
    "Mitra Usaha",
    "Bina Desa",
    "Harapan",
    "Tunas Makmur",
    "Berkah",
)


def _pick_units(rng, suffix: str) -> list[tuple]:
    pool = list(UNITS)
    if suffix in ("04", "14", "05", "13", "17", "01", "08", "18", "09"):
        pool.append(("pengolahan", "Pengolahan ikan asin dan amplang", "10213", 12))
    if suffix in ("11", "10", "07", "16", "02", "19"):
        pool.append(("saprotan", "Kios pupuk tani", "46652", 12))
    if suffix in ("06", "12"):
        pool.append(("wisata", "Pengelola wisata desa", "93241", 12))
    chosen = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        cat, name, kbli, _w = rng.choices(pool, weights=[p[3] for p in pool])[0]
        if all(c[0] != cat for c in chosen):
            chosen.append((cat, name, kbli))
    return chosen


def load(ctx) -> None:
    rng = ctx.rng
    admin = ctx.admin
    types = {t.name: t for t in CommodityType.objects.all()}
    villages = Region.objects.filter(regency_code=ctx.regency_code, level=4)
    for village in villages.order_by("code"):
        suffix = village.district_code[-2:]
        is_kelurahan = village.kind == "kelurahan"
        population = rng.randint(4000, 18000) if is_kelurahan else rng.randint(700, 7000)
        idm = ""
        if not is_kelurahan:
            idm = rng.choices(
                ["mandiri", "maju", "berkembang", "tertinggal", "sangat_tertinggal"],
                weights=[12, 35, 40, 10, 3],
            )[0]
        access = "jalan"
        if suffix in RIVER_DISTRICTS:
            access = rng.choice(["sungai", "keduanya"])
        elif suffix in REMOTE_DISTRICTS:
            access = rng.choice(["jalan", "terbatas", "sungai"])
        services.profile_save(
            actor=admin,
            village=village,
            population=population,
            households=population * 10 // rng.randint(36, 42),
            idm_status=idm,
            idm_year=2024 if idm else None,
            has_market=rng.random() < (0.85 if is_kelurahan else 0.35),
            has_health_facility=rng.random() < (0.95 if is_kelurahan else 0.5),
            has_internet=rng.random() < (0.95 if is_kelurahan else 0.65),
            has_electricity=rng.random() < (0.6 if suffix in REMOTE_DISTRICTS else 0.95),
            access=access,
            land_available_m2=rng.choice([None, 400, 600, 800, 1000, 1200, 1500, 2000, 3000]),
            notes="",
        )
        picks = PROFILES.get(suffix, [])
        for i, (name, (low, high), price) in enumerate(picks[: rng.choice((1, 2, 3, 3))]):
            ctype = types[name]
            volume = rng.randint(low, high)
            services.commodity_save(
                actor=admin,
                village=village,
                commodity_type=ctype,
                volume=Decimal(volume),
                unit=ctype.default_unit,
                estimated_value=volume * price,
                is_main=i == 0,
            )
        if is_kelurahan:
            continue
        active = rng.random() < 0.5
        legal = rng.choices(["badan_hukum", "proses", "belum"], weights=[55, 25, 20])[0]
        bumdes = services.bumdes_save(
            actor=admin,
            village=village,
            name=f"BUMDes {rng.choice(BUMDES_NAMES)} {village.name.title()}",
            legal_status=legal,
            legal_number=f"AHU-{rng.randint(10000, 99999)}.AH.01.33.2024"
            if legal == "badan_hukum"
            else "",
            is_active=active,
            yearly_revenue=rng.randrange(20, 800) * 1_000_000
            if active
            else rng.choice([None, 0, 5_000_000]),
            revenue_year=2024,
            contact_name=ctx.faker.name(),
            phone=ctx.faker.numerify("08##########"),
            notes="",
        )
        for category, name, kbli in _pick_units(rng, suffix):
            running = active and rng.random() < 0.85
            services.bumdes_unit_save(
                actor=admin,
                bumdes=bumdes,
                name=name,
                category=category,
                kbli=kbli,
                is_active=running,
                runs_well=running and rng.random() < 0.4,
            )
    # Readiness assessments read the BUMDes too, so they are made once the registry is filled.
    from kawal.readiness.demo import load_assessments

    load_assessments(ctx)
