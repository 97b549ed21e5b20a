from kawal.core.scope import Cap, has_capability
from kawal.regions import selectors


def home_panel(request):
    if not has_capability(request.user, Cap.VIEW):
        return None
    return {
        "roots": selectors.region_roots(user=request.user),
        "counts": selectors.region_counts(user=request.user),
    }
