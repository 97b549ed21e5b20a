from kawal.core.scope import Cap, has_capability
from kawal.readiness import selectors


def home_panel(request):
    if not has_capability(request.user, Cap.VIEW):
        return None
    return {"summary": selectors.readiness_summary(user=request.user)}
