"""What training adds to other apps' pages: its menu entry, the cooperative page's training
section (needs with their sources, trainings attended, next batch) and the `officers_trained`
fact (read by operations' "what holds it back"). All in this one place, called by
TrainingConfig.ready(). (No home panel: the home page is at its query budget.)"""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from kawal.cooperatives.extension_points import (
    COOPERATIVE_FACT,
    COOPERATIVE_SECTION,
    Fact,
    Section,
    obstacle_sources,
)
from kawal.core.extensions import contribute
from kawal.core.nav import NavItem
from kawal.core.scope import Cap, is_board_only
from kawal.training import selectors


def cooperative_section(request, cooperative):
    data = selectors.cooperative_training(user=request.user, cooperative=cooperative)
    return {
        **data,
        "cooperative": cooperative,
        "target": selectors.TRAINED_TARGET,
        # A board sees its own village only: the batches (run by the regency) are not its pages.
        "link_batches": not is_board_only(request.user),
        # Needs from what holds the KMP back come by htmx (the page's query budget).
        "obstacles": bool(obstacle_sources()),
    }


def _training_section_url(cooperative_id: int) -> str:
    return reverse("cooperatives:detail", args=[cooperative_id]) + "#pelatihan"


OFFICERS_TRAINED = Fact(
    "officers_trained",
    gettext_lazy("at least two officers trained"),
    selectors.officers_trained_q,
    url=_training_section_url,
)


def register() -> None:
    """Called once by the app's AppConfig.ready()."""
    contribute(
        "nav",
        NavItem(gettext_lazy("Training"), "training:index", Cap.VIEW, order=70, group="program"),
    )
    contribute(
        COOPERATIVE_SECTION,
        Section("training", "training/section_cooperative.html", cooperative_section, order=60),
    )
    contribute(COOPERATIVE_FACT, OFFICERS_TRAINED)
