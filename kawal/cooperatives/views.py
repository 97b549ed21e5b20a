from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kawal.cooperatives import forms, selectors, services
from kawal.cooperatives.extensions import list_columns, list_filters, sections
from kawal.cooperatives.models import Officer, Outlet
from kawal.core.paginate import paginate
from kawal.core.scope import Cap, can, has_capability, require, requires


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form (field errors where the field exists)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _editable_cooperative(request, pk):
    """The cooperative if the user may change it: 404 outside its scope, 403 if view-only."""
    cooperative = selectors.cooperative_get(user=request.user, pk=pk)
    require(request.user, Cap.EDIT, cooperative.village_id)
    return cooperative


@requires(Cap.VIEW)
def cooperative_list(request):
    filters = list_filters()
    form = forms.ListFilterForm(
        request.GET or None,
        kecamatan_choices=selectors.kecamatan_choices(user=request.user),
        extra_filters=filters,
        user=request.user,
    )
    cooperatives = selectors.cooperative_search(user=request.user, params=request.GET)
    page = paginate(request, cooperatives)
    rows = list(page.object_list)
    selectors.attach_warnings(rows)
    columns = list_columns()
    for column in columns:
        column.annotate(request.user, rows)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "columns": columns,
        "may_create": has_capability(request.user, Cap.EDIT),
    }
    template = "cooperatives/list.html#rows" if request.htmx else "cooperatives/list.html"
    return render(request, template, context)


@requires(Cap.EDIT)
def cooperative_create(request):
    if request.method == "POST":
        form = forms.CooperativeCreateForm(request.POST)
        if form.is_valid():
            village = selectors.village_for_new_cooperative(
                user=request.user, code=form.cleaned_data["village_code"]
            )
            if village is None:
                form.add_error("village_code", _("Unknown village code, or outside your area."))
            else:
                name = form.cleaned_data["name"].strip() or selectors.suggested_name(
                    village=village, is_syariah=form.cleaned_data["is_syariah"]
                )
                try:
                    cooperative = services.cooperative_create(
                        actor=request.user,
                        village=village,
                        name=name,
                        scheme=form.cleaned_data["scheme"],
                        is_syariah=form.cleaned_data["is_syariah"],
                    )
                except ValidationError as error:
                    if hasattr(error, "error_dict") and "village" in error.message_dict:
                        form.add_error("village_code", error.message_dict["village"])
                    else:
                        apply_errors(form, error)
                else:
                    messages.success(request, _("The cooperative was registered."))
                    return redirect("cooperatives:detail", pk=cooperative.pk)
    else:
        form = forms.CooperativeCreateForm()
    context = {
        "form": form,
        "villages": selectors.villages_without_cooperative(user=request.user),
    }
    return render(request, "cooperatives/create.html", context)


@requires(Cap.VIEW)
def cooperative_detail(request, pk: int):
    cooperative = selectors.cooperative_page(user=request.user, pk=pk)
    blocks = []
    for section in sections():
        context = section.context(request, cooperative)
        if context is not None:
            blocks.append((section.template, context))
    context = {
        "cooperative": cooperative,
        "blocks": blocks,
        "may_edit": can(request.user, Cap.EDIT, cooperative.village_id),
        "officers": [o for o in cooperative.officers.all()],
        "outlets": list(cooperative.outlets.all()),
        "events": selectors.cooperative_history(user=request.user, cooperative=cooperative),
    }
    return render(request, "cooperatives/detail.html", context)


