from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kawal.core.forms import apply_service_errors
from kawal.core.paginate import paginate
from kawal.core.scope import Cap, dashboard_roots, requires
from kawal.core.uploads import stored_file_response
from kawal.reports import charts, selectors, services
from kawal.reports.forms import ReportRequestForm
from kawal.reports.models import IssuedReport


@requires(Cap.VIEW_DASHBOARD)
def dashboard(request):
    """The leaders' page: where the KMP stand, what changed, who must act."""
    user = request.user
    root = selectors.root_for(user=user, code=request.GET.get("wilayah", "").strip())
    tallies, counted_at = services.counted_figures(root=root, on=selectors.today())
    data = selectors.dashboard_figures(user=user, root=root, tallies=tallies)
    roots = dashboard_roots(user)
    context = {
        "data": data,
        "counted_at": counted_at,
        "kept_minutes": int(services.FRESH.total_seconds() // 60),
        "root": root,
        "root_name": selectors.region_name(root),
        "crumbs": selectors.breadcrumbs(user=user, root=root),
        "other_roots": [(code or "id", selectors.region_name(code)) for code in roots[1:6]]
        if len(roots) > 1
        else [],
        "funnel_chart": charts.funnel(data["funnel"]),
        "agency_chart": charts.bars(data["agencies"]),
        "headers": selectors.table_headers(dashboard=True),
        "child_is_village": root is not None and len(root) == 8,
        "weeks": selectors.TREND_WEEKS,
    }
    return render(request, "reports/dashboard.html", context)


@requires(Cap.VIEW_DASHBOARD)
def report_list(request):
    """Issued reports in scope, and the form asking for a new one (made in the worker)."""
    user = request.user
    within = selectors.root_for(user=user, code=request.GET.get("wilayah", "").strip())
    regions = selectors.report_regions(user=user, within=within)
    last_start, _end = services.last_period(IssuedReport.Kind.WEEKLY, selectors.today())
    initial = {"kind": IssuedReport.Kind.WEEKLY, "day": last_start}
    form = ReportRequestForm(request.POST or None, regions=regions, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = services.report_request(
                    actor=user,
                    kind=form.cleaned_data["kind"],
                    region_code=form.cleaned_data["region"],
                    day=form.cleaned_data["day"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The report is being made; this page shows when."))
                return redirect(f"{request.path}?baru={report.pk}#laporan-{report.pk}")
        status = 400
    page = paginate(request, selectors.issued_reports(user=user))
    context = {
        "form": form,
        "page": page,
        "regions": regions,
        "within": within or "id",
        "areas": selectors.report_areas(user=user, within=within),
    }
    return render(request, "reports/report_list.html", context, status=status)


@requires(Cap.VIEW_DASHBOARD)
def report_status(request, pk: int):
    """The htmx-polled row of a report being made (like the import jobs' status)."""
    report = selectors.issued_report_get(user=request.user, pk=pk)
    return render(request, "reports/report_list.html#row", {"report": report})


@requires(Cap.VIEW_DASHBOARD)
def report_file(request, pk: int, fmt: str):
    """An issued report's stored PDF or XLSX, only through this scoped view."""
    report = selectors.issued_report_get(user=request.user, pk=pk)
    if report.status != IssuedReport.Status.DONE or fmt not in ("pdf", "xlsx"):
        raise Http404
    field = report.pdf if fmt == "pdf" else report.xlsx
    from kawal.reports.documents import file_stem

    return stored_file_response(field, f"{file_stem(report)}.{fmt}")


@requires(Cap.VIEW_DASHBOARD)
def map_view(request):
    """Kecamatan and village polygons (the regions app's map) coloured by a chosen measure."""
    user = request.user
    root = selectors.root_for(user=user, code=request.GET.get("wilayah", "").strip())
    measure = request.GET.get("ukuran", "fase")
    measure = measure if measure in selectors.MEASURES else "fase"
    shown = selectors.map_root(root)
    context = {
        "root": root,
        "shown": shown,
        "root_name": selectors.region_name(shown),
        "measure": measure,
        "measures": list(selectors.MEASURES.items()),
        "crumbs": selectors.breadcrumbs(user=user, root=root),
        "tile_url": settings.KAWAL_TILE_URL,
        "legend": selectors.map_legend(measure),
    }
    return render(request, "reports/map.html", context)


@requires(Cap.VIEW_DASHBOARD)
def map_data(request):
    """{code: colour and text} of the children of `wilayah` for `ukuran`, and the legend."""
    user = request.user
    root = selectors.root_for(user=user, code=request.GET.get("wilayah", "").strip())
    shown = selectors.map_root(root)
    tallies, _at = services.counted_figures(root=shown, on=selectors.today())
    measure = request.GET.get("ukuran", "")
    data = selectors.map_figures(user=user, root=root, measure=measure, tallies=tallies)
    return JsonResponse({"values": data["values"], "legend": data["legend"]})
