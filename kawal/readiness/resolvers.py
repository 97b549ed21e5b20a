"""Automatic scores: named rules that read the registry and explain themselves.

Each resolver takes the cooperative's registry facts and returns (score 0–100 or None, one
sentence of explanation). None means "not applicable here" (e.g. no BUMDes in a kelurahan): the
item then drops out of its area's weighting instead of counting as 0. Apps higher up (potential)
contribute their own resolvers (kawal.core.extensions), so this app imports none of theirs.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute, contributions, declare
from kawal.core.formats import rupiah

# Capital thresholds (simpanan pokok + wajib + hibah) for the capital item.
CAPITAL_FULL = 50_000_000
CAPITAL_GOOD = 10_000_000
MEMBERS_FULL = 100
MIN_FOUNDERS = 9  # rapat pendirian: at least 9 founders (docs/DOMAIN.md §3)
PENGURUS_POSITIONS = (
    "ketua",
    "wakil_ketua_usaha",
    "wakil_ketua_anggota",
    "sekretaris",
    "bendahara",
)
STANDARD_UNITS = 7


@dataclass
class Facts:
    """What the registry knows about one cooperative, read in a few queries."""

    cooperative: object
    steps: dict = field(default_factory=dict)  # step code -> status
    officers: list = field(default_factory=list)  # active Officer rows
    outlets: list = field(default_factory=list)  # Outlet rows


@dataclass(frozen=True)
class Resolver:
    name: str
    label: object
    fn: Callable  # (Facts) -> (int | None, str)


# The extension point: apps higher up (potential) contribute `Resolver`s from their
# contributions.py; the built-in rules below are contributed here.
READINESS_RESOLVER = "readiness_resolver"
declare(READINESS_RESOLVER, key=lambda r: r.name)


def resolvers_by_name() -> dict[str, Resolver]:
    return {r.name: r for r in contributions(READINESS_RESOLVER)}


def resolver_choices() -> list[tuple[str, object]]:
    return [(r.name, r.label) for r in contributions(READINESS_RESOLVER)]


def facts_for(cooperative) -> Facts:
    from kawal.cooperatives.models import Officer, Outlet
    from kawal.formation.models import StepRecord

    return Facts(
        cooperative=cooperative,
        steps=dict(
            StepRecord.objects.filter(cooperative=cooperative).values_list("step", "status")
        ),
        officers=list(Officer.objects.filter(cooperative=cooperative, is_active=True)),
        outlets=list(Outlet.objects.filter(cooperative=cooperative)),
    )


def resolve(name: str, facts: Facts) -> tuple[int | None, str]:
    resolver = resolvers_by_name().get(name)
    if resolver is None:
        return None, _("No automatic rule named “%(name)s” is available.") % {"name": name}
    score, explanation = resolver.fn(facts)
    if score is not None:
        score = max(0, min(100, int(round(score))))
    return score, explanation


def _step_score(facts: Facts, code: str, label: str) -> tuple[int, str]:
    status = facts.steps.get(code, "belum")
    if status == "selesai":
        return 100, _("%(step)s is recorded as done in the formation pipeline.") % {"step": label}
    if status in ("proses", "bermasalah"):
        return 50, _("%(step)s is still in process.") % {"step": label}
    return 0, _("%(step)s is not recorded yet.") % {"step": label}


def legal_entity(facts: Facts):
    from kawal.formation.steps import LEGAL_ENTITY_STEP

    code = LEGAL_ENTITY_STEP.get(facts.cooperative.scheme, "sk_ahu")
    return _step_score(facts, code, _("The legal-entity approval (SK AHU)"))


def bank_account(facts: Facts):
    return _step_score(facts, "rekening", _("The bank account in the cooperative's name"))


def business_plan(facts: Facts):
    return _step_score(facts, "simkopdes", _("The SIMKOPDES account and business plan"))


def tax_licence(facts: Facts):
    done = [s for s in ("npwp", "nib") if facts.steps.get(s) == "selesai"]
    score = 50 * len(done)
    if score == 100:
        return 100, _("NPWP and NIB are both recorded as done.")
    if done:
        return 50, _("Only %(done)s is recorded as done.") % {"done": done[0].upper()}
    return 0, _("Neither NPWP nor NIB is recorded as done.")


def pengurus_complete(facts: Facts):
    held = {o.position for o in facts.officers if o.body == "pengurus"}
    filled = [p for p in PENGURUS_POSITIONS if p in held]
    return 100 * len(filled) / len(PENGURUS_POSITIONS), _(
        "%(filled)d of the %(total)d standard pengurus positions are filled."
    ) % {"filled": len(filled), "total": len(PENGURUS_POSITIONS)}


def pengurus_compliant(facts: Facts):
    pengurus = [o for o in facts.officers if o.body == "pengurus"]
    if not pengurus:
        return 0, _("No pengurus is recorded.")
    problems = []
    officials = [o for o in pengurus if o.is_village_official or o.is_village_head]
    if officials:
        problems.append(_("%(n)d village official(s) sit on the board") % {"n": len(officials)})
    bpd = [o for o in pengurus if o.is_bpd_member]
    if bpd:
        problems.append(_("%(n)d BPD member(s) sit on the board") % {"n": len(bpd)})
    if not any(o.sex == "P" for o in pengurus):
        problems.append(_("no woman sits on the board"))
    if len(pengurus) % 2 == 0:
        problems.append(_("the board has an even number of members"))
    if not problems:
        return 100, _(
            "The board meets the rules: no village officials or BPD members, women represented, odd number."
        )
    return max(0, 100 - 25 * len(problems)), _("Board rules not met: %(problems)s.") % {
        "problems": "; ".join(problems)
    }


def pengawas_complete(facts: Facts):
    pengawas = [o for o in facts.officers if o.body == "pengawas"]
    chaired = any(o.is_village_head for o in pengawas)
    if len(pengawas) >= 3 and chaired:
        return 100, _("%(n)d pengawas, chaired by the kepala desa/lurah.") % {"n": len(pengawas)}
    if len(pengawas) >= 3:
        return 75, _(
            "%(n)d pengawas, but the kepala desa/lurah is not recorded as their chair."
        ) % {"n": len(pengawas)}
    if pengawas:
        return 50, _("Only %(n)d pengawas recorded (at least 3 expected).") % {"n": len(pengawas)}
    return 0, _("No pengawas is recorded.")


def members_savings(facts: Facts):
    coop = facts.cooperative
    members = coop.members_male + coop.members_female
    saved = coop.simpanan_pokok > 0 and coop.simpanan_wajib > 0
    if members < MIN_FOUNDERS:
        return 0, _("%(n)d members recorded (at least %(min)d founders expected).") % {
            "n": members,
            "min": MIN_FOUNDERS,
        }
    score = 50 + 50 * min(members, MEMBERS_FULL) / MEMBERS_FULL
    if not saved:
        score = score / 2
        return score, _("%(n)d members, but simpanan pokok and wajib are not both collected.") % {
            "n": members
        }
    return score, _("%(n)d members; simpanan pokok %(pokok)s and wajib %(wajib)s collected.") % {
        "n": members,
        "pokok": rupiah(coop.simpanan_pokok),
        "wajib": rupiah(coop.simpanan_wajib),
    }


def _status_points(status: str) -> int:
    return {"beroperasi": 100, "pembangunan": 60, "persiapan": 40, "rencana": 20}.get(status, 0)


def office(facts: Facts):
    offices = [o for o in facts.outlets if o.outlet_type == "kantor" and o.status != "tutup"]
    if not offices:
        return 0, _("No cooperative office (kantor koperasi) is recorded.")
    best = max(offices, key=lambda o: _status_points(o.status))
    return _status_points(best.status), _("The cooperative office is %(status)s.") % {
        "status": best.get_status_display()
    }


def outlet_land(facts: Facts):
    from kawal.cooperatives.models import MIN_LAND_M2

    sites = [o for o in facts.outlets if o.land_area_m2 is not None]
    if not sites:
        if facts.outlets:
            return 25, _("Outlets are planned but no land area is recorded.")
        return 0, _("No outlet or land is recorded.")
    best = max(sites, key=lambda o: o.land_area_m2)
    if best.land_area_m2 >= MIN_LAND_M2 and best.land_ownership in ("desa", "pemda"):
        return 100, _("Land of %(m2)s m² on village or government land.") % {
            "m2": best.land_area_m2
        }
    if best.land_area_m2 >= MIN_LAND_M2:
        return 75, _("Land of %(m2)s m², but not village or government land.") % {
            "m2": best.land_area_m2
        }
    return 40, _("The largest site is %(m2)s m², below the %(min)s m² rule.") % {
        "m2": best.land_area_m2,
        "min": MIN_LAND_M2,
    }


def outlets_operating(facts: Facts):
    running = {o.outlet_type for o in facts.outlets if o.status == "beroperasi"}
    running.discard("lainnya")
    building = {o.outlet_type for o in facts.outlets if o.status in ("pembangunan", "persiapan")}
    score = (len(running) + 0.5 * len(building - running)) * 100 / STANDARD_UNITS
    return score, _(
        "%(run)d of the seven standard units operate, %(build)d more are being prepared."
    ) % {
        "run": len(running),
        "build": len(building - running),
    }


def capital(facts: Facts):
    coop = facts.cooperative
    total = coop.simpanan_pokok + coop.simpanan_wajib + coop.hibah
    if total >= CAPITAL_FULL:
        score = 100
    elif total >= CAPITAL_GOOD:
        score = 75
    elif total > 0:
        score = 40
    else:
        score = 0
    return score, _("Capital collected: %(total)s (savings and grants).") % {"total": rupiah(total)}


for _name, _label, _fn in (
    ("legal_entity", gettext_lazy("Legal entity (formation steps)"), legal_entity),
    ("pengurus_complete", gettext_lazy("Pengurus positions filled"), pengurus_complete),
    ("pengurus_compliant", gettext_lazy("Pengurus rules met"), pengurus_compliant),
    ("pengawas_complete", gettext_lazy("Pengawas complete"), pengawas_complete),
    ("members_savings", gettext_lazy("Members and savings"), members_savings),
    ("office", gettext_lazy("Cooperative office"), office),
    ("outlet_land", gettext_lazy("Outlet land"), outlet_land),
    ("outlets_operating", gettext_lazy("Units operating"), outlets_operating),
    ("bank_account", gettext_lazy("Bank account (formation step)"), bank_account),
    ("tax_licence", gettext_lazy("NPWP and NIB (formation steps)"), tax_licence),
    ("business_plan", gettext_lazy("SIMKOPDES and business plan (formation step)"), business_plan),
    ("capital", gettext_lazy("Capital collected"), capital),
):
    contribute(READINESS_RESOLVER, Resolver(_name, _label, _fn))
