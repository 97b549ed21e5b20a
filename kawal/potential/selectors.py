"""Potential reads: village data in bulk (a fixed number of queries), scoped like any record."""

from collections import Counter, defaultdict
from types import SimpleNamespace

from django.db.models import Count, F, Prefetch, Q, QuerySet

from kawal.cooperatives.models import Cooperative, Outlet
from kawal.core.scope import Cap, get_scoped_or_404, scoped
from kawal.potential import analysis
from kawal.potential.models import (
    Bumdes,
    BumdesUnit,
    Commodity,
    CommodityType,
    Sector,
    VillageProfile,
)
from kawal.regions.models import Region
from kawal.regions.selectors import districts_in_scope


def villages(*, user, district: str = "", q: str = "", kind: str = "", regency: str = ""):
    qs = scoped(Region.objects.filter(level=4), user, Cap.VIEW, path="")
    if regency:
        qs = qs.filter(regency_code=regency)
    if district:
        qs = qs.filter(district_code=district)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    if kind == "desa":
        qs = qs.filter(kind__in=["desa", "desa_adat"])
    elif kind == "kelurahan":
        qs = qs.filter(kind="kelurahan")
    return qs.order_by("code")


def village_get(*, user, code: str) -> Region:
    return get_scoped_or_404(Region.objects.filter(level=4), user, path="", code=code)


def load_village_data(village_list, light: bool = False) -> dict[str, analysis.VillageData]:
    """VillageData for each village in a fixed number of queries, whatever their number.

    `light=True` (lists, matrix, map, export) reads plain rows instead of model instances, which
    is several times faster for a whole regency; the village page uses the full models.
    """
    if isinstance(village_list, QuerySet):
        # A subquery: the database matches the codes, not a Python list of hundreds of them.
        codes = village_list.values("code")
        village_list = list(village_list)
    else:
        village_list = list(village_list)
        codes = [v.code for v in village_list]
    data = {v.code: analysis.VillageData(village=v) for v in village_list}
    if not village_list:
        return data
    for pk, village_id, name in Cooperative.objects.filter(village_id__in=codes).values_list(
        "id", "village_id", "name"
    ):
        data[village_id].cooperative = SimpleNamespace(pk=pk, name=name, village_id=village_id)
    for outlet in (
        Outlet.objects.filter(cooperative__village_id__in=codes)
        .annotate(village_code=F("cooperative__village_id"))
        .only("id", "outlet_type", "other_label", "kbli", "status")
    ):
        data[outlet.village_code].outlets.append(analysis.outlet_info(outlet))
    if light:
        _load_light(data, codes)
        return data
    for bumdes in Bumdes.objects.filter(village_id__in=codes).prefetch_related(
        Prefetch("units", queryset=BumdesUnit.objects.order_by("category", "id"))
    ):
        data[bumdes.village_id].bumdes = bumdes
        data[bumdes.village_id].units = list(bumdes.units.all())
    for commodity in Commodity.objects.filter(village_id__in=codes).select_related(
        "commodity__sector"
    ):
        data[commodity.village_id].commodities.append(commodity)
    for profile in VillageProfile.objects.filter(village_id__in=codes):
        data[profile.village_id].profile = profile
    return data


def _load_light(data: dict, codes) -> None:
    bumdes_village = {}
    for row in Bumdes.objects.filter(village_id__in=codes).values(
        "id", "village_id", "name", "is_active"
    ):
        data[row["village_id"]].bumdes = SimpleNamespace(**row)
        bumdes_village[row["id"]] = row["village_id"]
    for row in (
        BumdesUnit.objects.filter(bumdes__village_id__in=codes)
        .order_by("category", "id")
        .values("bumdes_id", "name", "category", "kbli", "is_active", "runs_well")
    ):
        data[bumdes_village[row["bumdes_id"]]].units.append(SimpleNamespace(**row))
    types = {t.pk: t for t in CommodityType.objects.select_related("sector")}
    for row in (
        Commodity.objects.filter(village_id__in=codes)
        .order_by("village_id", "-estimated_value")
        .values("village_id", "commodity_id", "volume", "unit", "estimated_value", "is_main")
    ):
        row["commodity"] = types[row.pop("commodity_id")]
        data[row["village_id"]].commodities.append(SimpleNamespace(**row))
    for row in VillageProfile.objects.filter(village_id__in=codes).values(
        "village_id",
        "population",
        "has_market",
        "has_health_facility",
        "has_electricity",
        "access",
        "land_available_m2",
    ):
        data[row["village_id"]].profile = SimpleNamespace(**row)


def village_analysis(
    *, user, district: str = "", q: str = "", kind: str = "", regency: str = ""
) -> list[dict]:
    """Every village in scope with its findings and overall status."""
    rows = []
    loaded = load_village_data(
        villages(user=user, district=district, q=q, kind=kind, regency=regency).only(
            "code", "name", "kind", "level", "district_code"
        ),
        light=True,
    )
    for code, data in loaded.items():
        findings = analysis.analyse(data)
        status = analysis.village_status(data, findings)
        rows.append(
            {
                "label": analysis.KIND_LABELS[status],
                "tone": analysis.KIND_TONES[status],
                "code": code,
                "village": data.village,
                "data": data,
                "findings": findings,
                "status": status,
                "counts": Counter(f.kind for f in findings),
            }
        )
    return rows


