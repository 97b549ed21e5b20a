import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawal.business import charts, exports, forms, imports, rules, selectors, services
from kawal.business.models import MonthlyStatus, ReportStatus
from kawal.core import imports as core_imports
from kawal.core.forms import apply_service_errors
from kawal.core.paginate import paginate
from kawal.core.scope import Cap, can, may_verify_business_report, requires
from kawal.core.selectors import audit_for_object
from kawal.core.spreadsheets import template_rows
from kawal.core.uploads import stored_file_response
from kawal.core.xlsx import xlsx_response

STATUS_LABELS = dict(MonthlyStatus.Status.choices)


def _month(request, today):
    return rules.parse_month(request.GET.get("bulan")) or selectors.status_month(today)


def _month_choices(today, n=18):
    current = rules.first_of_month(today)
    return [rules.add_months(current, -i) for i in range(n)]


@requires(Cap.VIEW)
def index(request):
    """The regency page: status per kecamatan with drill-down, signboards, best and weakest."""
    today = timezone.localdate()
    month = _month(request, today)
    district = request.GET.get("kecamatan", "")
    status = request.GET.get("status", "")
    context = {
        "month": month,
        "month_param": f"{month:%Y-%m}",
        "district": district,
        "status": status,
        "status_label": STATUS_LABELS.get(status, ""),
    }
    if district or status:
        context["drill"] = paginate(
            request,
            selectors.status_list(user=request.user, month=month, district=district, status=status),
            50,
        )
        for row in context["drill"].object_list:
            row.sentence = rules.explain(row.status, row.reason)
            row.label = STATUS_LABELS[row.status]
            row.tone = rules.STATUS_TONES[row.status]
        if request.htmx:
            return render(request, "business/index.html#drill", context)
    best, weakest = selectors.best_and_weakest(user=request.user, month=month)
    context.update(
        {
            "table": selectors.status_by_district(user=request.user, month=month),
            "columns": [(s, STATUS_LABELS[s]) for s in selectors.STATUS_ORDER],
            "best": best,
            "weakest": weakest,
            "signboard_count": selectors.signboards(user=request.user, today=today).count(),
            "rat_overdue_count": selectors.rat_overdue(user=request.user, today=today).count(),
            "missing_count": selectors.missing_reports(
                user=request.user, month=rules.last_due_month(today)
            ).count(),
            "months": [(f"{m:%Y-%m}", m) for m in _month_choices(today)],
            "tab": "index",
        }
    )
    return render(request, "business/index.html", context)


@requires(Cap.VIEW)
def export(request):
    today = timezone.localdate()
    month = _month(request, today)
    return xlsx_response(
        f"status-usaha-{month:%Y-%m}.xlsx",
        exports.HEADERS,
        exports.rows(selectors.export_rows(user=request.user, month=month)),
        sheet_title=f"{month:%Y-%m}",
    )


