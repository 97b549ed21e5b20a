"""The format planner: expected participants, capacity and cost of offline, online and hybrid,
and a recommendation whose arithmetic is shown line by line. Pure functions over plain numbers
(selectors gather the inputs), so every figure can be checked by hand and by tests.

Money is whole Rupiah (int) throughout.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.core.formats import angka, rupiah

# Unit costs a region edits; the defaults are placeholders to be replaced by real quotes.
UNIT_COSTS = {
    "meal": gettext_lazy("Meal per person (offline)"),
    "venue": gettext_lazy("Main venue for the day"),
    "data_package": gettext_lazy("Data package per online participant"),
    "nobar": gettext_lazy("One watch point (room, screen, sound, connection)"),
    "nobar_meal": gettext_lazy("Snack per person at a watch point"),
    "local_transport": gettext_lazy("Transport per person to the kecamatan watch point"),
    "default_transport": gettext_lazy(
        "Transport per person to the main venue (kecamatan without a rate)"
    ),
}
DEFAULT_UNIT_COSTS = {
    "meal": 50_000,
    "venue": 25_000_000,
    "data_package": 25_000,
    "nobar": 3_000_000,
    "nobar_meal": 25_000,
    "local_transport": 50_000,
    "default_transport": 150_000,
}
NOBAR_CAPACITY = 150  # seats assumed per watch point when the event has none yet
DEFAULT_MAIN_CAPACITY = 1_000
# Placeholder tiers until a region enters its own quotes (labels, seats, Rp per event).
DEFAULT_TIERS = [
    ("Video meeting", "100", 100, 300_000, True),
    ("Video meeting", "500", 500, 1_500_000, True),
    ("Video meeting", "1,000", 1_000, 3_000_000, True),
    ("Webinar", "10,000", 10_000, 15_000_000, False),
    ("Live stream", "100,000+", 1_000_000, 0, False),
]


@dataclass(frozen=True)
class District:
    """A kecamatan (regency scope), or a regency/province when planning wider."""

    code: str
    name: str
    cooperatives: int
    transport: int | None  # Rp per person to the main venue; None = the default
    watch_points: int  # watch points (nobar) in it: the event's, else one per kecamatan
    watch_capacity: int  # their seats


@dataclass(frozen=True)
class Tier:
    label: str
    max_participants: int
    cost: int
    interactive: bool = True


@dataclass(frozen=True)
class Inputs:
    districts: list[District]
    delegates: int
    agencies: int
    agency_delegates: int
    officials: int
    costs: dict[str, int]
    tiers: list[Tier]
    main_capacity: int
    interactive: bool = False  # participants must be able to speak: view-only tiers excluded


@dataclass
class Line:
    label: str
    arithmetic: str
    amount: int | None = None  # Rupiah, when the line is money


@dataclass
class Option:
    key: str
    label: str
    lines: list[Line] = field(default_factory=list)
    total: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.problems

    def add(self, label: str, arithmetic: str, amount: int) -> None:
        self.lines.append(Line(label, arithmetic, amount))
        self.total += amount


@dataclass
class Plan:
    participants: list[Line]
    cooperative_people: int
    guest_people: int
    total_people: int
    options: list[Option]
    recommended: Option | None
    reason: str


def smallest_tier(tiers: list[Tier], people: int, interactive: bool = False) -> Tier | None:
    fitting = [
        t for t in tiers if t.max_participants >= people and (t.interactive or not interactive)
    ]
    return min(fitting, key=lambda t: (t.cost, t.max_participants)) if fitting else None


def _people(n: int) -> str:
    return _("%(n)s people") % {"n": angka(n)}


def _offline(inputs: Inputs, coop_people: int, guests: int) -> Option:
    c = inputs.costs
    option = Option("offline", _("Offline at the main venue"))
    for d in inputs.districts:
        people = d.cooperatives * inputs.delegates
        if not people:
            continue
        rate = d.transport if d.transport is not None else c["default_transport"]
        option.add(
            _("Transport from %(district)s") % {"district": d.name},
            f"{_people(people)} × {rupiah(rate)}",
            people * rate,
        )
    total = coop_people + guests
    option.add(_("Meals"), f"{_people(total)} × {rupiah(c['meal'])}", total * c["meal"])
    option.add(_("Main venue"), f"1 × {rupiah(c['venue'])}", c["venue"])
    if total > inputs.main_capacity:
        option.problems.append(
            _("The main venue seats %(cap)s; %(n)s are expected.")
            % {"cap": angka(inputs.main_capacity), "n": angka(total)}
        )
    return option


def _online(inputs: Inputs, coop_people: int, guests: int) -> Option:
    c = inputs.costs
    option = Option("online", _("Online (everyone by video)"))
    total = coop_people + guests
    tier = smallest_tier(inputs.tiers, total, inputs.interactive)
    if tier is None:
        biggest = max((t.max_participants for t in inputs.tiers), default=0)
        option.problems.append(
            _("No video platform tier holds %(n)s participants (largest: %(max)s).")
            % {"n": angka(total), "max": angka(biggest)}
        )
    else:
        option.add(
            _("Licence: %(tier)s") % {"tier": tier.label},
            _("up to %(max)s participants ≥ %(n)s")
            % {"max": angka(tier.max_participants), "n": angka(total)},
            tier.cost,
        )
    option.add(
        _("Data packages"),
        f"{_people(total)} × {rupiah(c['data_package'])}",
        total * c["data_package"],
    )
    return option


def _hybrid(inputs: Inputs, coop_people: int, guests: int) -> Option:
    c = inputs.costs
    option = Option("hybrid", _("Hybrid: watch point per kecamatan, guests at the main venue"))
    points = 0
    for d in inputs.districts:
        people = d.cooperatives * inputs.delegates
        if not people:
            continue
        n = max(d.watch_points, 1)
        points += n
        option.add(
            _("Watch points %(district)s") % {"district": d.name},
            f"{n} × {rupiah(c['nobar'])} + {_people(people)} × ({rupiah(c['nobar_meal'])} + "
            f"{rupiah(c['local_transport'])})",
            n * c["nobar"] + people * (c["nobar_meal"] + c["local_transport"]),
        )
        if people > d.watch_capacity:
            option.problems.append(
                _("%(district)s: %(n)s delegates, %(cap)s watch-point seats.")
                % {"district": d.name, "n": angka(people), "cap": angka(d.watch_capacity)}
            )
    connections = points + 1
    tier = smallest_tier(inputs.tiers, connections, inputs.interactive)
    if tier is None:
        option.problems.append(_("No video platform tier holds the watch points."))
    else:
        option.add(
            _("Licence: %(tier)s") % {"tier": tier.label},
            _("%(n)s connections (watch points + main venue) ≤ %(max)s")
            % {"n": angka(connections), "max": angka(tier.max_participants)},
            tier.cost,
        )
    if guests:
        option.add(
            _("Meals at the main venue"),
            f"{_people(guests)} × {rupiah(c['meal'])}",
            guests * c["meal"],
        )
        option.add(_("Main venue"), f"1 × {rupiah(c['venue'])}", c["venue"])
        if guests > inputs.main_capacity:
            option.problems.append(
                _("The main venue seats %(cap)s; %(n)s guests are expected.")
                % {"cap": angka(inputs.main_capacity), "n": angka(guests)}
            )
    return option


def plan(inputs: Inputs) -> Plan:
    cooperatives = sum(d.cooperatives for d in inputs.districts)
    coop_people = cooperatives * inputs.delegates
    agency_people = inputs.agencies * inputs.agency_delegates
    guests = agency_people + inputs.officials
    total = coop_people + guests
    participants = [
        Line(
            _("Cooperative delegates"),
            f"{angka(cooperatives)} × {inputs.delegates} = {angka(coop_people)}",
        ),
        Line(
            _("Agency delegates"),
            f"{angka(inputs.agencies)} × {inputs.agency_delegates} = {angka(agency_people)}",
        ),
        Line(_("Officials"), angka(inputs.officials)),
        Line(
            _("Expected participants"),
            f"{angka(coop_people)} + {angka(agency_people)} + {angka(inputs.officials)} = {angka(total)}",
        ),
    ]
    options = [
        _offline(inputs, coop_people, guests),
        _online(inputs, coop_people, guests),
        _hybrid(inputs, coop_people, guests),
    ]
    feasible = [o for o in options if o.feasible]
    if feasible:
        best = min(feasible, key=lambda o: o.total)
        others = [o for o in feasible if o is not best]
        reason = _("%(best)s is the cheapest format that fits: %(total)s.") % {
            "best": best.label,
            "total": rupiah(best.total),
        }
        if others:
            reason += (
                " "
                + "; ".join(
                    _("%(other)s costs %(diff)s more")
                    % {"other": o.label, "diff": rupiah(o.total - best.total)}
                    for o in sorted(others, key=lambda o: o.total)
                )
                + "."
            )
    else:
        best = None
        reason = _("No format fits as planned; resolve the capacity problems listed.")
    return Plan(participants, coop_people, guests, total, options, best, reason)
