"""Cooperative reads, always from the user's scope."""

from django.db.models import Prefetch, Q

from kawal.cooperatives import rules
from kawal.cooperatives.extension_points import list_filters
from kawal.cooperatives.models import Cooperative, Officer, Outlet
from kawal.core.scope import Cap, get_scoped_or_404, scoped
from kawal.regions.models import Region


def cooperative_list(*, user, cap: str = Cap.VIEW):
    return scoped(Cooperative.objects.select_related("village"), user, cap)


def cooperative_get(*, user, pk: int, cap: str = Cap.VIEW) -> Cooperative:
    return get_scoped_or_404(
        Cooperative.objects.select_related("village", "village__parent"),
        user,
        cap=cap,
        pk=pk,
    )


def cooperative_search(*, user, params) -> tuple:
    """The filtered list of the cooperative list page and its export.

    `params`: a QueryDict/dict with q, kecamatan, skema, peringatan, and the filters registered
    by other apps (tahap, terlambat, macet, ...). Returns (queryset, applied filter values).
    """
    queryset = cooperative_list(user=user).select_related("village__parent")
    q = (params.get("q") or "").strip()
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q)
            | Q(village__name__icontains=q)
            | Q(village__code__startswith=q)
            | Q(registration_number__iexact=q)
            | Q(simkopdes_id__iexact=q)
        )
    kecamatan = (params.get("kecamatan") or "").strip()
    if kecamatan:
        queryset = queryset.filter(village__district_code=kecamatan)
    scheme = params.get("skema") or ""
    if scheme in Cooperative.Scheme.values:
        queryset = queryset.filter(scheme=scheme)
    warnings = params.get("peringatan") or ""
    if warnings in ("ada", "tidak"):
        queryset = rules.with_rule_flags(queryset).filter(has_warnings=warnings == "ada")
    for extra in list_filters():
        value = params.get(extra.param) or ""
        if value:
            queryset = extra.apply(queryset, value, user, params)
    return queryset.order_by("village_id")


def shared_village_names(*, names, regency_codes) -> set[tuple[str, str]]:
    """(regency, name) pairs that more than one village of the regency shares."""
    from django.db.models import Count

    rows = (
        Region.objects.filter(level=4, regency_code__in=set(regency_codes), name__in=set(names))
        .values("regency_code", "name")
        .annotate(n=Count("code"))
        .filter(n__gt=1)
    )
    return {(r["regency_code"], r["name"]) for r in rows}


def attach_warnings(cooperatives) -> None:
    """Set `.warnings` (list of rules.Warning) on each cooperative: two queries for any number.

    The cooperatives need `village__parent` selected.
    """
    cooperatives = list(cooperatives)
    if not cooperatives:
        return
    officers: dict[int, list] = {c.pk: [] for c in cooperatives}
    for officer in Officer.objects.filter(cooperative__in=cooperatives, is_active=True):
        officers[officer.cooperative_id].append(officer)
    shared = shared_village_names(
        names=[c.village.name for c in cooperatives],
        regency_codes=[c.village.regency_code for c in cooperatives],
    )
    for c in cooperatives:
        found = []
        name_warning = rules.name_warning(
            name=c.name,
            village=c.village,
            is_syariah=c.is_syariah,
            kecamatan_name=c.village.parent.name if c.village.parent_id else "",
            shared_name=(c.village.regency_code, c.village.name) in shared,
        )
        if name_warning:
            found.append(name_warning)
        found += rules.officer_warnings(officers[c.pk])
        c.warnings = found
        c.warning_count = sum(1 for w in found if w.severity == rules.WARN)


def suggested_name(*, village, is_syariah: bool = False) -> str:
    shared = shared_village_names(names=[village.name], regency_codes=[village.regency_code])
    parent = village.parent.name if village.parent_id else ""
    return rules.expected_name(
        village_name=village.name,
        is_kelurahan=village.kind == "kelurahan",
        is_syariah=is_syariah,
        kecamatan_name=parent if (village.regency_code, village.name) in shared else "",
    )


def cooperative_page(*, user, pk: int) -> Cooperative:
    """One cooperative with officers, outlets and joint villages prefetched, and its warnings."""
    cooperative = get_scoped_or_404(
        Cooperative.objects.select_related("village", "village__parent").prefetch_related(
            Prefetch("officers", queryset=Officer.objects.order_by("-is_active", "body", "id")),
            Prefetch("outlets", queryset=Outlet.objects.order_by("outlet_type", "id")),
            "joint_villages",
        ),
        user,
        pk=pk,
    )
    attach_warnings([cooperative])
    return cooperative


def officer_get(*, user, pk: int, cap: str = Cap.VIEW) -> Officer:
    return get_scoped_or_404(
        Officer.objects.select_related("cooperative", "cooperative__village"),
        user,
        cap=cap,
        path="cooperative__village",
        pk=pk,
    )


def outlet_get(*, user, pk: int, cap: str = Cap.VIEW) -> Outlet:
    return get_scoped_or_404(
        Outlet.objects.select_related("cooperative", "cooperative__village"),
        user,
        cap=cap,
        path="cooperative__village",
        pk=pk,
    )


def outlet_summary(*, user) -> dict:
    """Outlets by status and the share of sites meeting the ≥1,000 m² rule (one query)."""
    from django.db.models import Count

    from kawal.cooperatives.models import MIN_LAND_M2

    outlets = scoped(Outlet.objects.all(), user, Cap.VIEW, path="cooperative__village")
    return outlets.aggregate(
        total=Count("pk"),
        pembangunan=Count("pk", filter=Q(status=Outlet.Status.PEMBANGUNAN)),
        beroperasi=Count("pk", filter=Q(status=Outlet.Status.BEROPERASI)),
        land_ok=Count("cooperative", filter=Q(land_area_m2__gte=MIN_LAND_M2), distinct=True),
    )


def village_choices_for_joint(*, user, cooperative):
    """Villages of the same kecamatan that have no cooperative of their own."""
    return (
        scoped(Region.objects.filter(level=4, is_active=True), user, Cap.EDIT, path="")
        .filter(district_code=cooperative.village.district_code, cooperative__isnull=True)
        .exclude(code=cooperative.village_id)
        .order_by("name")
    )


def cooperative_history(*, user, cooperative, limit: int = 30):
    """The "Riwayat" of a cooperative: every audited change at its village (the cooperative,
    its officers and outlets, its steps and documents). The caller has checked the scope."""
    from kawal.core.models import AuditEvent

    return AuditEvent.objects.filter(region_code=cooperative.village_id).select_related("actor")[
        :limit
    ]


def village_for_new_cooperative(*, user, code: str):
    """A village the user may edit, or None (unknown code or outside the scope)."""
    return (
        scoped(Region.objects.filter(level=4, is_active=True), user, Cap.EDIT, path="")
        .select_related("parent")
        .filter(code=code.strip())
        .first()
    )


def villages_without_cooperative(*, user, limit: int = 300):
    """Villages in the user's editing scope that have no cooperative yet (for suggestions)."""
    return (
        scoped(Region.objects.filter(level=4, is_active=True), user, Cap.EDIT, path="")
        .filter(cooperative__isnull=True, joint_cooperatives__isnull=True)
        .only("code", "name")
        .order_by("code")[:limit]
    )