@requires(Cap.VIEW)
def cooperative(request, pk):
    """The KMP business page: status and its reason, health score, charts, reports, RAT."""
    coop = selectors.cooperative_get(user=request.user, pk=pk)
    today = timezone.localdate()
    history = selectors.cooperative_history(cooperative=coop, today=today)
    months = history["months"]
    reports = history["reports"]
    series = [
        (history["outlet_labels"][oid], [revenue.get(m) for m in months])
        for oid, revenue in sorted(history["per_outlet"].items())
    ]
    verified = [
        reports.get(m) if reports.get(m) and reports[m].status == ReportStatus.VERIFIED else None
        for m in months
    ]
    statuses = history["statuses"]
    # The month whose report is due, as on the regency page; the current one is still open.
    shown = selectors.status_month(today)
    latest = statuses.get(shown) or next(
        (statuses[m] for m in reversed(months) if m in statuses), None
    )
    items = []
    if latest:
        for item in latest.score_items:
            rule = rules.ITEM_BY_CODE[item["code"]]
            items.append(
                {
                    "aspect": rules.ASPECTS[rule.aspect],
                    "label": rule.label,
                    "rule": rule.rule,
                    "value": rules.item_value_text(item),
                    "points": item["points"],
                    "max": item["max"],
                }
            )
    context = {
        "cooperative": coop,
        "latest": latest,
        "sentence": rules.explain(latest.status, latest.reason) if latest else "",
        "items": items,
        "instrument": {"title": rules.INSTRUMENT_TITLE, "note": rules.INSTRUMENT_NOTE},
        "revenue_chart": charts.stacked_bars(months, series, _("Verified revenue per outlet")),
        "members_chart": charts.line(
            months, [r.members_total if r else None for r in verified], _("Members")
        ),
        "savings_chart": charts.line(
            months, [r.savings_total if r else None for r in verified], _("Savings"), money=True
        ),
        "status_chart": charts.status_strip(
            months,
            [statuses[m].status if m in statuses else None for m in months],
            STATUS_LABELS,
            _("Status per month"),
        ),
        "outlet_names": [name for name, _values in series],
        "reports": [reports[m] for m in reversed(months) if m in reports],
        "rats": history["rats"],
        "may_report": can(request.user, Cap.EDIT, coop.village_id),
        "open_outlets": selectors.open_outlets(coop),
        "labels": STATUS_LABELS,
        "rat_year": today.year - 1,
    }
    return render(request, "business/cooperative.html", context)


