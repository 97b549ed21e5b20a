"""Potential reads: village data in bulk (a fixed number of queries), scoped like any record."""

from collections import Counter, defaultdict

from django.db.models import Count, Prefetch, Q

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


def villages(*, user, district: str = "", q: str = "", kind: str = ""):
    qs = scoped(Region.objects.defer("boundary").filter(level=4), user, Cap.VIEW, path="")
    if district:
        qs = qs.filter(district_code=district)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    if kind == "desa":
        qs = qs.filter(kind__in=["desa", "desa_adat"])
    elif kind == "kelurahan":
        qs = qs.filter(kind="kelurahan")
    return qs.order_by("code")


def districts(*, user):
    return scoped(Region.objects.defer("boundary").filter(level=3), user, Cap.VIEW, path="")


def village_get(*, user, code: str) -> Region:
    return get_scoped_or_404(
        Region.objects.defer("boundary").filter(level=4), user, path="", code=code
    )


def load_village_data(village_list) -> dict[str, analysis.VillageData]:
    """VillageData for each village: six queries whatever the number of villages."""
    village_list = list(village_list)
    codes = [v.code for v in village_list]
    data = {v.code: analysis.VillageData(village=v) for v in village_list}
    if not codes:
        return data
    coops = Cooperative.objects.filter(village_id__in=codes).only("id", "name", "village_id")
    coop_village = {}
    for coop in coops:
        data[coop.village_id].cooperative = coop
        coop_village[coop.pk] = coop.village_id
    for outlet in Outlet.objects.filter(cooperative_id__in=list(coop_village)).only(
        "id", "cooperative_id", "outlet_type", "other_label", "kbli", "status"
    ):
        data[coop_village[outlet.cooperative_id]].outlets.append(analysis.outlet_info(outlet))
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


def village_analysis(*, user, district: str = "", q: str = "", kind: str = "") -> list[dict]:
    """Every village in scope with its findings and overall status."""
    rows = []
    loaded = load_village_data(villages(user=user, district=district, q=q, kind=kind))
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
    return {"kinds": kinds, "rows": table, "totals": totals}


def village_statuses(*, user, district: str = "") -> dict[str, str]:
    return {r["code"]: r["status"] for r in village_analysis(user=user, district=district)}


def potential_summary(*, user) -> dict:
    village_qs = villages(user=user)
    desa = village_qs.filter(kind__in=["desa", "desa_adat"])
    bumdes = scoped(Bumdes.objects.all(), user, Cap.VIEW).aggregate(
        total=Count("id"), active=Count("id", filter=Q(is_active=True))
    )
    return {
        "villages": village_qs.count(),
        "desa": desa.count(),
        "profiles": scoped(VillageProfile.objects.all(), user, Cap.VIEW).count(),
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


def commodity_get(*, user, pk: int) -> Commodity:
    return get_scoped_or_404(Commodity.objects.select_related("commodity"), user, pk=pk)


def bumdes_unit_get(*, user, pk: int) -> BumdesUnit:
    return get_scoped_or_404(
        BumdesUnit.objects.select_related("bumdes"), user, path="bumdes__village", pk=pk
    )


def district_names(*, user) -> dict:
    return dict(districts(user=user).values_list("code", "name"))
