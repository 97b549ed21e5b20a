import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kawal.accounts.selectors import agency_list
from kawal.core import imports as core_imports
from kawal.core.formats import rupiah
from kawal.core.forms import apply_service_errors
from kawal.core.paginate import paginate
from kawal.core.scope import Cap, can, has_capability, requires, user_grants
from kawal.core.spreadsheets import template_rows
from kawal.core.uploads import stored_file_response
from kawal.core.xlsx import xlsx_response
from kawal.followups import services as followups
from kawal.operations import exports, forms, imports, selectors, services
from kawal.operations.models import Loan, Partner, Partnership


def _partial(request, template: str, name: str) -> str:
    return f"{template}#{name}" if request.htmx else template


def _version(form):
    return form.cleaned_data.get("version") or None


# --- What holds it back (the app's landing page) ---------------------------------------------


@requires(Cap.VIEW)
def index(request):
    user = request.user
    cause = request.GET.get("sebab", "")
    kecamatan = request.GET.get("kecamatan", "").strip()
    sort = request.GET.get("urut", "sebab")
    page = paginate(
        request, selectors.holds_back(user=user, cause=cause, kecamatan=kecamatan, sort=sort)
    )
    rows = [(row, selectors.describe(row)) for row in selectors.attach_details(page.object_list)]
    context = {
        "page": page,
        "rows": rows,
        "cause": cause,
        "kecamatan": kecamatan,
        "sort": sort,
        "counts": selectors.holds_back_counts(user=user, kecamatan=kecamatan),
        "districts": selectors.district_choices(user=user),
        "causes": selectors.CAUSES[:-1],
        "may_followup": has_capability(user, Cap.EDIT),
        "tab": "index",
    }
    return render(request, _partial(request, "operations/index.html", "table"), context)


# --- Cooperative page (phone first) -----------------------------------------------------------


@requires(Cap.VIEW)
def cooperative(request, pk: int):
    coop = selectors.cooperative_get(user=request.user, pk=pk)
    data = selectors.cooperative_operations(cooperative=coop)
    row = selectors.holds_back_for(user=request.user, cooperative=coop)
    return render(
        request,
        "operations/cooperative.html",
        {
            "cooperative": coop,
            **data,
            "row": row,
            "line": selectors.describe(row) if row is not None else None,
            "checklist": selectors.checklist(user=request.user, cooperative=coop, data=data),
            "may_edit": can(request.user, Cap.EDIT, coop.village_id),
        },
    )


@requires(Cap.VIEW)
def cooperative_line(request, pk: int):
    """The "what holds it back" line of one KMP, loaded into the cooperative page by htmx."""
    coop = selectors.cooperative_get(user=request.user, pk=pk)
    row = selectors.holds_back_for(user=request.user, cooperative=coop)
    return render(
        request,
        "operations/cooperative_line.html",
        {"row": row, "line": selectors.describe(row) if row is not None else None},
    )


# --- Outlets ---------------------------------------------------------------------------------


