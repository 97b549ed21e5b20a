"""Event reads, each starting from the user's scope (an event is scoped by its region). The
public pages (personal ticket, self-registration) find their row by an unguessable code."""

from django.db.models import Count, Q
from django.http import Http404

from kawal.core.codes import ANCESTOR_FIELD, level_of
from kawal.core.scope import Cap, get_scoped_or_404, scoped
from kawal.events import planner
from kawal.events.models import (
    Attendance,
    Event,
    PlatformTier,
    Registrant,
    TransportRate,
    UnitCost,
    Venue,
)
from kawal.events.services import normalize_code


def event_list(*, user):
    return (
        scoped(
            Event.objects.select_related("region"),
            user,
            Cap.VIEW,
            "region",
        )
        .annotate(n_registered=Count("registrants"))
        .order_by("-starts_at", "-id")
    )


def event_get(*, user, pk: int, cap: str = Cap.VIEW) -> Event:
    return get_scoped_or_404(
        Event.objects.select_related("region"),
        user,
        cap=cap,
        path="region",
        pk=pk,
    )


def venue_list(*, event: Event):
    return (
        Venue.objects.filter(event=event)
        .select_related("district")
        .annotate(n_registered=Count("registrants"))
        .order_by("kind", "district_id", "name")
    )


def venue_get(*, event: Event, pk) -> Venue:
    try:
        return Venue.objects.get(event=event, pk=pk)
    except (Venue.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _district_names(codes) -> dict[str, str]:
    from kawal.regions.models import Region

    return dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))


def registrant_list(*, event: Event, q: str = "", district: str = "", status: str = ""):
    rows = (
        Registrant.objects.filter(event=event)
        .select_related("cooperative", "agency", "venue", "attendance")
        .only(
            "name",
            "position",
            "phone",
            "kind",
            "via",
            "district_code",
            "code",
            "cooperative__name",
            "agency__short_name",
            "venue__name",
            "attendance__checked_in_at",
            "attendance__method",
        )
    )
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(cooperative__name__icontains=q))
    if district:
        rows = rows.filter(district_code=district)
    if status == "hadir":
        rows = rows.filter(attendance__isnull=False)
    elif status == "tidak_hadir":
        rows = rows.filter(attendance__isnull=True)
    return rows.order_by("district_code", "cooperative__name", "name", "id")


