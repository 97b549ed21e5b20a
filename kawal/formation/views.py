from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from kawal.cooperatives import selectors as coop_selectors
from kawal.core.forms import apply_service_errors
from kawal.core.imports import import_page
from kawal.core.paginate import paginate
from kawal.core.scope import Cap, can, has_capability, require, requires
from kawal.core.uploads import stored_file_response
from kawal.core.xlsx import xlsx_response
from kawal.formation import forms, imports, selectors, services
from kawal.formation import steps as pipeline
from kawal.formation.models import StepDocument
from kawal.regions.selectors import kecamatan_choices


@requires(Cap.VIEW)
def matrix(request):
    root = selectors.matrix_root(user=request.user, code=request.GET.get("wilayah", "").strip())
    if root is None:
        raise Http404
    data = selectors.progress_matrix(user=request.user, root=root)
    top = selectors.matrix_root(user=request.user) if request.GET.get("wilayah") else root
    context = {
        "root": root,
        "top": top,
        "data": data,
        "summary": selectors.legal_entity_summary(user=request.user),
        "stuck_days": selectors.stuck_days(),
        "may_verify": has_capability(request.user, Cap.VERIFY),
    }
    template = "formation/matrix.html#matrix" if request.htmx else "formation/matrix.html"
    return render(request, template, context)


@requires(Cap.VIEW)
def matrix_export(request):
    root = selectors.matrix_root(user=request.user, code=request.GET.get("wilayah", "").strip())
    if root is None:
        raise Http404
    data = selectors.progress_matrix(user=request.user, root=root)
    steps = [str(label) for _code, label in data["steps"]]
    if data["level"] == "regions":
        headers = ["kode", "wilayah", "koperasi"]
        headers += [h for s in steps for h in (s, f"{s} %")]
        rows = (
            [r["region"].code, r["region"].name, r["total"]]
            + [v for c in r["cells"] for v in (c["n"], round(c["pct"], 1))]
            for r in data["rows"]
        )
    else:
        headers = ["kode_desa", "koperasi"] + steps
        rows = (
            [r["cooperative"].village_id, r["cooperative"].name] + [c["status"] for c in r["cells"]]
            for r in data["rows"]
        )
    return xlsx_response(f"matriks-{root.code}.xlsx", headers, rows, "Matriks")


@requires(Cap.VIEW)
def stuck(request):
    kecamatan = request.GET.get("kecamatan", "").strip()
    records = selectors.stuck_list(user=request.user, kecamatan=kecamatan)
    page = paginate(request, records, per_page=50)
    context = {
        "page": page,
        "rows": selectors.with_days_stuck(list(page.object_list)),
        "kecamatan_choices": kecamatan_choices(user=request.user),
        "kecamatan": kecamatan,
        "stuck_days": selectors.stuck_days(),
    }
    template = "formation/stuck.html#rows" if request.htmx else "formation/stuck.html"
    return render(request, template, context)


def _step_context(request, cooperative, code):
    try:
        step = pipeline.step_for(cooperative.scheme, code)
    except KeyError:
        raise Http404 from None
    items = selectors.timeline(cooperative=cooperative)
    item = next(i for i in items if i.step.code == code)
    return step, item


