"""Streamed XLSX export of the filtered cooperative list (same selector, so the same scope)."""

from django.utils import timezone

from kawal.cooperatives import selectors
from kawal.cooperatives.extension_points import list_columns
from kawal.core.scope import Cap, requires
from kawal.core.xlsx import xlsx_response

HEADERS = [
    "kode_desa",
    "desa",
    "kecamatan",
    "name",
    "skema",
    "syariah",
    "jenis_usaha",
    "address",
    "latitude",
    "longitude",
    "nomor_induk_koperasi",
    "principal_saving",
    "mandatory_saving",
    "grant_fund",
    "anggota_laki_laki",
    "anggota_perempuan",
    "cooperative_id",
]
CHUNK = 2000


def _rows(user, queryset, columns):
    """Rows in chunks: each chunk's extra columns are filled in a constant number of queries."""
    last = ""
    while True:
        chunk = list(queryset.filter(village_id__gt=last)[:CHUNK])
        if not chunk:
            return
        for column in columns:
            column.annotate(user, chunk)
        for c in chunk:
            values = [
                c.village_id,
                c.village.name,
                c.village.parent.name if c.village.parent_id else "",
                c.name,
                c.scheme,
                c.is_syariah,
                c.business_type,
                c.address,
                c.lat,
                c.lng,
                c.registration_number,
                c.simpanan_pokok,
                c.simpanan_wajib,
                c.hibah,
                c.members_male,
                c.members_female,
                c.simkopdes_id,
            ]
            for column in columns:
                values += column.export(c)
            yield values
        last = chunk[-1].village_id


@requires(Cap.VIEW)
def cooperative_export(request):
    queryset = selectors.cooperative_search(user=request.user, params=request.GET)
    columns = [c for c in list_columns() if c.export]
    headers = HEADERS + [h for c in columns for h in c.export_headers]
    stamp = timezone.localdate().isoformat()
    return xlsx_response(
        f"koperasi-{stamp}.xlsx", headers, _rows(request.user, queryset, columns), "Koperasi"
    )
