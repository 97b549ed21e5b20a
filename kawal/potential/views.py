import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawal.core.forms import apply_service_errors
from kawal.core.imports import import_page
from kawal.core.paginate import paginate
from kawal.core.scope import (
    Cap,
    can,
    has_capability,
    may_edit_standard_list,
    require_rule,
    requires,
)
from kawal.core.xlsx import xlsx_response
from kawal.potential import analysis, exports, forms, imports, selectors, services
from kawal.potential.models import Bumdes, CommodityType, Sector
from kawal.readiness import selectors as readiness_selectors
from kawal.regions.selectors import districts_in_scope, regencies_in_scope, regency_choice


def _regency_choice(request):
    """(regencies in scope, the chosen one, whether one must be chosen first)."""
    return regency_choice(user=request.user, requested=request.GET.get("kabupaten", ""))


@requires(Cap.VIEW)
def index(request):
    regencies, regency, needs_regency = _regency_choice(request)
    districts = (
        [] if needs_regency else list(districts_in_scope(user=request.user, regency=regency))
    )
    form = forms.VillageFilterForm(request.GET or None, districts=districts, regencies=regencies)
    data = form.cleaned_data if form.is_valid() else {}
    # A province or the nation is analysed one regency at a time.
    rows = (
        []
        if needs_regency
        else selectors.village_analysis(
            user=request.user,
            district=data.get("kecamatan", ""),
            q=data.get("q", ""),
            regency=regency,
        )
    )
    status = data.get("status", "")
    listed = selectors.villages_with(rows, status) if status else rows
    page = paginate(request, listed)
    context = {
        "form": form,
        "page": page,
        "imports_enabled": has_capability(request.user, services.WRITE_CAP),
        "exports_enabled": not needs_regency,
        "needs_regency": needs_regency,
    }
    if request.htmx:
        return render(request, "potential/index.html#rows", context)
    names = {d.code: d.name for d in districts}
    context.update(
        summary=selectors.potential_summary(user=request.user, regency=regency),
        matrix=selectors.regency_matrix(rows, names),
        overlap_lines=selectors.line_matrix(rows, names),
        kinds=[(k, analysis.KIND_LABELS[k], analysis.KIND_TONES[k]) for k in analysis.KINDS],
        # Each card counts what its link lists (and what the matrix's column sums).
        status_counts=[
            (
                analysis.KIND_LABELS[k],
                len(selectors.villages_with(rows, k)),
                analysis.KIND_TONES[k],
                k,
            )
            for k in (*analysis.KINDS, analysis.NO_DATA)
        ],
    )
    return render(request, "potential/index.html", context)


@requires(Cap.VIEW)
def map_view(request):
    from kawal.regions import selectors as region_selectors

    regencies = regencies_in_scope(user=request.user)
    code = request.GET.get("wilayah", "")
    if code:
        region = region_selectors.region_get(user=request.user, code=code)
        if region.level not in (2, 3):
            raise Http404
    else:
        roots = list(region_selectors.region_roots(user=request.user))
        if not roots:
            raise Http404
        region = roots[0] if roots[0].level >= 2 or not regencies else regencies[0]
    regency_code = region.regency_code or region.code
    districts = list(districts_in_scope(user=request.user, regency=regency_code))
    params = {}
    if len(regencies) > 1:
        params["kabupaten"] = regency_code
    if region.level == 3:
        params["kecamatan"] = region.code
    status_url = reverse("potential:map_status") + ("?" + urlencode(params) if params else "")
    legend = [
        (k, analysis.KIND_LABELS[k], analysis.KIND_COLOURS[k])
        for k in (*analysis.KINDS, analysis.NO_DATA)
    ]
    return render(
        request,
        "potential/map.html",
        {
            "region": region,
            "legend": legend,
            "districts": districts,
            "regencies": regencies if len(regencies) > 1 else [],
            "regency_code": regency_code,
            "status_url": status_url,
            "colours": json.dumps(analysis.KIND_COLOURS),
        },
    )


@requires(Cap.VIEW)
def map_status(request):
    """{village code: overlap status} inside the user's scope (for the map layer)."""
    regencies, regency, needs_regency = _regency_choice(request)
    district = request.GET.get("kecamatan", "")
    if needs_regency and not district:
        raise Http404  # one regency at a time
    statuses = selectors.village_statuses(user=request.user, district=district, regency=regency)
    return JsonResponse(
        {"statuses": statuses, "labels": {k: str(v) for k, v in analysis.KIND_LABELS.items()}}
    )


