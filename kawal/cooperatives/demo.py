"""Demo cooperatives: one KMP for each of Kukar's 237 villages (names follow the naming rule)."""

from collections import Counter

from kawal.cooperatives import services
from kawal.regions.models import Region


def kmp_name(village: Region, kecamatan_name: str, duplicated: bool) -> str:
    kind = "Kelurahan" if village.kind == "kelurahan" else "Desa"
    name = f"Koperasi {kind} Merah Putih {village.name}"
    return f"{name} Kecamatan {kecamatan_name}" if duplicated else name


def load(ctx) -> None:
    villages = list(Region.objects.filter(regency_code=ctx.regency_code, level=4).defer("boundary"))
    districts = dict(
        Region.objects.filter(regency_code=ctx.regency_code, level=3).values_list("code", "name")
    )
    name_counts = Counter(v.name for v in villages)
    ctx.cooperatives = {}
    for village in villages:
        ctx.cooperatives[village.code] = services.cooperative_create(
            actor=ctx.admin,
            village=village,
            name=kmp_name(village, districts[village.district_code], name_counts[village.name] > 1),
        )
