"""Scorecard export (XLSX): the same numbers as the Sekda page, for the period asked."""

SCORECARD_HEADERS = [
    "peringkat",
    "kode_instansi",
    "instansi",
    "ditugaskan",
    "selesai",
    "selesai_tepat_waktu",
    "persen_tepat_waktu",
    "terlambat",
    "median_hari_penyelesaian",
    "undangan_rapat",
    "hadir_atau_diwakili",
    "persen_kehadiran",
]


def _round(value):
    return None if value is None else round(value, 1)


def scorecard_rows(cards):
    for c in cards:
        yield [
            c["rank"],
            c["agency"].code,
            c["agency"].name,
            c["assigned"],
            c["done"],
            c["on_time"],
            _round(c["on_time_rate"]),
            c["overdue"],
            _round(c["median_days"]),
            c["invited"],
            c["attended"],
            _round(c["attendance_rate"]),
        ]
