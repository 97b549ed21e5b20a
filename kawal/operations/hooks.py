"""What operations adds to other pages: the cooperative page's section and the home panel.
Registered in OperationsConfig.ready()."""

from kawal.cooperatives.extensions import Section
from kawal.core.scope import Cap, can, has_capability
from kawal.operations import selectors


def cooperative_section(request, cooperative):
    # Kept to the one line (two or three queries): the cooperative page gathers many sections.
    row = selectors.holds_back_for(user=request.user, cooperative=cooperative)
    return {
        "cooperative": cooperative,
        "row": row,
        "line": selectors.describe(row) if row is not None else None,
        "may_edit": can(request.user, Cap.EDIT, cooperative.village_id),
    }


SECTION = Section("operations", "operations/section_cooperative.html", cooperative_section, 30)


def home_panel(request):
    user = request.user
    if not has_capability(user, Cap.VIEW):
        return None
    # One query: the home page gathers every app's panel and has a budget of its own.
    counts = selectors.holds_back_counts(user=user)
    if not counts["total"]:
        return None
    return {"counts": counts}
