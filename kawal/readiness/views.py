from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawal.cooperatives.selectors import cooperative_get
from kawal.core.paginate import paginate
from kawal.core.scope import Cap, can, may_assess, may_verify_assessment, requires
from kawal.core.services import STALE_MESSAGE
from kawal.core.uploads import stored_file_response
from kawal.readiness import charts, forms, resolvers, selectors, services
from kawal.readiness.models import (
    CATEGORY_TONE,
    GAP_THRESHOLD,
    THRESHOLD_PERLU,
    THRESHOLD_SIAP,
    Area,
    Item,
)
from kawal.regions.selectors import districts_in_scope, regency_choice


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@requires(Cap.VIEW)
def index(request):
    regencies, regency, needs_regency = regency_choice(
        user=request.user, requested=request.GET.get("kabupaten", "")
    )
    # A province or the nation: kecamatan only once a regency is chosen.
    districts = (
        [] if needs_regency else list(districts_in_scope(user=request.user, regency=regency))
    )
    form = forms.ListFilterForm(request.GET or None, districts=districts, regencies=regencies)
    data = form.cleaned_data if form.is_valid() else {}
    coops = selectors.cooperative_readiness_list(
        user=request.user,
        q=data.get("q", ""),
        district=data.get("kecamatan", ""),
        category=data.get("kategori", ""),
        status=data.get("status", ""),
        regency=regency,
    )
    page = paginate(request, coops)
    page.object_list = selectors.attach_latest(page.object_list)
    context = {"form": form, "page": page, "tones": CATEGORY_TONE}
    if request.htmx:
        return render(request, "readiness/index.html#rows", context)
    summary = selectors.readiness_summary(
        user=request.user,
        district=data.get("kecamatan", ""),
        regency=regency,
        by="regency" if len(regencies) > 1 and not regency else "district",
    )
    for row in summary["rows"]:
        row["bar"] = charts.stacked(row["shares"])
    context.update(
        summary=summary,
        categories=selectors.CATEGORY_ORDER,
        thresholds={"siap": THRESHOLD_SIAP, "perlu": THRESHOLD_PERLU},
    )
    return render(request, "readiness/index.html", context)


@requires(Cap.VIEW)
def cooperative(request, pk: int):
    coop = cooperative_get(user=request.user, pk=pk)
    history = list(selectors.assessment_history(user=request.user, cooperative=coop))
    context = {
        "coop": coop,
        "history": history,
        "spark": charts.sparkline(selectors.trend_points(history)),
        "form": forms.AssessmentCreateForm(),
        "instrument": selectors.instrument_current(region_code=coop.village_id),
        "may_assess": may_assess(request.user, coop.village_id),
    }
    return render(request, "readiness/cooperative.html", context)


@require_POST
@requires(Cap.EDIT)
def assessment_new(request, pk: int):
    coop = cooperative_get(user=request.user, pk=pk)
    form = forms.AssessmentCreateForm(request.POST)
    if form.is_valid():
        try:
            assessment = services.assessment_create(
                actor=request.user, cooperative=coop, assessed_on=form.cleaned_data["assessed_on"]
            )
        except ValidationError as error:
            _errors(request, error)
            if getattr(error, "code", None) == "draft_exists":
                return redirect("readiness:assessment", pk=error.params["pk"])
        else:
            return redirect("readiness:assessment", pk=assessment.pk)
    else:
        messages.error(request, _("Enter a valid assessment date."))
    return redirect("readiness:cooperative", pk=coop.pk)


def _assessment_context(request, assessment, forms_by_row=None):
    sections = selectors.assessment_sections(assessment)
    village = assessment.cooperative.village_id
    editable = assessment.status == assessment.Status.DRAFT and may_assess(request.user, village)
    forms_by_row = forms_by_row or {}
    version = assessment.version
    for section in sections:
        for row in section["rows"]:
            row.form = forms_by_row.get(row.pk) or forms.ItemScoreForm(
                initial={"score": row.score, "comment": row.comment, "version": version},
                prefix=f"s{row.pk}",
            )
            row.gap = row.score is not None and row.score < GAP_THRESHOLD
    return {
        "assessment": assessment,
        "sections": sections,
        "editable": editable,
        "may_verify": assessment.status == assessment.Status.SUBMITTED
        and may_verify_assessment(request.user, village, assessment.assessor_id),
        "own_assessment": assessment.status == assessment.Status.SUBMITTED
        and can(request.user, Cap.VERIFY, village)
        and assessment.assessor_id == request.user.pk,
        # Distinct ids: the versions are refreshed out of band after an item is saved.
        "submit_form": forms.SubmitForm(
            initial={"comment": assessment.comment, "version": version}, auto_id="submit_%s"
        ),
        "refresh_form": forms.VersionForm(initial={"version": version}, auto_id="refresh_%s"),
        "verify_form": forms.VersionForm(initial={"version": version}, auto_id="verify_%s"),
        "return_form": forms.ReturnForm(initial={"version": version}, auto_id="return_%s"),
        "gap_threshold": GAP_THRESHOLD,
        "followups": selectors.assessment_followups(assessment),
        "tone": CATEGORY_TONE.get(assessment.category, "muted"),
    }


