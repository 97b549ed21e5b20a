from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.cooperatives import forms, selectors, services
from kawal.cooperatives.extension_points import list_columns, list_filters, sections
from kawal.cooperatives.models import Officer, Outlet
from kawal.core.forms import apply_service_errors
from kawal.core.paginate import paginate
from kawal.core.scope import Cap, can, has_capability, require, requires
from kawal.regions.selectors import kecamatan_choices


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
        kecamatan_choices=kecamatan_choices(user=request.user),
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
                        apply_service_errors(form, error)
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
                apply_service_errors(form, error)
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
                apply_service_errors(form, error)
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


@dataclass(frozen=True)
class _Part:
    """An officer or an outlet: the pieces its add/edit page needs."""

    name: str  # the service's keyword for the object
    model: type
    form: type
    fields: tuple
    get: Callable
    create: Callable
    update: Callable
    saved: str
    add_title: str
    edit_title: str


OFFICER = _Part(
    "officer",
    Officer,
    forms.OfficerForm,
    services.OFFICER_FIELDS,
    selectors.officer_get,
    services.officer_create,
    services.officer_update,
    gettext_lazy("The officer was saved."),
    gettext_lazy("Add officer"),
    gettext_lazy("Edit officer"),
)
OUTLET = _Part(
    "outlet",
    Outlet,
    forms.OutletForm,
    services.OUTLET_FIELDS,
    selectors.outlet_get,
    services.outlet_create,
    services.outlet_update,
    gettext_lazy("The outlet was saved."),
    gettext_lazy("Add outlet"),
    gettext_lazy("Edit outlet"),
)


def _part_save(request, part: _Part, cooperative, obj=None):
    """Add or edit one officer/outlet of a cooperative; a stale edit is refused by the service."""
    if request.method == "POST":
        # A fresh copy for the form, so the service still sees the stored values as "before".
        instance = (
            part.get(user=request.user, pk=obj.pk) if obj else part.model(cooperative=cooperative)
        )
        form = part.form(request.POST, instance=instance)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in part.fields}
            try:
                if obj:
                    part.update(
                        actor=request.user,
                        expected_version=form.cleaned_data["version"],
                        **{part.name: obj},
                        **data,
                    )
                else:
                    part.create(actor=request.user, cooperative=cooperative, **data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, part.saved)
                return redirect("cooperatives:detail", pk=cooperative.pk)
    else:
        form = part.form(instance=obj, initial={"version": obj.version} if obj else {})
    title = part.edit_title if obj else part.add_title
    return render(
        request,
        "cooperatives/form.html",
        {"form": form, "cooperative": cooperative, "title": title},
    )


@requires(Cap.EDIT)
def officer_add(request, pk: int):
    cooperative = _editable_cooperative(request, pk)
    return _part_save(request, OFFICER, cooperative)


@requires(Cap.EDIT)
def officer_edit(request, pk: int):
    officer = selectors.officer_get(user=request.user, pk=pk)
    require(request.user, Cap.EDIT, officer.cooperative.village_id)
    return _part_save(request, OFFICER, officer.cooperative, officer)


@requires(Cap.EDIT)
def outlet_add(request, pk: int):
    cooperative = _editable_cooperative(request, pk)
    return _part_save(request, OUTLET, cooperative)


@requires(Cap.EDIT)
def outlet_edit(request, pk: int):
    outlet = selectors.outlet_get(user=request.user, pk=pk)
    require(request.user, Cap.EDIT, outlet.cooperative.village_id)
    return _part_save(request, OUTLET, outlet.cooperative, outlet)
