"""What potential adds: its menu entry and the readiness item "no business line overlaps the
BUMDes", answered by the overlap analysis."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.core.extensions import contribute
from kawal.core.nav import NavItem
from kawal.core.scope import Cap
from kawal.potential import analysis
from kawal.potential.selectors import load_village_data
from kawal.readiness.resolvers import READINESS_RESOLVER, Resolver


def bumdes_overlap(facts):
    village = facts.cooperative.village
    data = load_village_data([village])[village.code]
    if data.bumdes is None:
        return None, _("The village has no BUMDes registered: not applicable.")
    if not data.bumdes.is_active:
        return None, _("The BUMDes is inactive: not applicable.")
    overlaps = [f for f in analysis.analyse(data) if f.kind == analysis.TUMPANG_TINDIH]
    if not overlaps:
        return 100, _("No KMP line overlaps the units of %(bumdes)s.") % {
            "bumdes": data.bumdes.name
        }
    well = [u for u in data.active_units if u.runs_well]
    score = 0 if well and any(u.category in {f.category for f in overlaps} for u in well) else 50
    return score, overlaps[0].text


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav",
        NavItem(
            gettext_lazy("Potential & BUMDes"),
            "potential:index",
            Cap.VIEW,
            order=41,
            group="koperasi",
        ),
    )
    contribute(
        READINESS_RESOLVER,
        Resolver("bumdes_overlap", gettext_lazy("No overlap with the BUMDes"), bumdes_overlap),
    )
