from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kawal.budget import selectors, services
from kawal.budget.forms import CommitmentForm, LineForm, RefocusingForm, SpendForm, StatusForm
from kawal.budget.models import BudgetLine, Commitment, Purpose
from kawal.core.forms import apply_service_errors
from kawal.core.paginate import paginate
from kawal.core.scope import Cap, can, has_capability, require, requires


def _year(request) -> int | None:
    value = request.GET.get("tahun", "")
    return int(value) if value.isdigit() else None


@requires(Cap.VIEW)
def index(request):
    user = request.user
    year = _year(request)
    status = request.GET.get("status", "")
    purpose = request.GET.get("untuk", "")
    q = request.GET.get("q", "").strip()
    lines = selectors.line_list(user=user, year=year, status=status, purpose=purpose, q=q)
    page = paginate(request, lines.order_by("-fiscal_year", "account_code", "id"), per_page=50)
    page.object_list = selectors.attach_balances(page.object_list)
    context = {
        "page": page,
        "year": year,
        "status": status,
        "purpose": purpose,
        "q": q,
        "years": selectors.fiscal_years(user=user),
        "statuses": BudgetLine.Status.choices,
        "purposes": Purpose.choices,
        "may_edit": has_capability(user, Cap.MANAGE),
        # Budget lines belong to the home regency (line_create): a camat does not add them.
        "may_create": can(user, Cap.MANAGE, settings.KAWAL_HOME_REGION),
    }
    if request.htmx:
        return render(request, "budget/index.html#rows", context)
    context["totals"] = selectors.overview(user=user, year=year)
    context["refocusing"] = selectors.refocusing_list(user=user, year=year)[:10]
    return render(request, "budget/index.html", context)


@requires(Cap.MANAGE)
def line_create(request):
    region = settings.KAWAL_HOME_REGION
    require(request.user, Cap.MANAGE, region)
    form = LineForm(request.POST or None, initial={"status": BudgetLine.Status.USULAN})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            line = services.line_create(actor=request.user, region_code=region, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The budget line was saved."))
            return redirect("budget:line_detail", line.pk)
    return render(request, "budget/line_form.html", {"form": form, "line": None})


@requires(Cap.MANAGE)
def line_edit(request, pk: int):
    line = selectors.line_get(user=request.user, pk=pk, cap=Cap.MANAGE)
    initial = {name: getattr(line, name) for name in services.LINE_FIELDS}
    initial.update(ceiling=line.ceiling, status=line.status, version=line.version)
    form = LineForm(request.POST or None, initial=initial)
    del form.fields["status"]
    if line.status not in (BudgetLine.Status.USULAN, BudgetLine.Status.MENUNGGU):
        form.fields["ceiling"].disabled = True
        form.fields["ceiling"].help_text = _(
            "An approved line's ceiling changes only through refocusing."
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            services.line_update(actor=request.user, line=line, expected_version=version, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The budget line was saved."))
            return redirect("budget:line_detail", line.pk)
    return render(request, "budget/line_form.html", {"form": form, "line": line})


@requires(Cap.VIEW)
def line_detail(request, pk: int):
    user = request.user
    line = selectors.line_get(user=user, pk=pk)
    may_edit = can(user, Cap.MANAGE, line.region_id)
    commitments = list(selectors.line_commitments(line=line))
    active = [c for c in commitments if c.status == Commitment.Status.ACTIVE]
    forms = {
        "status_form": StatusForm(initial={"version": line.version}),
        "commitment_form": CommitmentForm(),
        "spend_form": SpendForm(commitments=active),
    }
    if request.method == "POST" and may_edit:
        action = request.POST.get("action")
        try:
            if action == "status":
                form = forms["status_form"] = StatusForm(request.POST)
                if form.is_valid():
                    services.line_set_status(
                        actor=user,
                        line=line,
                        status=form.cleaned_data["status"],
                        expected_version=form.cleaned_data["version"],
                        note=form.cleaned_data["note"],
                    )
                    messages.success(request, _("The status was changed."))
                    return redirect("budget:line_detail", line.pk)
            elif action == "commit":
                form = forms["commitment_form"] = CommitmentForm(request.POST)
                if form.is_valid():
                    services.commitment_create(actor=user, line=line, **form.cleaned_data)
                    messages.success(request, _("The commitment was recorded."))
                    return redirect("budget:line_detail", line.pk)
            elif action == "spend":
                form = forms["spend_form"] = SpendForm(request.POST, commitments=active)
                if form.is_valid():
                    data = dict(form.cleaned_data)
                    commitment = selectors.commitment_get(
                        user=user, pk=data.pop("commitment"), cap=Cap.MANAGE
                    )
                    if commitment.line_id != line.pk:
                        raise ValidationError(_("That commitment belongs to another line."))
                    services.spend_record(actor=user, commitment=commitment, **data)
                    messages.success(request, _("The payment was recorded."))
                    return redirect("budget:line_detail", line.pk)
            elif action == "cancel_commitment":
                commitment = selectors.commitment_get(
                    user=user, pk=int(request.POST.get("commitment", 0)), cap=Cap.MANAGE
                )
                services.commitment_cancel(actor=user, commitment=commitment)
                messages.success(request, _("The commitment was cancelled."))
                return redirect("budget:line_detail", line.pk)
        except ValidationError as error:
            if action in ("status", "commit", "spend"):
                key = {"status": "status_form", "commit": "commitment_form", "spend": "spend_form"}[
                    action
                ]
                apply_service_errors(forms[key], error)
            else:
                for message in error.messages:
                    messages.error(request, message)
    context = {
        "line": line,
        "commitments": commitments,
        "spends": selectors.line_spends(line=line),
        "refocusing": selectors.line_refocusing(line=line),
        "may_edit": may_edit,
        "next_statuses": [
            (s, BudgetLine.Status(s).label) for s in services.ALLOWED_STATUS.get(line.status, ())
        ],
        **forms,
    }
    return render(request, "budget/line_detail.html", context)


@requires(Cap.MANAGE)
def refocusing_create(request):
    user = request.user
    lines = (
        selectors.line_list(user=user)
        .exclude(status__in=(BudgetLine.Status.TEREALISASI, BudgetLine.Status.DIBATALKAN))
        .order_by("-fiscal_year", "account_code")
    )
    initial = {}
    for key in ("from_line", "to_line"):
        if request.GET.get(key, "").isdigit():
            initial[key] = int(request.GET[key])
    form = RefocusingForm(request.POST or None, lines=lines, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.refocusing_record(actor=user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The refocusing was recorded."))
            return redirect("budget:index")
    return render(request, "budget/refocusing_form.html", {"form": form})
