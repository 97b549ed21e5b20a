"""What training adds to other pages: the cooperative page's training section. Registered in
one place, TrainingConfig.ready(). (No home panel: the home page is at its query budget.)"""

from kawal.training import selectors


def cooperative_section(request, cooperative):
    data = selectors.cooperative_training(user=request.user, cooperative=cooperative)
    return {**data, "cooperative": cooperative, "target": selectors.TRAINED_TARGET}
