import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kawal.cooperatives.selectors import cooperative_get
from kawal.core.forms import apply_service_errors
from kawal.core.formtokens import AlreadySubmitted, once
from kawal.core.imports import import_page
from kawal.core.paginate import paginate
from kawal.core.scope import (
    Cap,
    caseload_cap,
    granted_regions,
    has_capability,
    is_board_only,
    may_manage_programme,
    may_respond_to_recommendation,
    require_rule,
    requires,
)
from kawal.core.selectors import audit_for_object
from kawal.core.spreadsheets import template_rows
from kawal.core.uploads import stored_file_response
from kawal.core.xlsx import xlsx_response
from kawal.mentoring import charts, exports, forms, imports, rules, selectors, services
from kawal.mentoring.models import Consultation, Mentor, MonthlyReport


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _staff(request) -> None:
    """Pages that record mentoring work are not for a cooperative's own board."""
    require_rule(not is_board_only(request.user))


def _manager(request) -> None:
    require_rule(may_manage_programme(request.user))


def _partial(request, template: str, name: str) -> str:
    return f"{template}#{name}" if request.htmx else template


# --- Coverage (the app's landing page) ---------------------------------------------------------


@requires(Cap.VIEW)
def index(request):
    user = request.user
    today = timezone.localdate()
    district = request.GET.get("kecamatan", "").strip()
    try:
        days = int(request.GET.get("hari", 60))
    except ValueError:
        days = 60
    days = days if days in (0, *rules.NO_CONTACT_DAYS) else 60  # 0: never contacted
    regency = request.GET.get("kabupaten", "").strip()
    alone = paginate(
        request,
        selectors.left_alone(user=user, days=days, district=district, regency=regency),
    )
    for coop in alone.object_list:
        coop.last_contact = selectors.last_contact(coop)
    context = {
        "coverage": selectors.coverage_by_district(user=user, today=today),
        "alone": alone,
        "days": days,
        "district": district,
        "regency": regency,
        "weekly": charts.weekly_bars(
            selectors.weekly_counts(user=user, today=today),
            _("Visits and consultations per week"),
        ),
        "topics": charts.topic_grid(
            selectors.topics_by_month(user=user, today=today),
            _("Consultation topics per month"),
        ),
        "mentors": selectors.mentor_list(user=user, today=today).order_by("-caseload")[:50],
        "limit": rules.CASELOAD_LIMIT_BA,
        "tab": "coverage",
    }
    if request.htmx:
        return render(request, "mentoring/index.html#alone", context)
    return render(request, "mentoring/index.html", context)


# --- Mentors -----------------------------------------------------------------------------------


@requires(Cap.VIEW)
def my_home(request):
    profile = selectors.mentor_of(request.user)
    if profile is not None:
        return redirect("mentoring:mentor_detail", pk=profile.pk)
    rows = selectors.mentor_cooperatives(user=request.user, mentor_user=request.user)
    selectors.attach_readiness(rows)
    return render(
        request,
        "mentoring/mentor_detail.html",
        {"mentor": None, "mentor_user": request.user, "rows": rows, "tab": "mine"},
    )


@requires(Cap.VIEW)
def mentor_list(request):
    mentors = selectors.mentor_list(
        user=request.user,
        q=request.GET.get("q", "").strip(),
        kind=request.GET.get("jenis", ""),
    )
    page = paginate(request, mentors)
    context = {
        "page": page,
        "may_manage": may_manage_programme(request.user),
        "kinds": Mentor.Kind.choices,
        "limit": rules.CASELOAD_LIMIT_BA,
        "tab": "mentors",
    }
    return render(request, _partial(request, "mentoring/mentor_list.html", "rows"), context)


@requires(Cap.VIEW)
def mentor_detail(request, pk):
    mentor = selectors.mentor_get(user=request.user, pk=pk)
    rows = selectors.mentor_cooperatives(user=request.user, mentor_user=mentor.user)
    selectors.attach_readiness(rows)
    context = {
        "mentor": mentor,
        "mentor_user": mentor.user,
        "rows": rows,
        "assignments": selectors.mentor_assignments(user=request.user, mentor_user=mentor.user),
        "warning": services.caseload_warning(mentor.user),
        "tab": "mine" if mentor.user_id == request.user.pk else "mentors",
    }
    return render(request, "mentoring/mentor_detail.html", context)