@requires(Cap.VIEW)
def assessment(request, pk: int):
    obj = selectors.assessment_get(user=request.user, pk=pk)
    return render(request, "readiness/assessment.html", _assessment_context(request, obj))


@require_POST
@requires(Cap.EDIT)
def item_score(request, pk: int, score_pk: int):
    obj = selectors.assessment_get(user=request.user, pk=pk)
    row = selectors.item_score_get(user=request.user, assessment=obj, pk=score_pk)
    form = forms.ItemScoreForm(request.POST, request.FILES, prefix=f"s{row.pk}")
    if form.is_valid():
        try:
            services.item_score_save(
                actor=request.user,
                assessment=obj,
                item_score=row,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                evidence=form.cleaned_data["evidence"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errs in error.message_dict.items():
                    for message in errs:
                        form.add_error(field if field in form.fields else None, message)
            else:
                for message in error.messages:
                    form.add_error(None, message)
        else:
            if not request.htmx:
                messages.success(request, _("Score saved."))
                return redirect(reverse("readiness:assessment", args=[obj.pk]) + f"#butir-{row.pk}")
            form = None
    obj.refresh_from_db()
    row.refresh_from_db()
    context = _assessment_context(request, obj, {row.pk: form} if form else None)
    if request.htmx:
        for section in context["sections"]:
            for r in section["rows"]:
                if r.pk == row.pk:
                    context.update(row=r, section=section)
        return render(request, "readiness/_item_response.html", context)
    return render(request, "readiness/assessment.html", context, status=400)


def _version(form) -> int:
    """The version a transition form was read at; a form without one is out of date."""
    form.is_valid()
    version = form.cleaned_data.get("version")
    if version is None:
        raise ValidationError(STALE_MESSAGE, code="stale")
    return version


def _transition(request, pk, action):
    obj = selectors.assessment_get(user=request.user, pk=pk)
    try:
        action(obj)
    except ValidationError as error:
        _errors(request, error)
    return redirect("readiness:assessment", pk=obj.pk)


@require_POST
@requires(Cap.EDIT)
def assessment_refresh(request, pk: int):
    form = forms.VersionForm(request.POST)

    def act(obj):
        services.assessment_refresh_auto(
            actor=request.user, assessment=obj, expected_version=_version(form)
        )
        messages.success(request, _("Automatic scores read again from the registry."))

    return _transition(request, pk, act)


@require_POST
@requires(Cap.EDIT)
def assessment_submit(request, pk: int):
    form = forms.SubmitForm(request.POST)

    def act(obj):
        version = _version(form)
        services.assessment_submit(
            actor=request.user,
            assessment=obj,
            comment=form.cleaned_data.get("comment"),
            expected_version=version,
        )
        messages.success(request, _("Assessment submitted for verification by the Dinas."))

    return _transition(request, pk, act)


@require_POST
@requires(Cap.VERIFY)
def assessment_verify(request, pk: int):
    form = forms.VersionForm(request.POST)

    def act(obj):
        services.assessment_verify(
            actor=request.user, assessment=obj, expected_version=_version(form)
        )
        messages.success(request, _("Assessment verified; gaps became follow-ups."))

    return _transition(request, pk, act)


@require_POST
@requires(Cap.VERIFY)
def assessment_return(request, pk: int):
    form = forms.ReturnForm(request.POST)

    def act(obj):
        version = _version(form)
        services.assessment_return(
            actor=request.user,
            assessment=obj,
            reason=form.cleaned_data.get("reason", ""),
            expected_version=version,
        )
        messages.success(request, _("Assessment returned to the assessor."))

    return _transition(request, pk, act)


@requires(Cap.VIEW)
def evidence(request, pk: int, score_pk: int):
    obj = selectors.assessment_get(user=request.user, pk=pk)
    row = selectors.item_score_get(user=request.user, assessment=obj, pk=score_pk)
    return stored_file_response(row.evidence, row.evidence_name or "bukti")


# --- instrument -------------------------------------------------------------------------------


@requires(Cap.VIEW)
def instrument_list(request):
    instruments = list(selectors.instrument_list(user=request.user))
    regencies = selectors.regencies_without_instrument(user=request.user)
    return render(
        request,
        "readiness/instrument_list.html",
        {"instruments": instruments, "regencies": regencies},
    )


@require_POST
@requires(Cap.VERIFY)
def instrument_create_default(request):
    code = request.POST.get("region", "")
    if code not in {r.code for r in selectors.regencies_without_instrument(user=request.user)}:
        raise Http404
    instrument = services.instrument_create_default(actor=request.user, region_code=code)
    messages.success(request, _("The default instrument is now in use."))
    return redirect("readiness:instrument", pk=instrument.pk)


@requires(Cap.VIEW)
def instrument_detail(request, pk: int, forms_override=None):
    instrument = selectors.instrument_get(user=request.user, pk=pk)
    areas = selectors.instrument_areas(instrument)
    may_edit = instrument.is_draft and can(request.user, Cap.VERIFY, instrument.region_id)
    overrides = forms_override or {}
    labels = dict(resolvers.resolver_choices())
    for area in areas:
        for item in area.items.all():
            item.rule_label = labels.get(item.resolver, item.resolver)
    if may_edit:
        for area in areas:
            area.form = overrides.get(("area", area.pk)) or forms.AreaForm(
                instance=area, prefix=f"a{area.pk}"
            )
            area.item_rows = []
            for item in area.items.all():
                item.form = overrides.get(("item", item.pk)) or forms.ItemForm(
                    instance=item, prefix=f"i{item.pk}"
                )
                area.item_rows.append(item)
            area.new_item_form = overrides.get(("new_item", area.pk)) or forms.ItemForm(
                prefix=f"n{area.pk}", initial={"method": Item.Method.MANUAL}
            )
    context = {
        "instrument": instrument,
        "areas": areas,
        "may_edit": may_edit,
        "may_version": not instrument.is_draft
        and can(request.user, Cap.VERIFY, instrument.region_id),
        "problems": services.weight_problems(instrument) if instrument.is_draft else [],
        "instrument_form": overrides.get("instrument")
        or forms.InstrumentForm(
            initial={"title": instrument.title, "description": instrument.description}
        ),
        "new_area_form": overrides.get("new_area") or forms.AreaForm(prefix="na"),
    }
    status = 400 if overrides else 200
    return render(request, "readiness/instrument_detail.html", context, status=status)


@require_POST
@requires(Cap.VERIFY)
def instrument_new_version(request, pk: int):
    instrument = selectors.instrument_get(user=request.user, pk=pk)
    draft = services.instrument_new_version(actor=request.user, instrument=instrument)
    messages.success(
        request,
        _("Draft version %(v)d created; published versions stay as they were.")
        % {"v": draft.version},
    )
    return redirect("readiness:instrument", pk=draft.pk)


@require_POST
@requires(Cap.VERIFY)
def instrument_publish(request, pk: int):
    instrument = selectors.instrument_get(user=request.user, pk=pk)
    try:
        services.instrument_publish(actor=request.user, instrument=instrument)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Version %(v)d is now in use.") % {"v": instrument.version})
    return redirect("readiness:instrument", pk=instrument.pk)


@require_POST
@requires(Cap.VERIFY)
def instrument_edit(request, pk: int):
    """One POST endpoint for the draft's forms: `what` says which one."""
    instrument = selectors.instrument_get(user=request.user, pk=pk)
    what = request.POST.get("what", "")
    try:
        if what == "instrument":
            form = forms.InstrumentForm(request.POST)
            key = "instrument"
            if form.is_valid():
                services.instrument_update(
                    actor=request.user, instrument=instrument, **form.cleaned_data
                )
        elif what in ("area", "new_area"):
            area = (
                get_object_or_404(Area, pk=request.POST.get("area"), instrument=instrument)
                if what == "area"
                else None
            )
            form = forms.AreaForm(
                request.POST, instance=area, prefix=f"a{area.pk}" if area else "na"
            )
            key = ("area", area.pk) if area else "new_area"
            if form.is_valid():
                services.area_save(
                    actor=request.user, instrument=instrument, area=area, **form.cleaned_data
                )
        elif what in ("item", "new_item"):
            if what == "item":
                item = get_object_or_404(
                    Item, pk=request.POST.get("item"), area__instrument=instrument
                )
                area, prefix, key = item.area, f"i{item.pk}", ("item", item.pk)
            else:
                item = None
                area = get_object_or_404(Area, pk=request.POST.get("area"), instrument=instrument)
                prefix, key = f"n{area.pk}", ("new_item", area.pk)
            form = forms.ItemForm(request.POST, instance=item, prefix=prefix)
            if form.is_valid():
                data = dict(form.cleaned_data)
                services.item_save(actor=request.user, area=area, item=item, **data)
        elif what == "delete_item":
            item = get_object_or_404(Item, pk=request.POST.get("item"), area__instrument=instrument)
            services.item_delete(actor=request.user, item=item)
            messages.success(request, _("Item removed."))
            return redirect("readiness:instrument", pk=instrument.pk)
        elif what == "delete_area":
            area = get_object_or_404(Area, pk=request.POST.get("area"), instrument=instrument)
            services.area_delete(actor=request.user, area=area)
            messages.success(request, _("Area removed."))
            return redirect("readiness:instrument", pk=instrument.pk)
        else:
            raise Http404
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errs in error.message_dict.items():
                for message in errs:
                    form.add_error(field if field in form.fields else None, message)
        else:
            _errors(request, error)
            return redirect("readiness:instrument", pk=instrument.pk)
    if form.errors:
        return instrument_detail.__wrapped__(request, pk, forms_override={key: form})
    messages.success(request, _("Saved."))
    return redirect("readiness:instrument", pk=instrument.pk)
