"""XLSX exports of visits and consultations. They reuse the list selectors, so scope and the
page's filters apply, and they stream (kawal.core.xlsx)."""

from django.utils import timezone

VISIT_HEADERS = [
    "tanggal_kunjungan",
    "kode_desa",
    "koperasi",
    "kode_kecamatan",
    "pendamping",
    "tujuan",
    "temuan",
    "jumlah_rekomendasi",
    "jumlah_foto",
    "lat",
    "lng",
    "jarak_km",
    "tanda_jauh",
    "tanda_terlambat",
    "dicatat_pada",
]

CONSULTATION_HEADERS = [
    "tanggal",
    "kode_desa",
    "koperasi",
    "nama_pengunjung",
    "peran_pengunjung",
    "topik",
    "pertanyaan",
    "saran",
    "dirujuk_ke",
    "dilayani_oleh",
    "dilayani_pada",
]


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def visit_rows(visits):
    for v in visits.iterator(chunk_size=2000):
        yield [
            v.visit_date,
            v.cooperative.village_id,
            v.cooperative.name,
            v.cooperative.village.district_code,
            str(v.mentor),
            v.purpose,
            v.findings,
            v.recommendation_count,
            v.photo_count,
            v.lat,
            v.lng,
            v.distance_km,
            v.flag_far,
            v.flag_late,
            _local(v.created_at),
        ]


def consultation_rows(consultations):
    for c in consultations.iterator(chunk_size=2000):
        yield [
            c.date,
            c.cooperative.village_id,
            c.cooperative.name,
            c.visitor_name,
            c.get_visitor_role_display(),
            c.topic,
            c.question,
            c.advice,
            c.referral_agency.short_name if c.referral_agency else "",
            str(c.served_by) if c.served_by else "",
            _local(c.served_at),
        ]