def _village_context(request, village):
    data = selectors.load_village_data([village])[village.code]
    findings = analysis.analyse(data)
    latest = None
    areas, gaps = [], []
    if data.cooperative is not None:
        latest = readiness_selectors.latest_for_cooperatives([data.cooperative.pk]).get(
            data.cooperative.pk
        )
    if latest is not None:
        # The assessment's own instrument version: area codes may be renamed or reused later.
        names = readiness_selectors.area_names(latest.instrument_id)
        areas = [(names.get(code, code), score) for code, score in latest.area_scores.items()]
        gaps = readiness_selectors.assessment_gaps(latest)
    return {
        "village": village,
        "district_name": selectors.district_name(village),
        "data": data,
        "findings": findings,
        "status_label": analysis.KIND_LABELS[analysis.village_status(data, findings)],
        "status_tone": analysis.KIND_TONES[analysis.village_status(data, findings)],
        "recommendations": analysis.recommend(data, latest.category if latest else ""),
        "latest": latest,
        "latest_areas": areas,
        "latest_gaps": gaps,
        "may_edit": can(request.user, services.WRITE_CAP, village.code),
        "commodity_form": forms.CommodityForm(),
        "unit_form": forms.BumdesUnitForm(),
        "strong_value": analysis.STRONG_VALUE,
    }


@requires(Cap.VIEW)
def village(request, code: str):
    obj = selectors.village_get(user=request.user, code=code)
    return render(request, "potential/village.html", _village_context(request, obj))