@requires(Cap.VIEW)
def report_create(request, pk):
    """Enter or correct a month (a second report for a month is a correction)."""
    coop = selectors.cooperative_get(user=request.user, pk=pk)
    if not can(request.user, Cap.EDIT, coop.village_id):
        raise Http404
    today = timezone.localdate()
    outlets = selectors.open_outlets(coop)
    form = forms.ReportForm(request.POST or None, outlets=outlets, months=_month_choices(today, 13))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_submit(
                actor=request.user,
                cooperative=coop,
                month=form.cleaned_data["month"],
                figures=form.figures(),
                lines=form.lines(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if report.corrections:
                messages.success(request, _("The report was corrected and sent for a new check."))
            else:
                messages.success(request, _("The report was submitted for checking."))
            return redirect("business:report", pk=report.pk)
    return render(
        request,
        "business/report_form.html",
        {"form": form, "cooperative": coop, "outlets": outlets},
    )


@requires(Cap.VIEW)
def report_edit(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    coop = report.cooperative
    if not can(request.user, Cap.EDIT, coop.village_id):
        raise Http404
    outlets = selectors.open_outlets(coop)
    lines = selectors.report_lines(report)
    form = forms.ReportForm(
        request.POST or None,
        initial=forms.ReportForm.initial_from(report, lines),
        outlets=outlets,
        months=[report.month],
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_submit(
                actor=request.user,
                cooperative=coop,
                month=report.month,
                figures=form.figures(),
                lines=form.lines(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The report was corrected and sent for a new check."))
            return redirect("business:report", pk=report.pk)
    return render(
        request,
        "business/report_form.html",
        {"form": form, "cooperative": coop, "outlets": outlets, "report": report},
    )


@requires(Cap.VIEW)
def report_detail(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    village = report.cooperative.village_id
    may_check = (
        report.status == ReportStatus.SUBMITTED
        and may_verify_business_report(request.user, village)
        and report.submitted_by_id != request.user.pk
    )
    form = forms.CheckForm(request.POST or None, initial={"version": report.version})
    if request.method == "POST" and may_check and form.is_valid():
        try:
            if "reject" in request.POST:
                services.report_reject(
                    actor=request.user,
                    report=report,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, _("The report was rejected; the board sees the reason."))
            else:
                services.report_verify(
                    actor=request.user, report=report, expected_version=form.cleaned_data["version"]
                )
                messages.success(request, _("The report was verified."))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("business:report", pk=report.pk)
    lines = selectors.report_lines(report)
    totals = {
        f: sum(getattr(line, f) or 0 for line in lines)
        for f in ("revenue", "cogs", "operating_cost", "profit", "transactions")
    }
    return render(
        request,
        "business/report_detail.html",
        {
            "report": report,
            "lines": lines,
            "totals": totals,
            "flags": [rules.flag_text(f) for f in report.flags],
            "form": form if may_check else None,
            "own": report.submitted_by_id == request.user.pk,
            "may_edit": can(request.user, Cap.EDIT, village),
            "history": audit_for_object(user=request.user, obj=report),
            "figures": [
                (
                    forms.FIGURE_LABELS[f],
                    getattr(report, f),
                    f not in ("members_joined", "members_left", "members_total", "households"),
                )
                for f in services.FIGURES
            ],
        },
    )


@requires(Cap.VIEW)
def signboard_list(request):
    today = timezone.localdate()
    district = request.GET.get("kecamatan", "")
    page = paginate(
        request, selectors.signboards(user=request.user, today=today, district=district), 50
    )
    page.object_list = selectors.signboard_rows(page.object_list, today)
    for c in page.object_list:
        c.may_follow_up = can(request.user, Cap.EDIT, c.village_id)
    return render(
        request,
        "business/signboards.html",
        {
            "page": page,
            "legal_months": rules.config("signboard_legal_months"),
            "report_months": rules.config("signboard_report_months"),
            "tab": "signboards",
        },
    )


@requires(Cap.VIEW)
def signboard_followup(request, pk):
    from kawal.mentoring.selectors import agency_choices

    coop = selectors.cooperative_get(user=request.user, pk=pk)
    if not can(request.user, Cap.EDIT, coop.village_id):
        raise Http404
    today = timezone.localdate()
    row = selectors.signboards(user=request.user, today=today).filter(pk=coop.pk).first()
    reason = ""
    if row is not None:
        row = selectors.signboard_rows([row], today)[0]
        reason = _("Signboard KMP: legal entity for %(n)s months, %(reason)s.") % {
            "n": row.legal_months,
            "reason": row.reason,
        }
    form = forms.FollowUpForm(
        request.POST or None,
        agencies=agency_choices(village=coop.village),
        initial={"reason": reason, "due_date": today + datetime.timedelta(days=30)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            followup = services.signboard_followup(
                actor=request.user,
                cooperative=coop,
                owner_agency=form.cleaned_data["owner_agency"],
                due_date=form.cleaned_data["due_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up was created."))
            return redirect("followups:detail", pk=followup.pk)
    return render(request, "business/followup_form.html", {"form": form, "cooperative": coop})


@requires(Cap.VIEW)
def ba_page(request):
    """What a BA (or the Dinas) must do: reports to check, KMP turning vacant, missing reports."""
    today = timezone.localdate()
    month = selectors.status_month(today)
    return render(
        request,
        "business/ba.html",
        {
            "to_verify": paginate(request, selectors.to_verify(user=request.user), 50),
            "vacant": list(selectors.turning_vacant(user=request.user, month=month)[:100]),
            "month": month,
            "missing_count": selectors.missing_reports(
                user=request.user, month=rules.last_due_month(today)
            ).count(),
            "tab": "ba",
        },
    )


@requires(Cap.VIEW)
def missing(request):
    """Reports missing after the due day, per BA and per kecamatan, with WhatsApp reminders."""
    today = timezone.localdate()
    month = rules.parse_month(request.GET.get("bulan")) or rules.last_due_month(today)
    rows = list(selectors.missing_reports(user=request.user, month=month)[:500])
    grouped = selectors.group_missing(rows)
    selectors.whatsapp_links(user=request.user, cooperatives=rows, month=month)
    late = list(selectors.late_reports(user=request.user, month=month)[:200])
    return render(
        request,
        "business/missing.html",
        {
            "month": month,
            "due": rules.report_due(month),
            "grouped": grouped,
            "late": late,
            "by": request.GET.get("per", "kecamatan"),
            "tab": "missing",
        },
    )


@requires(Cap.VIEW)
def rat_list(request):
    today = timezone.localdate()
    page = paginate(request, selectors.rat_overdue(user=request.user, today=today), 50)
    return render(
        request,
        "business/rat_list.html",
        {"page": page, "year": today.year - 1, "due": rules.rat_due(today.year - 1), "tab": "rat"},
    )


@requires(Cap.VIEW)
def rat_edit(request, pk, year):
    coop = selectors.cooperative_get(user=request.user, pk=pk)
    if not can(request.user, Cap.EDIT, coop.village_id):
        raise Http404
    rat = selectors.rat_get(cooperative=coop, fiscal_year=year)
    attendance = selectors.rat_attendance(rat)
    initial = {"version": rat.version} if rat else {}
    if rat:
        initial.update({f: getattr(rat, f) for f in services.RAT_FIELDS if f != "minutes"})
        if rat.members_present is None and attendance and attendance["present"]:
            initial["members_present"] = attendance["present"]  # checked in at the door
    form = forms.RatForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.rat_save(
                actor=request.user,
                cooperative=coop,
                fiscal_year=year,
                expected_version=version,
                **data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The RAT was saved."))
            return redirect("business:cooperative", pk=coop.pk)
    return render(
        request,
        "business/rat_form.html",
        {
            "form": form,
            "cooperative": coop,
            "year": year,
            "rat": rat,
            "legal_due": rules.rat_due(year),
            "quorum": rules.rat_quorum(rat.members_total) if rat and rat.members_total else None,
            "quorum_met": services.rat_quorum_met(rat) if rat else None,
            "attendance": attendance,
            "may_open_list": rat is not None and can(request.user, Cap.MANAGE, coop.village_id),
        },
    )


@requires(Cap.EDIT)
@require_POST
def rat_attendance_open(request, pk, year):
    """Open the RAT's attendance list in the events app and go there."""
    coop = selectors.cooperative_get(user=request.user, pk=pk)
    rat = selectors.rat_get(cooperative=coop, fiscal_year=year)
    if rat is None:
        raise Http404
    try:
        event = services.rat_event_open(actor=request.user, rat=rat)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("business:rat_edit", pk=coop.pk, year=year)
    return redirect("events:detail", pk=event.pk)


@requires(Cap.VIEW)
def rat_minutes(request, pk, year):
    coop = selectors.cooperative_get(user=request.user, pk=pk)
    rat = selectors.rat_get(cooperative=coop, fiscal_year=year)
    if rat is None:
        raise Http404
    return stored_file_response(rat.minutes)


@requires(Cap.VIEW)
def import_plain(request):
    return core_imports.import_page(
        request,
        imports.KINDS,
        flow="kawal.business.imports.KINDS",
        done_url=reverse("business:index"),
    )


@requires(Cap.VIEW)
def import_template(request):
    return xlsx_response("templat-laporan-usaha.xlsx", template_rows(imports.COLUMNS), [])


@requires(Cap.VIEW)
def import_book(request, pk):
    """The cooperative's own Excel book, through the one import page; the cooperative of the
    address is the flow's fixed context (checked against scope at every step)."""
    coop = imports.book_cooperative(user=request.user, pk=pk)
    return core_imports.import_page(
        request,
        imports.BOOK_KINDS,
        flow="kawal.business.imports.BOOK_KINDS",
        template="business/import_book.html",
        done_url=reverse("business:cooperative", args=[coop.pk]),
        params={"koperasi": coop.pk},
        extra={"cooperative": coop, "labels": sorted(set(imports.BOOK_LABELS))},
    )


@requires(Cap.VIEW)
def book_template(request, pk):
    coop = selectors.cooperative_get(user=request.user, pk=pk)
    month = rules.last_due_month(timezone.localdate())
    response = HttpResponse(
        imports.book_template(coop, month),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="buku-usaha-{coop.village_id}.xlsx"'
    return response
