"""Follow-up export: the list selector (so scope and filters apply), streamed as XLSX."""

from django.utils import timezone

from kawal.followups.models import FollowUp

HEADERS = [
    "id",
    "judul",
    "instansi_penanggung_jawab",
    "penanggung_jawab_orang",
    "tenggat",
    "status",
    "terlambat_hari",
    "sumber",
    "kode_wilayah",
    "wilayah",
    "koperasi",
    "dibuat",
    "ditutup",
]


def followup_rows(rows):
    today = timezone.localdate()
    for f in rows.iterator(chunk_size=2000):
        late = (today - f.due_date).days if f.is_open and f.due_date < today else 0
        yield [
            f.pk,
            f.title,
            f.owner_agency.short_name,
            str(f.owner_user) if f.owner_user_id else "",
            f.due_date,
            FollowUp.Status(f.status).label,
            late,
            FollowUp.SourceKind(f.source_kind).label,
            f.region_id,
            f.region.name,
            f.cooperative.name if f.cooperative_id else "",
            timezone.localtime(f.created_at),
            timezone.localtime(f.closed_at) if f.closed_at else None,
        ]
