"""XLSX export of the monthly status list (reuses selectors.export_rows)."""

from kawal.business import rules

HEADERS = [
    "kode_desa",
    "koperasi",
    "bulan",
    "status",
    "alasan",
    "skor_kesehatan",
    "versi_instrumen",
    "omzet_terverifikasi",
    "omzet_dilaporkan",
]


def rows(statuses):
    for s in statuses.iterator(chunk_size=2000):
        yield [
            s.cooperative.village_id,
            s.cooperative.name,
            f"{s.month:%Y-%m}",
            s.get_status_display(),
            rules.explain(s.status, s.reason),
            s.score,
            s.score_version,
            s.revenue,
            s.month_revenue,
        ]
