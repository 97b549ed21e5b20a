from kawal.core.scope import Cap, has_capability
from kawal.taskforce import selectors


def home_panel(request):
    if not has_capability(request.user, Cap.VIEW):
        return None
    upcoming = selectors.meeting_next(user=request.user)
    if upcoming is None and not selectors.meeting_list(user=request.user).exists():
        return None
    return {"upcoming": upcoming}