@requires(Cap.MANAGE)
def profile_edit(request, code: str):
    obj = selectors.village_get(user=request.user, code=code)
    profile = selectors.profile_of(obj)
    if request.method == "POST":
        form = forms.ProfileForm(request.POST, instance=profile, village=obj)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            try:
                services.profile_save(
                    actor=request.user, village=obj, expected_version=version, **data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Village profile saved."))
                return redirect("potential:village", code=obj.code)
    else:
        form = forms.ProfileForm(
            instance=profile, village=obj, initial={"version": profile.version if profile else None}
        )
    return render(
        request,
        "potential/edit.html",
        {"village": obj, "form": form, "title": _("Village profile")},
        status=400 if form.errors else 200,
    )


@requires(Cap.MANAGE)
def bumdes_edit(request, code: str):
    obj = selectors.village_get(user=request.user, code=code)
    if obj.kind == "kelurahan":
        messages.error(request, _("A kelurahan has no BUMDes; BUMDes belong to desa."))
        return redirect("potential:village", code=obj.code)
    bumdes = selectors.bumdes_of(obj)
    if request.method == "POST":
        form = forms.BumdesForm(request.POST, instance=bumdes)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            try:
                services.bumdes_save(
                    actor=request.user, village=obj, expected_version=version, **data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("BUMDes saved."))
                return redirect("potential:village", code=obj.code)
    else:
        form = forms.BumdesForm(
            instance=bumdes, initial={"version": bumdes.version if bumdes else None}
        )
    return render(
        request,
        "potential/edit.html",
        {"village": obj, "form": form, "title": _("BUMDes")},
        status=400 if form.errors else 200,
    )


def _village_with_errors(request, obj, **overrides):
    context = _village_context(request, obj)
    context.update(overrides)
    return render(request, "potential/village.html", context, status=400)


@require_POST
@requires(Cap.MANAGE)
def commodity_add(request, code: str):
    obj = selectors.village_get(user=request.user, code=code)
    form = forms.CommodityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.commodity_save(
                actor=request.user,
                village=obj,
                commodity_type=data["commodity"],
                volume=data["volume"],
                unit=data["unit"],
                estimated_value=data["estimated_value"],
                is_main=data["is_main"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Commodity saved."))
            return redirect("potential:village", code=obj.code)
    return _village_with_errors(request, obj, commodity_form=form)


@require_POST
@requires(Cap.MANAGE)
def commodity_delete(request, pk: int):
    commodity = selectors.commodity_get(user=request.user, pk=pk)
    services.commodity_delete(actor=request.user, commodity=commodity)
    messages.success(request, _("Commodity removed."))
    return redirect("potential:village", code=commodity.village_id)


@require_POST
@requires(Cap.MANAGE)
def unit_add(request, code: str):
    obj = selectors.village_get(user=request.user, code=code)
    bumdes = get_object_or_404(Bumdes, village=obj)
    form = forms.BumdesUnitForm(request.POST)
    if form.is_valid():
        try:
            services.bumdes_unit_save(actor=request.user, bumdes=bumdes, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Business unit saved."))
            return redirect("potential:village", code=obj.code)
    return _village_with_errors(request, obj, unit_form=form)


@require_POST
@requires(Cap.MANAGE)
def unit_delete(request, pk: int):
    unit = selectors.bumdes_unit_get(user=request.user, pk=pk)
    services.bumdes_unit_delete(actor=request.user, unit=unit)
    messages.success(request, _("Business unit removed."))
    return redirect("potential:village", code=unit.bumdes.village_id)


@requires(Cap.VIEW)
def sectors(request):
    may_edit = may_edit_standard_list(request.user)
    sector_form = forms.SectorForm(prefix="s")
    type_form = forms.CommodityTypeForm(prefix="c")
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise Http404
        try:
            if request.POST.get("what") == "sector":
                sector = selectors.sector_or_none(request.POST.get("pk"))
                sector_form = forms.SectorForm(request.POST, instance=sector, prefix="s")
                if sector_form.is_valid():
                    services.sector_save(
                        actor=request.user, sector=sector, **sector_form.cleaned_data
                    )
                    messages.success(request, _("Sector saved."))
                    return redirect("potential:sectors")
            else:
                ctype = selectors.commodity_type_or_none(request.POST.get("pk"))
                type_form = forms.CommodityTypeForm(request.POST, instance=ctype, prefix="c")
                if type_form.is_valid():
                    services.commodity_type_save(
                        actor=request.user, commodity_type=ctype, **type_form.cleaned_data
                    )
                    messages.success(request, _("Commodity saved."))
                    return redirect("potential:sectors")
        except ValidationError as error:
            apply_service_errors(
                sector_form if request.POST.get("what") == "sector" else type_form, error
            )
        status = 400
    return render(
        request,
        "potential/sectors.html",
        {
            "sectors": selectors.sectors(),
            "may_edit": may_edit,
            "sector_form": sector_form,
            "type_form": type_form,
        },
        status=status,
    )


@requires(Cap.MANAGE)
def import_view(request):
    return import_page(
        request, imports.FLOW_KINDS, flow="kawal.potential.imports.FLOW_KINDS", error_status=400
    )


@requires(Cap.VIEW)
def export_view(request):
    regencies, regency, needs_regency = _regency_choice(request)
    if needs_regency:
        raise Http404
    rows = selectors.village_analysis(
        user=request.user,
        district=request.GET.get("kecamatan", ""),
        q=request.GET.get("q", "").strip(),
        regency=regency,
    )
    coop_ids = [r["data"].cooperative.pk for r in rows if r["data"].cooperative]
    readiness = readiness_selectors.latest_for_cooperatives(coop_ids)
    return xlsx_response(
        "analisis-potensi-bumdes.xlsx",
        exports.HEADERS,
        exports.analysis_rows(rows, selectors.district_names(user=request.user), readiness),
        sheet_title="Analisis",
    )


@requires(Cap.VERIFY)
def sector_edit(request, pk: int):
    sector = get_object_or_404(Sector, pk=pk)
    return _standard_edit(request, sector, forms.SectorForm, services.sector_save, "sector")


@requires(Cap.VERIFY)
def commodity_type_edit(request, pk: int):
    ctype = get_object_or_404(CommodityType, pk=pk)
    return _standard_edit(
        request, ctype, forms.CommodityTypeForm, services.commodity_type_save, "commodity_type"
    )


def _standard_edit(request, obj, form_class, save, key):
    require_rule(
        may_edit_standard_list(request.user),
        _("The standard list is national: only the national Dinas may change it."),
    )
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, **{key: obj}, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("potential:sectors")
    return render(
        request,
        "potential/standard_edit.html",
        {"form": form, "obj": obj},
        status=400 if form.errors else 200,
    )
