"""Overlap/complement analysis and unit recommendations: plain rules, each finding explained.

Pure functions over `VillageData` (loaded by selectors in a few queries), so the same rules serve
the village page, the regency matrix, the map, the export and the readiness resolver.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kawal.core.formats import angka, rupiah
from kawal.potential.models import UnitCategory, category_of_kbli

# A commodity counts as "strong" when marked main or worth at least this much a year.
STRONG_VALUE = 1_000_000_000
MIN_LAND_M2 = 1000
POPULOUS = 3000

TUMPANG_TINDIH = "tumpang_tindih"
PELENGKAP = "pelengkap"
KEMITRAAN = "kemitraan"
BELUM_DIGARAP = "potensi_belum_digarap"
NO_DATA = "tanpa_data"
KINDS = (TUMPANG_TINDIH, BELUM_DIGARAP, KEMITRAAN, PELENGKAP)  # precedence for the map
KIND_LABELS = {
    TUMPANG_TINDIH: gettext_lazy("overlap (tumpang tindih)"),
    PELENGKAP: gettext_lazy("complement (pelengkap)"),
    KEMITRAAN: gettext_lazy("partnership (kemitraan)"),
    BELUM_DIGARAP: gettext_lazy("untapped potential (potensi belum digarap)"),
    NO_DATA: gettext_lazy("no data yet"),
}
KIND_TONES = {
    TUMPANG_TINDIH: "bad",
    BELUM_DIGARAP: "warn",
    KEMITRAAN: "info",
    PELENGKAP: "ok",
    NO_DATA: "muted",
}
KIND_COLOURS = {
    TUMPANG_TINDIH: "#b3261e",
    BELUM_DIGARAP: "#d9a100",
    KEMITRAAN: "#1f4e8c",
    PELENGKAP: "#1e6b34",
    NO_DATA: "#c9c5cf",
}
SUPPLY_CATEGORIES = ("pengolahan", "saprotan")
DISTRIBUTION_CATEGORIES = ("logistik", "cold_storage", "sembako")
STANDARD_UNITS = (
    "kantor",
    "sembako",
    "apotek",
    "simpan_pinjam",
    "klinik",
    "cold_storage",
    "logistik",
)
CAPITAL_HEAVY = ("klinik", "cold_storage", "simpan_pinjam")
NEEDS_LAND = ("klinik", "cold_storage", "logistik")


def category_label(code: str) -> str:
    try:
        return str(UnitCategory(code).label)
    except ValueError:
        return code


@dataclass
class OutletInfo:
    category: str
    label: str
    kbli: str
    status: str
    status_label: str


@dataclass
class VillageData:
    village: object
    cooperative: object = None
    outlets: list = field(default_factory=list)  # OutletInfo
    bumdes: object = None
    units: list = field(default_factory=list)  # BumdesUnit rows
    commodities: list = field(default_factory=list)  # Commodity rows with commodity__sector
    profile: object = None

    @property
    def active_units(self) -> list:
        if self.bumdes is None or not self.bumdes.is_active:
            return []
        return [u for u in self.units if u.is_active]

    @property
    def has_data(self) -> bool:
        return bool(self.outlets or self.bumdes or self.commodities or self.profile)


@dataclass
class Finding:
    """One finding; its sentence is written only when shown (a regency has hundreds)."""

    kind: str
    category: str
    render: Callable[[], str] = field(repr=False)

    @cached_property
    def text(self) -> str:
        return self.render()

    @property
    def label(self):
        return KIND_LABELS[self.kind]

    @property
    def tone(self) -> str:
        return KIND_TONES[self.kind]


@functools.lru_cache(maxsize=8)
def _outlet_labels(language: str) -> tuple[dict, dict]:
    # get_FOO_display() hashes every lazy choice label on each call; the regency page asks
    # for about 1,500 outlets, so translate the two small choice lists once per language.
    from kawal.cooperatives.models import Outlet

    return (
        {value: str(label) for value, label in Outlet.Type.choices},
        {value: str(label) for value, label in Outlet.Status.choices},
    )


def outlet_info(outlet) -> OutletInfo:
    category = outlet.outlet_type
    if category == "lainnya":
        category = category_of_kbli(outlet.kbli) or "lainnya"
    types, statuses = _outlet_labels(get_language() or "")
    return OutletInfo(
        category=category,
        label=outlet.other_label or types.get(outlet.outlet_type, outlet.outlet_type),
        kbli=outlet.kbli,
        status=outlet.status,
        status_label=statuses.get(outlet.status, outlet.status),
    )


def strong_commodities(data: VillageData) -> list:
    return [c for c in data.commodities if c.is_main or (c.estimated_value or 0) >= STRONG_VALUE]


def _unit_desc(unit) -> str:
    return f"“{unit.name}”" + (f" (KBLI {unit.kbli})" if unit.kbli else "")


def analyse(data: VillageData) -> list[Finding]:
    findings: list[Finding] = []
    units = data.active_units
    bumdes_name = data.bumdes.name if data.bumdes else ""
    outlets = [o for o in data.outlets if o.status != "tutup"]
    kmp_categories = {o.category for o in outlets}

    # 1. Each KMP line against the BUMDes units: overlap or complement.
    for outlet in outlets:
        if outlet.category in ("kantor", "lainnya"):
            continue
        same = [
            u for u in units if u.category == outlet.category or (u.kbli and u.kbli == outlet.kbli)
        ]
        if same:
            findings.append(
                Finding(
                    TUMPANG_TINDIH,
                    outlet.category,
                    partial(_overlap_text, outlet, same, bumdes_name),
                )
            )
        else:
            findings.append(
                Finding(PELENGKAP, outlet.category, partial(_complement_text, outlet, data.bumdes))
            )

    # 2. Partnerships: the BUMDes produces or supplies, the KMP distributes.
    distributing = [o for o in outlets if o.category in DISTRIBUTION_CATEGORIES]
    for unit in units:
        if unit.category in SUPPLY_CATEGORIES and distributing:
            findings.append(
                Finding(
                    KEMITRAAN,
                    unit.category,
                    partial(_supply_text, unit, bumdes_name, distributing[0]),
                )
            )
        elif (
            unit.runs_well
            and unit.category in STANDARD_UNITS
            and unit.category not in kmp_categories
        ):
            findings.append(
                Finding(KEMITRAAN, unit.category, partial(_partner_text, unit, bumdes_name))
            )

    # 3. Untapped potential: a strong commodity whose serving lines no one runs.
    served = kmp_categories | {u.category for u in units}
    by_sector: dict = {}
    for c in strong_commodities(data):
        by_sector.setdefault(c.commodity.sector, []).append(c)
    for sector, items in by_sector.items():
        serving = sector.serving_list
        if not serving or served & set(serving):
            continue
        findings.append(
            Finding(BELUM_DIGARAP, serving[0], partial(_untapped_text, sector, items, serving))
        )
    return findings


def _overlap_text(outlet, same, bumdes_name) -> str:
    text = _(
        "Both run %(line)s: the KMP's %(outlet)s (%(status)s) and %(bumdes)s's unit %(unit)s."
    ) % {
        "line": category_label(outlet.category).lower(),
        "outlet": outlet.label,
        "status": outlet.status_label,
        "bumdes": bumdes_name,
        "unit": _unit_desc(same[0]),
    }
    if any(u.runs_well for u in same):
        text += " " + _("The BUMDes runs it well, so the KMP should leave this line to it.")
    return text


def _complement_text(outlet, bumdes) -> str:
    if bumdes is None:
        why = _("the village has no BUMDes")
    elif not bumdes.is_active:
        why = _("%(bumdes)s is inactive") % {"bumdes": bumdes.name}
    else:
        why = _("%(bumdes)s runs no %(line)s unit") % {
            "bumdes": bumdes.name,
            "line": category_label(outlet.category).lower(),
        }
    return _("The KMP's %(outlet)s fills a gap: %(why)s.") % {"outlet": outlet.label, "why": why}


def _supply_text(unit, bumdes_name, outlet) -> str:
    return _(
        "%(bumdes)s's unit %(unit)s (%(line)s) can supply, and the KMP's %(outlet)s can distribute."
    ) % {
        "bumdes": bumdes_name,
        "unit": _unit_desc(unit),
        "line": category_label(unit.category).lower(),
        "outlet": outlet.label,
    }


def _partner_text(unit, bumdes_name) -> str:
    return _(
        "%(bumdes)s already runs %(line)s well (%(unit)s): the KMP should partner with it, not open its own."
    ) % {
        "bumdes": bumdes_name,
        "line": category_label(unit.category).lower(),
        "unit": _unit_desc(unit),
    }


def _untapped_text(sector, items, serving) -> str:
    return _(
        "%(sector)s worth %(value)s a year (%(names)s), but neither the KMP nor the BUMDes runs %(lines)s."
    ) % {
        "sector": sector.name,
        "value": rupiah(sum(c.estimated_value or 0 for c in items)),
        "names": ", ".join(f"{c.commodity.name} ({angka(c.volume)} {c.unit})" for c in items),
        "lines": _(" or ").join(category_label(s).lower() for s in serving),
    }


def village_status(data: VillageData, findings: list[Finding]) -> str:
    kinds = {f.kind for f in findings}
    for kind in KINDS:
        if kind in kinds:
            return kind
    return NO_DATA


@dataclass
class Recommendation:
    unit: str
    score: int = 0
    reasons: list = field(default_factory=list)
    existing: str = ""  # status label when the KMP already has this unit
    first: bool = False

    @property
    def label(self) -> str:
        from kawal.cooperatives.models import Outlet

        return str(Outlet.Type(self.unit).label)

    def add(self, points: int, reason: str) -> None:
        self.score += points
        sign = f"+{points}" if points > 0 else str(points) if points else "±0"
        self.reasons.append((sign, reason))


def recommend(
    data: VillageData, readiness_category: str = "", top: int = 3
) -> list[Recommendation]:
    """Rank the seven standard units for this village; every point has its reason."""
    profile = data.profile
    existing = {o.category: o for o in data.outlets if o.status != "tutup"}
    units = data.active_units
    strong = strong_commodities(data)
    recs = []
    for unit in STANDARD_UNITS:
        rec = Recommendation(unit)
        if unit in existing:
            rec.existing = existing[unit].status_label
            rec.reasons.append(
                ("", _("The KMP already has this unit (%(s)s).") % {"s": rec.existing})
            )
            recs.append(rec)
            continue
        if unit == "kantor":
            rec.add(3, _("The office is the base every other unit works from."))
        elif unit == "sembako":
            rec.add(
                2, _("Every village needs a basic-needs shop; it is the programme's first unit.")
            )
            if profile is not None and not profile.has_market:
                rec.add(1, _("There is no market in the village."))
        elif unit == "apotek":
            rec.add(1, _("Cheap medicine is a programme priority."))
            if profile is not None and not profile.has_health_facility:
                rec.add(2, _("There is no health facility in the village."))
        elif unit == "klinik":
            if profile is not None and not profile.has_health_facility:
                rec.add(2, _("There is no health facility in the village."))
            elif profile is not None:
                rec.add(-1, _("A health facility already serves the village."))
        elif unit == "simpan_pinjam":
            rec.add(1, _("Members need savings and credit close by."))
        elif unit == "cold_storage":
            cold = [c for c in strong if "cold_storage" in c.commodity.sector.serving_list]
            if cold:
                rec.add(
                    3,
                    _("%(names)s worth %(value)s a year need cooling.")
                    % {
                        "names": ", ".join(c.commodity.name for c in cold),
                        "value": rupiah(sum(c.estimated_value or 0 for c in cold)),
                    },
                )
            if profile is not None and not profile.has_electricity:
                rec.add(-2, _("No PLN electricity: cooling would be costly."))
        elif unit == "logistik":
            moving = [c for c in strong if "logistik" in c.commodity.sector.serving_list]
            if moving:
                rec.add(
                    2,
                    _("%(names)s need transport to market.")
                    % {"names": ", ".join(c.commodity.name for c in moving)},
                )
            if profile is not None and profile.access in ("sungai", "terbatas"):
                rec.add(1, _("Access is by river or limited: shared transport pays off."))
        if (
            profile is not None
            and (profile.population or 0) >= POPULOUS
            and unit in ("sembako", "apotek", "klinik", "simpan_pinjam")
        ):
            rec.add(1, _("%(n)s inhabitants to serve.") % {"n": angka(profile.population)})
        same = [u for u in units if u.category == unit]
        if any(u.runs_well for u in same):
            rec.add(
                -5,
                _("%(bumdes)s already runs it well: leave it to the BUMDes and partner instead.")
                % {"bumdes": data.bumdes.name},
            )
        elif same:
            rec.add(
                -2,
                _("%(bumdes)s already runs it: agree on roles first.")
                % {"bumdes": data.bumdes.name},
            )
        if unit in CAPITAL_HEAVY:
            if readiness_category == "belum_siap":
                rec.add(
                    -2,
                    _(
                        "Readiness is “not ready”: strengthen the institution before capital-heavy units."
                    ),
                )
            elif not readiness_category:
                rec.add(0, _("Readiness is not assessed yet: assess before committing capital."))
        if (
            unit in NEEDS_LAND
            and profile is not None
            and profile.land_available_m2 is not None
            and profile.land_available_m2 < MIN_LAND_M2
        ):
            rec.add(
                -1,
                _("Only %(m2)s m² of land available (the rule is %(min)s m²).")
                % {"m2": angka(profile.land_available_m2), "min": angka(MIN_LAND_M2)},
            )
        recs.append(rec)
    candidates = sorted(
        (r for r in recs if not r.existing), key=lambda r: (-r.score, STANDARD_UNITS.index(r.unit))
    )
    for rec in candidates[:top]:
        if rec.score > 0:
            rec.first = True
    return candidates + [r for r in recs if r.existing]