@requires(Cap.VIEW)
def step_edit(request, pk: int, step: str):
    """The phone-friendly form of one step, with its documents."""
    cooperative = coop_selectors.cooperative_get(user=request.user, pk=pk)
    require(request.user, Cap.EDIT, cooperative.village_id)
    definition, item = _step_context(request, cooperative, step)
    record = item.record
    notaries = selectors.notary_choices()
    submits = not services.completes_directly(request.user, cooperative)
    if request.method == "POST":
        form = forms.StepForm(
            request.POST, request.FILES, step=definition, notaries=notaries, submits=submits
        )
        was_done = record is not None and record.status == "selesai"
        if (
            form.is_valid()
            and submits
            and form.cleaned_data["status"] == "selesai"
            and not was_done
        ):
            data = form.cleaned_data
            try:
                services.step_submit_completion(
                    actor=request.user,
                    cooperative=cooperative,
                    step=step,
                    started_on=data.get("started_on"),
                    completed_on=data.get("completed_on"),
                    document_number=data.get("document_number", ""),
                    notary=data.get("notary"),
                    notes=data.get("notes", ""),
                    file=data.get("file"),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The completion of “%(step)s” was sent to the Dinas; the step is "
                        "completed when the Dinas verifies the document."
                    )
                    % {"step": definition.label},
                )
                return redirect(reverse("cooperatives:detail", args=[pk]) + "#tahapan")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.step_update(
                    actor=request.user,
                    cooperative=cooperative,
                    step=step,
                    status=data["status"],
                    started_on=data.get("started_on"),
                    completed_on=data.get("completed_on"),
                    document_number=data.get("document_number", ""),
                    notary=data.get("notary"),
                    notes=data.get("notes", ""),
                    expected_version=data.get("version") or 0,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Step “%(step)s” saved.") % {"step": definition.label})
                return redirect(reverse("cooperatives:detail", args=[pk]) + "#tahapan")
    else:
        initial = {"status": "belum", "version": 0}
        if record:
            initial = {
                "status": record.status,
                "started_on": record.started_on,
                "completed_on": record.completed_on,
                "document_number": record.document_number,
                "notary": record.notary_id,
                "notes": record.notes,
                "version": record.version,
            }
        form = forms.StepForm(initial=initial, step=definition, notaries=notaries, submits=submits)
    context = {
        "cooperative": cooperative,
        "step": definition,
        "item": item,
        "form": form,
        "document_form": forms.DocumentForm(step=definition),
        "requires": [pipeline.step_for(cooperative.scheme, c) for c in definition.requires],
    }
    return render(request, "formation/step_form.html", context)


@requires(Cap.VIEW)
def document_upload(request, pk: int, step: str):
    cooperative = coop_selectors.cooperative_get(user=request.user, pk=pk)
    require(request.user, Cap.EDIT, cooperative.village_id)
    definition, item = _step_context(request, cooperative, step)
    if request.method != "POST":
        return redirect("formation:step", pk=pk, step=step)
    form = forms.DocumentForm(request.POST, request.FILES, step=definition)
    if form.is_valid():
        try:
            document = services.document_upload(
                actor=request.user,
                cooperative=cooperative,
                step=step,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if document.status == StepDocument.Status.SUBMITTED:
                messages.success(request, _("Document uploaded; it waits for the Dinas to verify."))
            else:
                messages.success(request, _("Document uploaded and verified."))
            return redirect("formation:step", pk=pk, step=step)
    notaries = selectors.notary_choices()
    record = item.record
    step_form = forms.StepForm(
        initial={
            "status": record.status if record else "belum",
            "version": record.version if record else 0,
            "started_on": record.started_on if record else None,
            "completed_on": record.completed_on if record else None,
            "document_number": record.document_number if record else "",
            "notes": record.notes if record else "",
        },
        step=definition,
        notaries=notaries,
    )
    context = {
        "cooperative": cooperative,
        "step": definition,
        "item": item,
        "form": step_form,
        "document_form": form,
        "requires": [pipeline.step_for(cooperative.scheme, c) for c in definition.requires],
    }
    return render(request, "formation/step_form.html", context, status=400)


@requires(Cap.VIEW)
def document_file(request, pk: int):
    document = selectors.document_get(user=request.user, pk=pk)
    return stored_file_response(document.file, document.original_name)


@requires(Cap.VERIFY)
def document_verify(request, pk: int):
    document = selectors.document_get(user=request.user, pk=pk)
    require(request.user, Cap.VERIFY, document.record.cooperative.village_id)
    if request.method != "POST":
        return redirect("formation:verify_queue")
    form = forms.VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.document_verify(
                actor=request.user,
                document=document,
                approve=form.cleaned_data["decision"] == "terima",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document was checked."))
    else:
        messages.error(request, _("Choose verified or rejected."))
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("formation:verify_queue")
    return redirect(target)


@requires(Cap.VERIFY)
def verify_queue(request):
    documents = selectors.documents_to_verify(user=request.user).order_by("created_at")
    page = paginate(request, documents)
    return render(request, "formation/verify_queue.html", {"page": page})


@requires(Cap.VIEW)
def targets(request):
    may_edit = can(request.user, Cap.VERIFY, services.home_region())
    if request.method == "POST":
        require(request.user, Cap.VERIFY, services.home_region())
        form = forms.TargetForm(request.POST)
        if form.is_valid():
            try:
                services.target_set(
                    actor=request.user,
                    scheme=form.cleaned_data["scheme"],
                    step=form.cleaned_data["step"],
                    due_date=form.cleaned_data["due_date"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Target saved."))
        else:
            messages.error(request, _("Enter a valid date."))
        return redirect(reverse("formation:targets") + f"#{form.data.get('scheme', '')}")
    rows = selectors.target_rows()
    schemes = {}
    for row in rows:
        schemes.setdefault(row["scheme"], []).append(row)
    from kawal.cooperatives.models import Cooperative

    labels = dict(Cooperative.Scheme.choices)
    context = {
        "schemes": [(code, labels[code], items) for code, items in schemes.items()],
        "may_edit": may_edit,
        "today": timezone.localdate(),
    }
    return render(request, "formation/targets.html", context)


# --- Notaries ------------------------------------------------------------------------------


@requires(Cap.VIEW)
def notary_list(request):
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.notary_list(user=request.user, q=q), per_page=50)
    rows = list(page.object_list)
    selectors.notary_workload(user=request.user, notaries=rows)
    context = {
        "page": page,
        "rows": rows,
        "q": q,
        "may_edit": can(request.user, Cap.VERIFY, services.home_region()),
    }
    template = "formation/notary_list.html#rows" if request.htmx else "formation/notary_list.html"
    return render(request, template, context)


@requires(Cap.VERIFY)
def notary_edit(request, pk: int | None = None):
    require(request.user, Cap.VERIFY, services.home_region())
    notary = selectors.notary_get(user=request.user, pk=pk) if pk else None
    if request.method == "POST":
        instance = selectors.notary_get(user=request.user, pk=pk) if pk else None
        form = forms.NotaryForm(request.POST, instance=instance)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in services.NOTARY_FIELDS}
            try:
                services.notary_save(
                    actor=request.user,
                    notary=notary,
                    expected_version=form.cleaned_data.get("version"),
                    **data,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The notary was saved."))
                return redirect("formation:notaries")
    else:
        form = forms.NotaryForm(
            instance=notary, initial={"version": notary.version} if notary else {}
        )
    return render(request, "formation/notary_form.html", {"form": form, "notary": notary})


@requires(Cap.VERIFY)
def notary_import(request):
    require(request.user, Cap.VERIFY, services.home_region())
    return import_page(
        request,
        imports.NOTARY_KINDS,
        flow="kawal.formation.imports.NOTARY_KINDS",
        done_url=reverse("formation:notaries"),
    )


# --- Reminders and step import -------------------------------------------------------------


@requires(Cap.VIEW)
def reminders(request):
    kecamatan = request.GET.get("kecamatan", "").strip()
    run_on = selectors.reminder_latest_run(user=request.user)
    per_kecamatan = selectors.reminder_per_kecamatan(user=request.user, run_on=run_on)
    page = paginate(
        request,
        selectors.reminder_list(user=request.user, run_on=run_on, kecamatan=kecamatan),
        per_page=50,
    )
    context = {
        "run_on": run_on,
        "per_kecamatan": per_kecamatan,
        "page": page,
        "rows": selectors.reminder_rows(reminders=page.object_list, on=run_on, user=request.user)
        if run_on
        else [],
        "kecamatan": kecamatan,
    }
    template = "formation/reminders.html#rows" if request.htmx else "formation/reminders.html"
    return render(request, template, context)


@requires(Cap.MANAGE)
def step_import(request):
    return import_page(request, imports.STEP_KINDS, flow="kawal.formation.imports.STEP_KINDS")