@requires(Cap.EDIT)
def mentor_edit(request, pk=None):
    _manager(request)
    mentor = selectors.mentor_get(user=request.user, pk=pk) if pk else None
    users = selectors.mentor_user_choices(user=request.user, mentor=mentor)
    initial = {}
    if mentor:
        initial = {
            "user": mentor.user_id,
            "kind": mentor.kind,
            "organisation": mentor.organisation,
            "region_code": mentor.region_id,
            "contract_start": mentor.contract_start,
            "contract_end": mentor.contract_end,
            "is_active": mentor.is_active,
            "version": mentor.version,
        }
    form = forms.MentorForm(
        request.POST or None,
        initial=initial,
        users=users,
        fixed_user=mentor.user if mentor else None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        data["expected_version"] = version if mentor else None
        try:
            saved = services.mentor_save(actor=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The mentor was saved."))
            return redirect("mentoring:mentor_detail", pk=saved.pk)
    return render(
        request, "mentoring/mentor_form.html", {"form": form, "mentor": mentor, "tab": "mentors"}
    )


@requires(Cap.EDIT)
def assignment_create(request):
    _manager(request)
    form = forms.AssignmentForm(
        request.POST or None,
        initial={"mentor": request.GET.get("mentor"), "cooperative": request.GET.get("koperasi")},
        mentors=selectors.mentor_choices(user=request.user),
        cooperatives=selectors.editable_cooperatives(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        mentor = form.cleaned_data["mentor"]
        try:
            services.assignment_start(
                actor=request.user,
                mentor=mentor.user,
                cooperative=form.cleaned_data["cooperative"],
                started_on=form.cleaned_data["started_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The cooperative was added to the caseload."))
            warning = services.caseload_warning(mentor.user)
            if warning:
                messages.warning(request, warning)
            return redirect("mentoring:mentor_detail", pk=mentor.pk)
    return render(request, "mentoring/assignment_form.html", {"form": form, "tab": "mentors"})


@requires(Cap.EDIT)
def assignment_end(request, pk):
    _manager(request)
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    form = forms.AssignmentEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_end(
                actor=request.user,
                assignment=assignment,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The assignment was ended; it stays in the history."))
            profile = selectors.mentor_of(assignment.mentor)
            if profile:
                return redirect("mentoring:mentor_detail", pk=profile.pk)
            return redirect("mentoring:cooperative", pk=assignment.cooperative_id)
    return render(
        request,
        "mentoring/assignment_end.html",
        {"form": form, "assignment": assignment, "tab": "mentors"},
    )


# --- Checklist ---------------------------------------------------------------------------------


@requires(Cap.EDIT)
def checklist(request, pk=None):
    _manager(request)
    item = selectors.checklist_item_get(user=request.user, pk=pk) if pk else None
    initial = (
        {
            "label": item.label,
            "region_code": item.region_id,
            "order": item.order,
            "is_active": item.is_active,
        }
        if item
        else {"region_code": _default_region(request.user)}
    )
    form = forms.ChecklistItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.checklist_item_save(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The checklist was saved."))
            return redirect("mentoring:checklist")
    context = {
        "items": selectors.checklist_items(user=request.user),
        "form": form,
        "item": item,
        "tab": "visits",
    }
    return render(request, "mentoring/checklist.html", context)


def _default_region(user) -> str:
    codes = granted_regions(user, Cap.EDIT)
    return (codes[0] or "") if codes else ""


# --- Field visits ------------------------------------------------------------------------------


@requires(Cap.VIEW)
def visit_list(request):
    filters = {
        "q": request.GET.get("q", "").strip(),
        "district": request.GET.get("kecamatan", "").strip(),
        "flagged": request.GET.get("tanda") == "1",
        "date_from": _date(request.GET.get("dari")),
        "date_to": _date(request.GET.get("sampai")),
    }
    page = paginate(request, selectors.visit_list(user=request.user, **filters))
    context = {
        "page": page,
        "tab": "visits",
        "may_record": has_capability(request.user, Cap.EDIT),
        "may_manage": may_manage_programme(request.user),
    }
    return render(request, _partial(request, "mentoring/visit_list.html", "rows"), context)


@requires(Cap.EDIT)
def visit_create(request):
    _staff(request)
    cooperatives = selectors.editable_cooperatives(user=request.user)
    coop_pk = (
        request.POST.get("cooperative")
        or request.GET.get("koperasi")
        # htmx asks for the checklist of the cooperative picked in the form (its field's name)
        or request.GET.get("cooperative")
    )
    chosen = cooperatives.filter(pk=coop_pk).first() if coop_pk and coop_pk.isdigit() else None
    if coop_pk and chosen is None and request.method == "GET":
        raise Http404
    if chosen is None and cooperatives.count() == 1:
        chosen = cooperatives.first()
    village = chosen.village if chosen else None
    items = list(selectors.checklist_for(village)) if village else []
    agencies = selectors.agency_choices(village=village, user=request.user)
    form = forms.VisitForm(
        request.POST or None,
        request.FILES or None,
        initial={"cooperative": chosen.pk if chosen else None},
        cooperatives=cooperatives,
        checklist=items,
    )
    formset = forms.RecommendationFormSet(
        request.POST or None,
        prefix="recommendations",
        form_kwargs={"agencies": agencies, "default_agency": request.user.agency_id},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            with once(form):
                visit = services.visit_record(
                    actor=request.user,
                    cooperative=data["cooperative"],
                    visit_date=data["visit_date"],
                    purpose=data["purpose"],
                    findings=data["findings"],
                    checklist=form.checklist_answers(),
                    recommendations=formset.cleaned_recommendations(),
                    photos=data["photos"],
                    lat=data["lat"],
                    lng=data["lng"],
                    gps_accuracy_m=data["gps_accuracy_m"],
                )
        except AlreadySubmitted:
            messages.info(request, _("This form was already sent; it was saved once."))
            return redirect("mentoring:visit_list")
        except ValidationError as error:
            _visit_errors(form, formset, error)
        else:
            messages.success(request, _("The visit was recorded."))
            if visit.flagged:
                messages.warning(request, _("The visit is flagged for review: see below."))
            return redirect("mentoring:visit_detail", pk=visit.pk)
    context = {"form": form, "formset": formset, "chosen": chosen, "tab": "visits"}
    if request.htmx and request.method == "GET":
        return render(request, "mentoring/visit_form.html#checklist", context)
    return render(request, "mentoring/visit_form.html", context)


def _visit_errors(form, formset, error: ValidationError) -> None:
    """Service errors back onto the form, or onto the recommendation row they concern."""
    rest = {}
    for key, errors in error.update_error_dict({}).items():
        if key.startswith("recommendations-"):
            _prefix, index, field = key.split("-", 2)
            formset.forms[int(index)].add_error(field, errors)
        else:
            rest[key] = errors
    if rest:
        apply_service_errors(form, ValidationError(rest))


@requires(Cap.VIEW)
def visit_detail(request, pk):
    visit = selectors.visit_get(user=request.user, pk=pk)
    context = {
        "visit": visit,
        "photos": selectors.visit_photos(visit),
        "recommendations": selectors.visit_recommendations(visit),
        "events": audit_for_object(user=request.user, obj=visit),
        "far_km": rules.FAR_FROM_VILLAGE_KM,
        "late_days": rules.LATE_ENTRY_DAYS,
        "tab": "visits",
    }
    return render(request, "mentoring/visit_detail.html", context)


@requires(Cap.VIEW)
def visit_photo(request, pk, photo_pk):
    photo = selectors.photo_get(user=request.user, visit_pk=pk, pk=photo_pk)
    return stored_file_response(photo.image)


# --- Consultations -----------------------------------------------------------------------------


@requires(Cap.VIEW)
def consultation_list(request):
    rows = selectors.consultation_list(
        user=request.user,
        q=request.GET.get("q", "").strip(),
        topic=request.GET.get("topik", ""),
        date_from=_date(request.GET.get("dari")),
        date_to=_date(request.GET.get("sampai")),
    )
    context = {
        "page": paginate(request, rows),
        "topics": Consultation.Topic.choices,
        "tab": "consultations",
    }
    return render(request, _partial(request, "mentoring/consultation_list.html", "rows"), context)


@requires(Cap.VIEW)
def consultation_queue(request):
    rows = list(selectors.consultation_queue(user=request.user))
    context = {
        "rows": rows,
        "waiting": sum(1 for r in rows if r.is_waiting),
        "today": timezone.localdate(),
        "tab": "queue",
    }
    return render(request, _partial(request, "mentoring/consultation_queue.html", "queue"), context)


@requires(Cap.EDIT)
def consultation_create(request):
    _staff(request)
    cooperatives = selectors.editable_cooperatives(user=request.user)
    coop_pk = request.POST.get("cooperative") or request.GET.get("koperasi") or ""
    chosen = cooperatives.filter(pk=coop_pk).first() if coop_pk.isdigit() else None
    agencies = selectors.agency_choices(
        village=chosen.village if chosen else None, user=request.user
    )
    form = forms.ConsultationForm(
        request.POST or None,
        initial={"cooperative": request.GET.get("koperasi")},
        cooperatives=cooperatives,
        agencies=agencies,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with once(form):
                consultation = services.consultation_create(
                    actor=request.user,
                    cooperative=data["cooperative"],
                    visitor_name=data["visitor_name"],
                    visitor_role=data["visitor_role"],
                    topic=data["topic"],
                    question=data["question"],
                    advice=data["advice"],
                    referral_agency=data["referral_agency"],
                    followup=form.followup(),
                )
        except AlreadySubmitted:
            messages.info(request, _("This form was already sent; it was saved once."))
            return redirect("mentoring:consultation_queue")
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if consultation.is_waiting:
                messages.success(request, _("The visitor was added to today's queue."))
            else:
                messages.success(request, _("The consultation was recorded."))
            return redirect("mentoring:consultation_queue")
    return render(request, "mentoring/consultation_form.html", {"form": form, "tab": "queue"})


@requires(Cap.VIEW)
def consultation_detail(request, pk):
    consultation = selectors.consultation_get(user=request.user, pk=pk)
    form = None
    from kawal.core.scope import can

    may_serve = consultation.is_waiting and can(
        request.user, Cap.EDIT, consultation.cooperative.village_id
    )
    if may_serve:
        agencies = selectors.agency_choices(village=consultation.cooperative.village)
        form = forms.ServeForm(request.POST or None, agencies=agencies)
        if request.method == "POST" and form.is_valid():
            try:
                services.consultation_serve(
                    actor=request.user,
                    consultation=consultation,
                    advice=form.cleaned_data["advice"],
                    referral_agency=form.cleaned_data["referral_agency"],
                    followup=form.followup(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The consultation was recorded."))
                return redirect("mentoring:consultation_queue")
    elif request.method == "POST":
        raise Http404
    context = {
        "c": consultation,
        "form": form,
        "followups": selectors.source_followups(user=request.user, source=consultation),
        "tab": "consultations",
    }
    return render(request, "mentoring/consultation_detail.html", context)


# --- A cooperative's contacts and recommendations ----------------------------------------------


@requires(Cap.VIEW)
def cooperative_detail(request, pk):
    coop = cooperative_get(user=request.user, pk=pk, cap=caseload_cap(request.user))
    context = {
        "coop": coop,
        "history": selectors.contact_history(user=request.user, cooperative=coop),
        "recommendations": selectors.recommendation_list(user=request.user, cooperative=coop),
        "followups": selectors.open_followups(user=request.user, cooperative=coop),
        "assignments": selectors.cooperative_assignments(user=request.user, cooperative=coop),
        "may_respond": may_respond_to_recommendation(request.user, coop.village_id),
        "today": timezone.localdate(),
        "tab": "visits",
    }
    return render(request, "mentoring/cooperative_detail.html", context)


@requires(Cap.EDIT)
def recommendation_respond(request, pk):
    rec = selectors.recommendation_get(user=request.user, pk=pk)
    form = forms.ResponseForm(
        request.POST or None,
        initial={"response": rec.board_response, "version": rec.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_respond(
                actor=request.user,
                recommendation=rec,
                response=form.cleaned_data["response"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The board's response was saved."))
            return redirect("mentoring:cooperative", pk=rec.cooperative_id)
    return render(
        request, "mentoring/recommendation_form.html", {"form": form, "rec": rec, "tab": "visits"}
    )


# --- Monthly reports ---------------------------------------------------------------------------


@requires(Cap.VIEW)
def report_list(request):
    status = request.GET.get("status", "")
    reports = selectors.report_list(
        user=request.user, status=status if status in MonthlyReport.Status.values else ""
    )
    context = {
        "page": paginate(request, reports),
        "statuses": forms.REPORT_STATUS_CHOICES,
        "overview": selectors.reports_missing_and_late(user=request.user),
        "is_mentor": selectors.mentor_of(request.user) is not None,
        "deadline_day": rules.REPORT_DEADLINE_DAY,
        "tab": "reports",
    }
    return render(request, _partial(request, "mentoring/report_list.html", "rows"), context)


def _report_form(request, report=None):
    queryset = selectors.caseload(user=request.user, mentor_user=request.user).order_by("name")
    initial = {"month": rules.first_of_month(timezone.localdate())}
    if report:
        initial = {
            "month": report.month,
            "activities": report.activities,
            "issues": report.issues,
            "cooperatives": list(report.cooperatives_reached.values_list("pk", flat=True)),
            "version": report.version,
        }
    return forms.ReportForm(
        request.POST or None, request.FILES or None, initial=initial, cooperatives=queryset
    )


@requires(Cap.VIEW)
def report_create(request):
    if selectors.mentor_of(request.user) is None:
        raise Http404
    form = _report_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_save(
                actor=request.user,
                month=data["month"],
                activities=data["activities"],
                issues=data["issues"],
                cooperatives=data["cooperatives"],
                attachment=data["attachment"],
            )
            if "submit" in request.POST:
                services.report_submit(actor=request.user, report=report)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect("mentoring:report_detail", pk=report.pk)
    return render(request, "mentoring/report_form.html", {"form": form, "tab": "reports"})


@requires(Cap.VIEW)
def report_detail(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    from kawal.core.scope import can

    editable = report.mentor_id == request.user.pk and report.status in (
        MonthlyReport.Status.DRAFT,
        MonthlyReport.Status.RETURNED,
    )
    may_review = (
        report.status == MonthlyReport.Status.SUBMITTED
        and report.mentor_id != request.user.pk
        and can(request.user, Cap.VERIFY, report.region_id)
    )
    form = _report_form(request, report) if editable else None
    review = (
        forms.ReviewForm(
            request.POST if may_review and request.method == "POST" else None,
            initial={"version": report.version},
        )
        if may_review
        else None
    )
    if request.method == "POST":
        try:
            if editable and form.is_valid():
                data = form.cleaned_data
                report = services.report_save(
                    actor=request.user,
                    report=report,
                    month=data["month"],
                    activities=data["activities"],
                    issues=data["issues"],
                    cooperatives=data["cooperatives"],
                    attachment=data["attachment"],
                    expected_version=data["version"],
                )
                if "submit" in request.POST:
                    services.report_submit(actor=request.user, report=report)
                    messages.success(request, _("The report was submitted."))
                else:
                    messages.success(request, _("The report was saved."))
                return redirect("mentoring:report_detail", pk=report.pk)
            if may_review and review.is_valid():
                services.report_review(
                    actor=request.user,
                    report=report,
                    accept=review.cleaned_data["decision"] == "accept",
                    reason=review.cleaned_data["reason"],
                    expected_version=review.cleaned_data["version"],
                )
                messages.success(request, _("The review was saved."))
                return redirect("mentoring:report_detail", pk=report.pk)
            if not editable and not may_review:
                raise Http404
        except ValidationError as error:
            apply_service_errors(review if may_review else form, error)
    context = {
        "report": report,
        "form": form,
        "review": review,
        "reached": report.cooperatives_reached.order_by("name"),
        "events": audit_for_object(user=request.user, obj=report),
        "tab": "reports",
    }
    return render(request, "mentoring/report_detail.html", context)


@requires(Cap.VIEW)
def report_file(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    return stored_file_response(report.attachment)


# --- Exports and the caseload import -----------------------------------------------------------


@requires(Cap.VIEW)
def visit_export(request):
    visits = selectors.visit_list(
        user=request.user,
        q=request.GET.get("q", "").strip(),
        district=request.GET.get("kecamatan", "").strip(),
        flagged=request.GET.get("tanda") == "1",
        date_from=_date(request.GET.get("dari")),
        date_to=_date(request.GET.get("sampai")),
    ).order_by("visit_date", "id")
    name = f"kunjungan-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(name, exports.VISIT_HEADERS, exports.visit_rows(visits), "Kunjungan")


@requires(Cap.VIEW)
def consultation_export(request):
    rows = selectors.consultation_list(
        user=request.user,
        q=request.GET.get("q", "").strip(),
        topic=request.GET.get("topik", ""),
        date_from=_date(request.GET.get("dari")),
        date_to=_date(request.GET.get("sampai")),
    ).order_by("date", "id")
    name = f"konsultasi-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(
        name, exports.CONSULTATION_HEADERS, exports.consultation_rows(rows), "Konsultasi"
    )


@requires(Cap.EDIT)
def assignment_template(request):
    _manager(request)
    return xlsx_response("penugasan.xlsx", template_rows(imports.COLUMNS), [], "Penugasan")


@requires(Cap.EDIT)
def assignment_import(request):
    """Dry run on upload; the checked file waits server-side (by token) until committed."""
    _manager(request)
    return import_page(
        request,
        imports.KINDS,
        flow="kawal.mentoring.imports.KINDS",
        done_url=reverse("mentoring:mentor_list"),
    )
