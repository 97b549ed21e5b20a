"""XLSX export of the overlap/complement analysis: one row per village, scoped like the list."""

from kawal.potential import analysis

HEADERS = [
    "kode_desa",
    "desa",
    "kode_kecamatan",
    "kecamatan",
    "status",
    "skor_kesiapan",
    "tumpang_tindih",
    "potensi_belum_digarap",
    "kemitraan",
    "pelengkap",
    "bumdes",
    "bumdes_aktif",
    "komoditas_utama",
    "unit_prioritas",
    "temuan",
]


def analysis_rows(rows: list[dict], district_names: dict, readiness: dict):
    """`readiness`: cooperative id → latest counted assessment (readiness.selectors)."""
    for row in rows:
        data = row["data"]
        latest = readiness.get(data.cooperative.pk) if data.cooperative else None
        recs = [r for r in analysis.recommend(data, latest.category if latest else "") if r.first]
        yield [
            row["code"],
            data.village.name,
            data.village.district_code,
            district_names.get(data.village.district_code, ""),
            str(analysis.KIND_LABELS[row["status"]]),
            latest.score if latest else "",
            row["counts"].get(analysis.TUMPANG_TINDIH, 0),
            row["counts"].get(analysis.BELUM_DIGARAP, 0),
            row["counts"].get(analysis.KEMITRAAN, 0),
            row["counts"].get(analysis.PELENGKAP, 0),
            data.bumdes.name if data.bumdes else "",
            (data.bumdes.is_active if data.bumdes else ""),
            ", ".join(c.commodity.name for c in analysis.strong_commodities(data)),
            ", ".join(r.label for r in recs),
            " | ".join(f"[{f.label}] {f.text}" for f in row["findings"]),
        ]