@requires(Cap.VIEW)
def outlet(request, pk: int):
    obj = selectors.outlet_get(user=request.user, pk=pk)
    may_edit = can(request.user, Cap.EDIT, obj.cooperative.village_id)
    stages = services.allowed_next(obj)
    form = None
    if may_edit and stages:
        life = getattr(obj, "life", None) if services._has_life(obj) else None
        form = forms.StageForm(
            request.POST or None,
            request.FILES or None,
            stages=stages,
            has_builder=bool(life and life.builder),
            initial={"version": life.version if life else None},
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or None
            data["photo"] = data.pop("photo") or None
            for key in ("land_status", "builder", "builder_name", "opening_days", "opening_hours"):
                if key in data:
                    data[key] = data[key] or ""
            try:
                services.outlet_stage_record(
                    actor=request.user, outlet=obj, expected_version=version, **data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The outlet's stage was recorded."))
                return redirect("operations:outlet", pk=obj.pk)
    return render(
        request,
        "operations/outlet.html",
        {
            "outlet": obj,
            "stage": services.current_stage(obj),
            "events": selectors.outlet_events(outlet=obj),
            "form": form,
            "may_edit": may_edit,
        },
    )


@requires(Cap.VIEW)
def outlet_photo(request, pk: int):
    event = selectors.outlet_event_get(user=request.user, pk=pk)
    return stored_file_response(event.photo)


@requires(Cap.EDIT)
def outlet_event_correct(request, pk: int):
    event = selectors.outlet_event_get(user=request.user, pk=pk, cap=Cap.EDIT)
    form = forms.CorrectionForm(
        request.POST or None, initial={"happened_on": event.happened_on, "note": event.note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.outlet_event_correct(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The step was corrected."))
            return redirect("operations:outlet", pk=event.outlet_id)
    return render(request, "operations/form.html", {"form": form, "title": _("Correct a step")})


# --- Partners and partnerships ---------------------------------------------------------------


@requires(Cap.VIEW)
def partners(request):
    kind = request.GET.get("jenis", "")
    form = None
    if has_capability(request.user, Cap.MANAGE):
        form = forms.PartnerForm(request.POST or None)
        region = next(
            (g.region_code for g in user_grants(request.user) if Cap.MANAGE in g.capabilities),
            None,
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version")
            try:
                services.partner_save(actor=request.user, region_code=region or "", **data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The partner was saved."))
                return redirect("operations:partners")
    return render(
        request,
        "operations/partners.html",
        {
            "partners": selectors.partner_list(user=request.user, kind=kind),
            "kinds": Partner.Kind.choices,
            "kind": kind,
            "form": form,
            "tab": "partners",
        },
    )


@requires(Cap.MANAGE)
def partner_edit(request, pk: int):
    partner = selectors.partner_get(user=request.user, pk=pk, cap=Cap.MANAGE)
    form = forms.PartnerForm(
        request.POST or None,
        initial={
            "name": partner.name,
            "kind": partner.kind,
            "contact": partner.contact,
            "is_active": partner.is_active,
            "version": partner.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or None
        try:
            services.partner_save(
                actor=request.user,
                region_code=partner.region_id,
                partner=partner,
                expected_version=version,
                **data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The partner was saved."))
            return redirect("operations:partners")
    return render(request, "operations/form.html", {"form": form, "title": partner.name})


@requires(Cap.VIEW)
def waits(request):
    return render(
        request,
        "operations/waits.html",
        {"waits": selectors.partner_waits(user=request.user), "tab": "waits"},
    )


@requires(Cap.VIEW)
def partnership_list(request):
    params = {k: request.GET.get(k, "").strip() for k in ("mitra", "tahap", "kecamatan")}
    page = paginate(
        request,
        selectors.partnership_list(
            user=request.user,
            partner=params["mitra"],
            stage=params["tahap"],
            kecamatan=params["kecamatan"],
        ),
        50,
    )
    return render(
        request,
        _partial(request, "operations/partnership_list.html", "rows"),
        {
            "page": page,
            "params": params,
            "stages": Partnership.Stage.choices,
            "districts": selectors.district_choices(user=request.user),
            "today": timezone.localdate(),
            "tab": "waits",
        },
    )


@requires(Cap.EDIT)
def partnership_new(request, pk: int):
    coop = selectors.cooperative_get(user=request.user, pk=pk, cap=Cap.EDIT)
    form = forms.PartnershipForm(
        request.POST or None,
        partners=selectors.partner_choices(user=request.user, cooperative=coop),
        outlets=coop.outlets.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.partnership_create(
                actor=request.user, cooperative=coop, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The partnership was recorded."))
            return redirect("operations:partnership", pk=item.pk)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": _("New partnership"), "cooperative": coop},
    )


@requires(Cap.VIEW)
def partnership(request, pk: int):
    item = selectors.partnership_get(user=request.user, pk=pk)
    may_edit = can(request.user, Cap.EDIT, item.cooperative.village_id)
    form = None
    if may_edit and item.stage != Partnership.Stage.STOPPED:
        form = forms.PartnershipStepForm(
            request.POST or None,
            request.FILES or None,
            initial={
                "stage": item.stage,
                "version": item.version,
                "must_act": item.must_act,
                "blocked_reason": item.blocked_reason,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version") or None
            try:
                services.partnership_step(
                    actor=request.user, partnership=item, expected_version=version, **data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The partnership step was recorded."))
                return redirect("operations:partnership", pk=item.pk)
    return render(
        request,
        "operations/partnership.html",
        {"item": item, "steps": list(item.steps.all()), "form": form, "may_edit": may_edit},
    )


@requires(Cap.VIEW)
def partnership_document(request, pk: int, step: int):
    item = selectors.partnership_get(user=request.user, pk=pk)
    row = item.steps.filter(pk=step).first()
    if row is None:
        raise Http404
    return stored_file_response(row.document)


# --- Loans -----------------------------------------------------------------------------------


@requires(Cap.VIEW)
def portfolio(request):
    kecamatan = request.GET.get("kecamatan", "").strip()
    return render(
        request,
        "operations/portfolio.html",
        {
            "data": selectors.portfolio(user=request.user, kecamatan=kecamatan),
            "kecamatan": kecamatan,
            "ceiling": services.loan_ceiling(),
            "tab": "portfolio",
        },
    )


@requires(Cap.VIEW)
def loan_list(request):
    params = {k: request.GET.get(k, "").strip() for k in ("status", "bank", "kecamatan", "kol")}
    page = paginate(
        request,
        selectors.loan_list(
            user=request.user,
            status=params["status"],
            bank=params["bank"],
            kecamatan=params["kecamatan"],
            klass=params["kol"],
        ),
        50,
    )
    for loan in page.object_list:
        loan.days = selectors.days_in_arrears(loan)
        loan.outstanding = loan.disbursed - loan.repaid_principal
    return render(
        request,
        _partial(request, "operations/loan_list.html", "rows"),
        {"page": page, "params": params, "statuses": Loan.Status.choices, "tab": "portfolio"},
    )


@requires(Cap.EDIT)
def loan_new(request, pk: int):
    coop = selectors.cooperative_get(user=request.user, pk=pk, cap=Cap.EDIT)
    form = forms.LoanForm(
        request.POST or None,
        request.FILES or None,
        banks=selectors.partner_choices(user=request.user, cooperative=coop, banks=True),
        outlets=coop.outlets.all(),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version")
        if not data.get("business_plan"):
            data.pop("business_plan")
        try:
            loan = services.loan_create(actor=request.user, cooperative=coop, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The loan proposal was saved as a draft."))
            return redirect("operations:loan", pk=loan.pk)
    return render(
        request,
        "operations/form.html",
        {
            "form": form,
            "title": _("New loan proposal"),
            "cooperative": coop,
            "multipart": True,
            "hint": _("Ceiling per cooperative: %(c)s") % {"c": rupiah(services.loan_ceiling())},
        },
    )


LOAN_ACTIONS = ("persetujuan", "status", "cair", "bayar", "ubah")


@requires(Cap.VIEW)
def loan(request, pk: int, action: str = ""):
    obj = selectors.loan_get(user=request.user, pk=pk)
    may_edit = can(request.user, Cap.EDIT, obj.cooperative.village_id)
    if action and (action not in LOAN_ACTIONS or not may_edit):
        raise Http404
    post = request.POST if request.method == "POST" and action else None
    files = request.FILES if post is not None else None

    def bound(name):
        return post if action == name else None

    initial = {"version": obj.version}
    built = {
        "persetujuan": forms.ApprovalForm(bound("persetujuan"), files, initial=initial),
        "status": forms.LoanStatusForm(
            bound("status"), moves=services.LOAN_MOVES.get(obj.status, ()), initial=initial
        ),
        "cair": forms.MoneyForm(bound("cair"), initial=initial, prefix="cair"),
        "bayar": forms.MoneyForm(bound("bayar"), initial=initial, prefix="bayar"),
        "ubah": forms.LoanForm(
            bound("ubah"),
            files,
            banks=selectors.partner_choices(
                user=request.user, cooperative=obj.cooperative, banks=True
            ),
            outlets=obj.cooperative.outlets.all(),
            initial={
                "bank": obj.bank_id,
                "amount_requested": obj.amount_requested,
                "interest_pct": obj.interest_pct,
                "term_months": obj.term_months,
                "outlet": obj.outlet_id,
                "purpose": obj.purpose,
                "version": obj.version,
            },
        ),
    }
    if post is not None and built[action].is_valid():
        form = built[action]
        data = dict(form.cleaned_data)
        version = data.pop("version", None) or None
        try:
            if action == "persetujuan":
                services.loan_local_approval(
                    actor=request.user, loan=obj, expected_version=version, **data
                )
            elif action == "status":
                services.loan_set_status(
                    actor=request.user, loan=obj, expected_version=version, **data
                )
            elif action == "cair":
                services.loan_disburse(
                    actor=request.user,
                    loan=obj,
                    amount=data["amount"],
                    disbursed_on=data["on"],
                    expected_version=version,
                )
            elif action == "bayar":
                services.loan_repay(
                    actor=request.user,
                    loan=obj,
                    amount=data["amount"],
                    paid_on=data["on"],
                    expected_version=version,
                )
            else:
                if not data.get("business_plan"):
                    data.pop("business_plan")
                services.loan_update(actor=request.user, loan=obj, expected_version=version, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The loan was updated."))
            return redirect("operations:loan", pk=obj.pk)
    days = selectors.days_in_arrears(obj)
    return render(
        request,
        "operations/loan.html",
        {
            "loan": obj,
            "ledger": selectors.loan_ledger(loan=obj),
            "days": days,
            "klass": selectors.collectability(days),
            "klass_label": selectors.collectability_label(selectors.collectability(days)),
            "outstanding": obj.disbursed - obj.repaid_principal,
            "forms": built,
            "action": action,
            "may_edit": may_edit,
            "statuses": Loan.Status,
        },
    )


@requires(Cap.VIEW)
def loan_file(request, pk: int, field: str):
    obj = selectors.loan_get(user=request.user, pk=pk)
    if field not in ("business_plan", "approval_document"):
        raise Http404
    return stored_file_response(getattr(obj, field))


# --- Follow-up from a cause --------------------------------------------------------------------


SOURCES = {
    "gerai": selectors.outlet_get,
    "kemitraan": selectors.partnership_get,
    "pinjaman": selectors.loan_get,
    "koperasi": selectors.cooperative_get,
}


@requires(Cap.EDIT)
def followup_new(request, kind: str, pk: int):
    getter = SOURCES.get(kind)
    if getter is None:
        raise Http404
    source = getter(user=request.user, pk=pk, cap=Cap.EDIT)
    coop = source if kind == "koperasi" else source.cooperative
    form = forms.FollowUpForm(
        request.POST or None,
        agencies=agency_list(user=request.user),
        initial={
            "title": request.GET.get("judul", "")[:200],
            "due_date": timezone.localdate() + datetime.timedelta(days=14),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            followups.followup_create(
                actor=request.user,
                region_code=coop.village_id,
                cooperative=coop,
                source=source,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up was created."))
            return redirect("operations:cooperative", pk=coop.pk)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": _("New follow-up"), "cooperative": coop},
    )


# --- Spreadsheets ----------------------------------------------------------------------------


@requires(Cap.VIEW)
def export(request, kind: str):
    if kind not in exports.EXPORTS:
        raise Http404
    name, headers, rows = exports.EXPORTS[kind]
    return xlsx_response(name, headers, rows(user=request.user), kind)


@requires(Cap.EDIT)
def import_template(request, kind: str):
    spec = imports.SPECS.get(kind)
    if spec is None:
        raise Http404
    return xlsx_response(f"templat-{kind}.xlsx", template_rows(spec.columns), [], kind)


@requires(Cap.EDIT)
def import_page(request, kind: str):
    """One kind per address (gerai, kemitraan, pinjaman), through the one import page."""
    found = imports.KINDS.get(kind)
    if found is None:
        raise Http404
    return core_imports.import_page(
        request,
        {kind: found},
        flow="kawal.operations.imports.KINDS",
        done_url=reverse("operations:index"),
    )
