"""What training adds to other pages: the cooperative page's training section and the home
panel. Registered in one place, TrainingConfig.ready()."""

from kawal.core.scope import Cap, has_capability
from kawal.training import selectors


def cooperative_section(request, cooperative):
    data = selectors.cooperative_training(user=request.user, cooperative=cooperative)
    return {**data, "cooperative": cooperative, "target": selectors.TRAINED_TARGET}


def home_panel(request):
    if not has_capability(request.user, Cap.VIEW):
        return None
    return selectors.home_summary(user=request.user)
