from kawal.mentoring import selectors


def home_panel(request):
    """A mentor's caseload at a glance; hidden for users without assigned cooperatives."""
    return selectors.home_summary(user=request.user)