def registrant_get(*, event: Event, pk) -> Registrant:
    try:
        return Registrant.objects.select_related("cooperative", "venue").get(event=event, pk=pk)
    except (Registrant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def registrant_by_code(code: str) -> Registrant:
    """A personal page: the code is the credential (60 random bits); malformed/unknown: 404."""
    normal = normalize_code(code)
    if normal is None:
        raise Http404
    try:
        return Registrant.objects.select_related("event", "venue", "cooperative", "attendance").get(
            code=normal
        )
    except Registrant.DoesNotExist:
        raise Http404 from None


def event_by_public_code(code: str) -> Event:
    try:
        return Event.objects.get(public_code=str(code or "").upper()[:16])
    except Event.DoesNotExist:
        raise Http404 from None


def live_counts(*, event: Event) -> dict:
    """Registered and present per kecamatan and per venue: four grouped queries."""
    registered = dict(
        Registrant.objects.filter(event=event)
        .values_list("district_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    present = dict(
        Attendance.objects.filter(event=event)
        .values_list("district_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_venue_present = dict(
        Attendance.objects.filter(event=event, venue__isnull=False)
        .values_list("venue_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    names = _district_names(k for k in registered if k)
    districts = []
    for code in sorted(registered):
        reg, pres = registered[code], present.get(code, 0)
        districts.append(
            {
                "code": code,
                "name": names.get(code, "") if code else "",
                "registered": reg,
                "present": pres,
                "pct": round(100 * pres / reg) if reg else 0,
            }
        )
    venues = []
    for v in venue_list(event=event):
        n = by_venue_present.get(v.pk, 0)
        venues.append(
            {
                "venue": v,
                "registered": v.n_registered,
                "present": n,
                "capacity": v.capacity,
                "full": n >= v.capacity,
                "over_booked": v.n_registered > v.capacity,
                "pct": round(100 * n / v.capacity) if v.capacity else 0,
            }
        )
    total_reg, total_present = sum(registered.values()), sum(present.values())
    online = present.get("__online__", 0)
    return {
        "districts": districts,
        "venues": venues,
        "registered": total_reg,
        "present": total_present,
        "online": online
        or Attendance.objects.filter(event=event, method=Attendance.Method.LINK).count(),
        "pct": round(100 * total_present / total_reg) if total_reg else 0,
    }


def attendance_by_cooperative(*, event: Event):
    return (
        Registrant.objects.filter(event=event, cooperative__isnull=False)
        .values("cooperative_id", "cooperative__name", "district_code")
        .annotate(registered=Count("pk"), present=Count("attendance"))
        .order_by("district_code", "cooperative__name")
    )


def export_rows(*, event: Event):
    """Every registrant with attendance, streamed (the XLSX export and the no-show list)."""
    names = _district_names(
        Registrant.objects.filter(event=event).values_list("district_code", flat=True).distinct()
    )
    rows = (
        Registrant.objects.filter(event=event)
        .values_list(
            "name",
            "position",
            "kind",
            "district_code",
            "cooperative__name",
            "agency__short_name",
            "venue__name",
            "attendance__checked_in_at",
            "attendance__method",
        )
        .order_by("district_code", "cooperative__name", "name", "id")
    )
    kinds = dict(Registrant.Kind.choices)
    methods = dict(Attendance.Method.choices)
    for name, position, kind, district, coop, agency, venue, at, method in rows.iterator(2000):
        yield (
            name,
            position,
            str(kinds.get(kind, "")),
            names.get(district, ""),
            coop or agency or "",
            venue or "",
            at,
            str(methods.get(method, "")) if method else "",
        )


# --- planner --------------------------------------------------------------------------------


def unit_costs(*, region_code: str) -> dict[str, int]:
    saved = dict(UnitCost.objects.filter(region_id=region_code).values_list("key", "amount"))
    return {k: saved.get(k, v) for k, v in planner.DEFAULT_UNIT_COSTS.items()}


def platform_tiers(*, region_code: str) -> list[PlatformTier]:
    return list(PlatformTier.objects.filter(region_id=region_code))


def tiers_for_planner(*, region_code: str) -> tuple[list[planner.Tier], bool]:
    """The region's tiers, or the placeholder table (flagged) when it has entered none."""
    rows = platform_tiers(region_code=region_code)
    if rows:
        return [
            planner.Tier(str(t), t.max_participants, t.cost, t.interactive) for t in rows
        ], False
    return [
        planner.Tier(f"{p} {t}", n, cost, interactive)
        for p, t, n, cost, interactive in planner.DEFAULT_TIERS
    ], True


def transport_rates(*, region_code: str) -> list[tuple[str, str, int | None]]:
    """(kecamatan code, name, Rp per person or None) for every kecamatan of a regency."""
    from kawal.regions.models import Region

    rates = dict(
        TransportRate.objects.filter(district__regency_code=region_code[:5]).values_list(
            "district_id", "amount"
        )
    )
    return [
        (code, name, rates.get(code))
        for code, name in Region.objects.filter(
            level=3, regency_code=region_code[:5], is_active=True
        ).values_list("code", "name")
    ]


def scope_choices(*, user, event: Event) -> list[tuple[str, str]]:
    """Where the launch can be planned: the event's regency, its province, the country."""
    from kawal.core.scope import can
    from kawal.regions.models import Region

    code = event.region_id
    options = []
    for c in [code[:5], code[:2]]:
        if len(c) <= len(code) and can(user, Cap.VIEW, c):
            region = Region.objects.filter(code=c).only("name", "kind").first()
            if region:
                options.append((c, region.display_name))
    if can(user, Cap.VIEW, None):
        options.append(("", "Indonesia"))
    return options


def plan_inputs(
    *,
    user,
    event: Event,
    scope_code: str,
    delegates: int,
    agency_delegates: int,
    officials: int | None,
    interactive: bool = False,
) -> planner.Inputs:
    """Roster counts grouped one level below the scope (kecamatan for a regency), the event's
    watch points and main venue, and the region's unit costs and platform tiers."""
    from kawal.accounts.models import Agency
    from kawal.cooperatives.models import Cooperative
    from kawal.regions.models import Region

    level = level_of(scope_code) if scope_code else 0
    group_level = min(level + 1, 3)
    group_field = ANCESTOR_FIELD[group_level]
    where = {ANCESTOR_FIELD[level]: scope_code} if scope_code else {}

    coops = dict(
        scoped(Cooperative.objects.all(), user, Cap.VIEW)
        .filter(**{f"village__{k}": v for k, v in where.items()})
        .values_list(f"village__{group_field}")
        .annotate(n=Count("pk"))
        .order_by()
    )
    district_filter = {"level": 3, "is_active": True, **where}
    kecamatan = dict(
        Region.objects.filter(**district_filter)
        .values_list(group_field)
        .annotate(n=Count("pk"))
        .order_by()
    )
    names = dict(
        Region.objects.filter(code__in=list(coops) + list(kecamatan)).values_list("code", "name")
    )
    rates = (
        dict(
            TransportRate.objects.filter(district_id__in=list(coops)).values_list(
                "district_id", "amount"
            )
        )
        if group_level == 3
        else {}
    )
    points, seats, main_capacity = {}, {}, 0
    for v in Venue.objects.filter(event=event).only("kind", "district_id", "capacity"):
        if v.kind == Venue.Kind.MAIN:
            main_capacity += v.capacity
        elif v.district_id:
            key = v.district_id[: {1: 2, 2: 5, 3: 8}[group_level]]
            points[key] = points.get(key, 0) + 1
            seats[key] = seats.get(key, 0) + v.capacity
    groups = []
    for code in sorted(set(coops) | set(kecamatan)):
        n_points = points.get(code) or kecamatan.get(code, 1)
        groups.append(
            planner.District(
                code=code,
                name=names.get(code, code),
                cooperatives=coops.get(code, 0),
                transport=rates.get(code),
                watch_points=n_points,
                watch_capacity=seats.get(code) or n_points * planner.NOBAR_CAPACITY,
            )
        )
    agencies = (
        scoped(Agency.objects.filter(is_active=True), user, Cap.VIEW, path="region")
        .filter(**({f"region__{k}": v for k, v in where.items()}))
        .count()
    )
    if officials is None:  # the leadership plus one camat per kecamatan
        officials = 10 + sum(kecamatan.values())
    tiers, _placeholder = tiers_for_planner(region_code=event.region_id[:5])
    return planner.Inputs(
        districts=groups,
        delegates=delegates,
        agencies=agencies,
        agency_delegates=agency_delegates,
        officials=officials,
        costs=unit_costs(region_code=event.region_id[:5]),
        tiers=tiers,
        main_capacity=main_capacity or planner.DEFAULT_MAIN_CAPACITY,
        interactive=interactive,
    )


def event_brief(*, pk: int) -> Event:
    return Event.objects.only("title", "starts_at", "ends_at", "announced_zone").get(pk=pk)


def district_choices(*, event: Event) -> list[tuple[str, str]]:
    from kawal.regions.models import Region

    return list(
        Region.objects.filter(level=3, regency_code=event.region_id[:5], is_active=True)
        .values_list("code", "name")
        .order_by("code")
    )


def _event_coops(event: Event):
    from kawal.cooperatives.models import Cooperative

    field = ANCESTOR_FIELD[level_of(event.region_id)]
    return Cooperative.objects.filter(**{f"village__{field}": event.region_id})


def cooperatives_to_invite(*, user, event: Event):
    """The cooperatives of the event's region that the user may see."""
    return (
        scoped(_event_coops(event), user, Cap.VIEW)
        .select_related("village")
        .only("name", "village_id")
    )


def cooperative_choices(*, event: Event, limit: int = 2000) -> list[tuple[int, str]]:
    """For the public form: the cooperatives of the event's region (a regency: ~240)."""
    return list(_event_coops(event).order_by("name").values_list("pk", "name")[:limit])


def cooperative_of_event(*, event: Event, pk):
    try:
        return _event_coops(event).get(pk=pk)
    except (ValueError, TypeError) as error:
        raise Http404 from error
    except Exception as error:
        if error.__class__.__name__ == "DoesNotExist":
            raise Http404 from error
        raise
