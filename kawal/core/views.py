from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from kawal.core import selectors
from kawal.core.nav import panels_for
from kawal.core.paginate import paginate
from kawal.core.scope import Cap, has_capability, home_focus, login_only, public, requires

DASHBOARD_PATH = "/dasbor/"


def _dashboard_url() -> str:
    """The leaders' dashboard, once an app serves it (core names no app that would)."""
    try:
        resolve(DASHBOARD_PATH)
    except Resolver404:
        return ""
    return DASHBOARD_PATH


@login_only
def home(request):
    focus = home_focus(request.user)
    context = {
        "panels": panels_for(request),
        "focus": focus,
        # Leaders land on the summary; the dashboard is their first link.
        "dashboard_url": _dashboard_url()
        if has_capability(request.user, Cap.VIEW_DASHBOARD) and focus in ("pimpinan", "camat", "")
        else "",
    }
    return render(request, "core/home.html", context)


@requires(Cap.VIEW_AUDIT)
def audit_list(request):
    events = selectors.audit_list(
        user=request.user,
        q=request.GET.get("q", "").strip(),
        region_code=request.GET.get("wilayah", "").strip(),
    )
    page = paginate(request, events, per_page=50)
    page.object_list = selectors.with_region_names(page.object_list)
    template = "core/audit_list.html#rows" if request.htmx else "core/audit_list.html"
    return render(request, template, {"page": page})


@public
def health(request):
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_only
def import_status(request, token):
    """Progress of an import running in the worker (polled by htmx); the user's own only."""
    from kawal.core.imports import job_status

    return job_status(request, token)


def csrf_failure(request, reason=""):
    """A form sent with an expired or missing security token: say so in the layout, with a way
    back, instead of Django's bare English page."""
    return render(request, "core/csrf_failure.html", status=403)
