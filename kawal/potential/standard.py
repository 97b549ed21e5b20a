"""The standard list of sectors and commodities fitted to Kukar (loaded by a data migration)."""

# (code, name, serving business lines, [(commodity, usual unit)])
STANDARD_SECTORS = [
    (
        "pangan",
        "Tanaman pangan",
        "logistik,saprotan,pengolahan",
        [
            ("Padi sawah", "ton"),
            ("Padi ladang", "ton"),
            ("Jagung", "ton"),
            ("Ubi kayu", "ton"),
            ("Sayuran", "ton"),
        ],
    ),
    (
        "perkebunan",
        "Kelapa sawit dan perkebunan",
        "logistik,saprotan",
        [
            ("Kelapa sawit (TBS)", "ton"),
            ("Karet", "ton"),
            ("Kakao", "ton"),
            ("Lada", "ton"),
            ("Kelapa", "ton"),
        ],
    ),
    (
        "perikanan",
        "Perikanan dan budidaya",
        "cold_storage,logistik",
        [
            ("Udang tambak", "ton"),
            ("Ikan tangkap sungai", "ton"),
            ("Ikan tangkap laut", "ton"),
            ("Ikan keramba", "ton"),
            ("Bandeng", "ton"),
            ("Rumput laut", "ton"),
        ],
    ),
    (
        "peternakan",
        "Peternakan",
        "cold_storage,saprotan",
        [("Sapi potong", "ekor"), ("Ayam ras", "ekor"), ("Kambing", "ekor"), ("Telur ayam", "ton")],
    ),
    (
        "jasa_tambang",
        "Jasa pertambangan dan migas",
        "logistik",
        [("Jasa angkutan tambang", "paket"), ("Catering pekerja tambang", "paket")],
    ),
    (
        "perdagangan",
        "Perdagangan",
        "sembako,logistik",
        [("Perdagangan eceran", "unit usaha"), ("Pasar desa", "unit usaha")],
    ),
    (
        "pariwisata",
        "Pariwisata",
        "wisata",
        [("Wisata alam dan budaya", "kunjungan"), ("Kerajinan", "unit")],
    ),
]


def load_standard_list(sector_model=None, commodity_model=None) -> None:
    """Create the standard sectors and commodities that are missing (idempotent)."""
    if sector_model is None:
        from kawal.potential.models import CommodityType, Sector

        sector_model, commodity_model = Sector, CommodityType
    for order, (code, name, serving, commodities) in enumerate(STANDARD_SECTORS):
        sector, _ = sector_model.objects.get_or_create(
            code=code, defaults={"name": name, "serving_units": serving, "order": order}
        )
        for c_order, (c_name, unit) in enumerate(commodities):
            commodity_model.objects.get_or_create(
                sector=sector, name=c_name, defaults={"default_unit": unit, "order": c_order}
            )