def villages_with(rows: list[dict], kind: str) -> list[dict]:
    """The villages with at least one finding of `kind` (or whose status is `kind`, for "no
    data"): what the list filter shows, the card counts and the matrix column sums."""
    return [r for r in rows if r["status"] == kind or r["counts"].get(kind)]


def regency_matrix(rows: list[dict], district_names: dict) -> dict:
    """Kecamatan × finding kind: villages with at least one finding of each kind."""
    per: dict = defaultdict(lambda: {"villages": 0, "kinds": Counter(), "status": Counter()})
    for row in rows:
        cell = per[row["village"].district_code]
        cell["villages"] += 1
        for kind in row["counts"]:
            cell["kinds"][kind] += 1
        cell["status"][row["status"]] += 1
    kinds = list(analysis.KINDS)
    table = [
        {
            "code": code,
            "name": district_names.get(code, code),
            "villages": cell["villages"],
            "cells": [cell["kinds"].get(k, 0) for k in kinds],
        }
        for code, cell in sorted(per.items())
    ]
    totals = [sum(r["cells"][i] for r in table) for i in range(len(kinds))]
    return {
        "kinds": kinds,
        "rows": table,
        "totals": totals,
        "villages": sum(r["villages"] for r in table),
    }


def line_matrix(rows: list[dict], district_names: dict, kind: str = analysis.TUMPANG_TINDIH):
    """Kecamatan × business line: villages with a finding of `kind` in that line."""
    per: dict = defaultdict(Counter)
    for row in rows:
        lines = {f.category for f in row["findings"] if f.kind == kind}
        for line in lines:
            per[row["village"].district_code][line] += 1
    lines = sorted({line for counter in per.values() for line in counter})
    return {
        "lines": [(line, analysis.category_label(line)) for line in lines],
        "rows": [
            {
                "code": code,
                "name": district_names.get(code, code),
                "cells": [per[code].get(line, 0) for line in lines],
            }
            for code in sorted(per)
        ],
    }


def village_statuses(*, user, district: str = "", regency: str = "") -> dict[str, str]:
    rows = village_analysis(user=user, district=district, regency=regency)
    return {r["code"]: r["status"] for r in rows}


def potential_summary(*, user, regency: str = "") -> dict:
    village_qs = villages(user=user, regency=regency)
    desa = village_qs.filter(kind__in=["desa", "desa_adat"])
    bumdes_qs = scoped(Bumdes.objects.all(), user, Cap.VIEW)
    profiles = scoped(VillageProfile.objects.all(), user, Cap.VIEW)
    if regency:
        bumdes_qs = bumdes_qs.filter(village__regency_code=regency)
        profiles = profiles.filter(village__regency_code=regency)
    bumdes = bumdes_qs.aggregate(total=Count("id"), active=Count("id", filter=Q(is_active=True)))
    return {
        "villages": village_qs.count(),
        "desa": desa.count(),
        "profiles": profiles.count(),
        "bumdes": bumdes["total"],
        "bumdes_active": bumdes["active"],
    }


def sectors():
    return Sector.objects.prefetch_related(
        Prefetch("commodities", queryset=CommodityType.objects.order_by("order", "name"))
    )


def commodity_types():
    return CommodityType.objects.filter(is_active=True, sector__is_active=True).select_related(
        "sector"
    )


def profile_of(village: Region) -> VillageProfile | None:
    """The village's profile, or None; `village` comes from village_get, so it is in scope."""
    return VillageProfile.objects.filter(village=village).first()


def bumdes_of(village: Region) -> Bumdes | None:
    return Bumdes.objects.filter(village=village).first()


def district_name(village: Region) -> str:
    name = Region.objects.filter(code=village.district_code).values_list("name", flat=True)
    return name.first() or village.district_code


def sector_or_none(pk) -> Sector | None:
    """A sector of the national standard list (not region data), or None for a new one."""
    return Sector.objects.filter(pk=_int_or_none(pk)).first()


def commodity_type_or_none(pk) -> CommodityType | None:
    return CommodityType.objects.filter(pk=_int_or_none(pk)).first()


def _int_or_none(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def commodity_get(*, user, pk: int) -> Commodity:
    return get_scoped_or_404(Commodity.objects.select_related("commodity"), user, pk=pk)


def bumdes_unit_get(*, user, pk: int) -> BumdesUnit:
    return get_scoped_or_404(
        BumdesUnit.objects.select_related("bumdes"), user, path="bumdes__village", pk=pk
    )


def district_names(*, user) -> dict:
    return dict(districts_in_scope(user=user).values_list("code", "name"))