@requires(Cap.EDIT)
def cooperative_edit(request, pk: int):
    cooperative = _editable_cooperative(request, pk)
    if request.method == "POST":
        form_copy = selectors.cooperative_get(user=request.user, pk=pk)
        form = forms.CooperativeForm(request.POST, instance=form_copy)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in services.COOPERATIVE_FIELDS}
            try:
                services.cooperative_update(
                    actor=request.user,
                    cooperative=cooperative,
                    expected_version=form.cleaned_data["version"],
                    **data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The cooperative was saved."))
                return redirect("cooperatives:detail", pk=cooperative.pk)
    else:
        form = forms.CooperativeForm(instance=cooperative, initial={"version": cooperative.version})
    return render(
        request,
        "cooperatives/form.html",
        {
            "form": form,
            "cooperative": cooperative,
            "title": _("Edit cooperative"),
            "suggested_name": selectors.suggested_name(village=cooperative.village),
        },
    )


@requires(Cap.EDIT)
def cooperative_joint(request, pk: int):
    cooperative = _editable_cooperative(request, pk)
    villages = selectors.village_choices_for_joint(user=request.user, cooperative=cooperative)
    if request.method == "POST":
        form = forms.JointVillagesForm(request.POST, villages=villages)
        if form.is_valid():
            try:
                services.cooperative_set_joint_villages(
                    actor=request.user,
                    cooperative=cooperative,
                    villages=form.cleaned_data["villages"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The joint villages were saved."))
                return redirect("cooperatives:detail", pk=cooperative.pk)
    else:
        form = forms.JointVillagesForm(
            villages=villages, initial={"villages": list(cooperative.joint_villages.all())}
        )
    return render(
        request,
        "cooperatives/form.html",
        {"form": form, "cooperative": cooperative, "title": _("Joint cooperative")},
    )


def _officer_save(request, cooperative, officer=None):
    if request.method == "POST":
        instance = (
            selectors.officer_get(user=request.user, pk=officer.pk)
            if officer
            else Officer(cooperative=cooperative)
        )
        form = forms.OfficerForm(request.POST, instance=instance)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in services.OFFICER_FIELDS}
            try:
                if officer:
                    services.officer_update(
                        actor=request.user,
                        officer=officer,
                        expected_version=form.cleaned_data["version"],
                        **data,
                    )
                else:
                    services.officer_create(actor=request.user, cooperative=cooperative, **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The officer was saved."))
                return redirect("cooperatives:detail", pk=cooperative.pk)
    else:
        form = forms.OfficerForm(
            instance=officer, initial={"version": officer.version} if officer else {}
        )
    title = _("Edit officer") if officer else _("Add officer")
    return render(
        request,
        "cooperatives/form.html",
        {"form": form, "cooperative": cooperative, "title": title},
    )


@requires(Cap.EDIT)
def officer_add(request, pk: int):
    cooperative = _editable_cooperative(request, pk)
    return _officer_save(request, cooperative)


@requires(Cap.EDIT)
def officer_edit(request, pk: int):
    officer = selectors.officer_get(user=request.user, pk=pk)
    require(request.user, Cap.EDIT, officer.cooperative.village_id)
    return _officer_save(request, officer.cooperative, officer)


def _outlet_save(request, cooperative, outlet=None):
    if request.method == "POST":
        instance = (
            selectors.outlet_get(user=request.user, pk=outlet.pk)
            if outlet
            else Outlet(cooperative=cooperative)
        )
        form = forms.OutletForm(request.POST, instance=instance)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in services.OUTLET_FIELDS}
            try:
                if outlet:
                    services.outlet_update(
                        actor=request.user,
                        outlet=outlet,
                        expected_version=form.cleaned_data["version"],
                        **data,
                    )
                else:
                    services.outlet_create(actor=request.user, cooperative=cooperative, **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The outlet was saved."))
                return redirect("cooperatives:detail", pk=cooperative.pk)
    else:
        form = forms.OutletForm(
            instance=outlet, initial={"version": outlet.version} if outlet else {}
        )
    title = _("Edit outlet") if outlet else _("Add outlet")
    return render(
        request,
        "cooperatives/form.html",
        {"form": form, "cooperative": cooperative, "title": title},
    )


@requires(Cap.EDIT)
def outlet_add(request, pk: int):
    cooperative = _editable_cooperative(request, pk)
    return _outlet_save(request, cooperative)


@requires(Cap.EDIT)
def outlet_edit(request, pk: int):
    outlet = selectors.outlet_get(user=request.user, pk=pk)
    require(request.user, Cap.EDIT, outlet.cooperative.village_id)
    return _outlet_save(request, outlet.cooperative, outlet)
