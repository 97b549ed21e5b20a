from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kawal.core.forms import apply_service_errors
from kawal.core.paginate import paginate
from kawal.core.scope import (
    Cap,
    can,
    has_capability,
    is_agency_only,
    may_edit_followup,
    may_manage_followup,
    require,
    requires,
)
from kawal.core.selectors import audit_for_object
from kawal.core.uploads import stored_file_response
from kawal.core.xlsx import xlsx_response
from kawal.followups import exports, selectors, services
from kawal.followups.forms import FollowUpForm, ReportForm
from kawal.followups.models import FollowUp, overdue_q

OWES_LIMIT = 50


def _filters(request) -> dict:
    get = request.GET
    return {
        "q": get.get("q", "").strip(),
        "agency": get.get("instansi", "").strip(),
        "status": get.get("status", "").strip(),
        "region": get.get("wilayah", "").strip(),
        "source": get.get("sumber", "").strip(),
    }


@requires(Cap.VIEW)
def followup_list(request):
    filters = _filters(request)
    rows = selectors.followup_list(user=request.user, **filters)
    page = paginate(request, rows)
    context = {
        "page": page,
        "filters": filters,
        "agencies": selectors.agency_choices(user=request.user),
        "statuses": FollowUp.Status.choices,
        "sources": FollowUp.SourceKind.choices,
        "counts": selectors.followup_counts(user=request.user, agency=filters["agency"]),
        "agency_only": is_agency_only(request.user),
        "may_create": has_capability(request.user, Cap.MANAGE),
    }
    template = "followups/list.html#rows" if request.htmx else "followups/list.html"
    return render(request, template, context)


@requires(Cap.VIEW)
def followup_export(request):
    """The filtered list as a streamed XLSX (same selector, same scope)."""
    rows = selectors.followup_list(user=request.user, **_filters(request))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        f"tindak-lanjut-{stamp}.xlsx", exports.HEADERS, exports.followup_rows(rows), "Tindak lanjut"
    )


@requires(Cap.VIEW)
def agency_owes(request):
    """What an agency owes: the user's own agency, or (for the Dinas) any agency by ?instansi=."""
    code = request.GET.get("instansi", "").strip()
    agencies = selectors.agency_choices(user=request.user)
    if code and not is_agency_only(request.user):
        agency = agencies.filter(code=code).first()
        if agency is None:
            raise Http404
    else:
        agency = request.user.agency
    if agency is None:
        messages.info(request, _("Your account is not linked to an agency."))
        return redirect("followups:list")
    listed = selectors.followup_list(user=request.user, agency=agency.code, status="terbuka")
    done = selectors.followup_list(user=request.user, agency=agency.code, status="selesai")
    context = {
        "agency": agency,
        "overdue": list(listed.filter(overdue_q())[:OWES_LIMIT]),
        "open": list(listed.exclude(overdue_q())[:OWES_LIMIT]),
        "limit": OWES_LIMIT,
        "done": list(done.order_by("-closed_at")[:10]),
        "counts": selectors.followup_counts(user=request.user, agency=agency.code),
        "agencies": agencies if not is_agency_only(request.user) else None,
    }
    return render(request, "followups/owes.html", context)


@requires(Cap.VIEW)
def followup_detail(request, pk: int):
    followup = selectors.followup_get(user=request.user, pk=pk)
    may_edit = may_edit_followup(request.user, followup.region_id, followup.owner_agency_id)
    may_edit_all = may_manage_followup(request.user, followup.region_id)
    form = None
    if may_edit:
        form = ReportForm(
            request.POST or None,
            request.FILES or None,
            followup=followup,
            may_edit_all=may_edit_all,
            initial={"version": followup.version},
        )
    if request.method == "POST":
        if form is None:
            services.followup_report(actor=request.user, followup=followup)  # 403 or 404
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.followup_report(
                    actor=request.user,
                    followup=followup,
                    status=data["status"],
                    comment=data["comment"],
                    file=data["file"],
                    evidence_note=data["evidence_note"],
                    expected_version=data["version"],
                )
            except ValidationError as error:
                followup.refresh_from_db()
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The follow-up was updated."))
                return redirect("followups:detail", pk=followup.pk)
    context = {
        "f": followup,
        "form": form,
        "may_edit_all": may_edit_all,
        "evidence": selectors.evidence_list(followup=followup),
        "events": audit_for_object(user=request.user, obj=followup),
        "source": followup.source if followup.source_type_id else None,
    }
    return render(request, "followups/detail.html", context)


@requires(Cap.MANAGE)
def followup_create(request):
    agencies = selectors.agency_choices(user=request.user)
    form = FollowUpForm(
        request.POST or None,
        agencies=agencies,
        initial={"region_code": request.GET.get("wilayah") or settings.KAWAL_HOME_REGION},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data.pop("version", None)
        try:
            if not can(request.user, Cap.MANAGE, data["region_code"]):
                raise ValidationError(
                    {"region_code": _("You may not assign follow-ups in this region.")}
                )
            followup = services.followup_create(actor=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up was saved."))
            return redirect("followups:detail", pk=followup.pk)
    return render(request, "followups/form.html", {"form": form, "f": None})


@requires(Cap.MANAGE)
def followup_edit(request, pk: int):
    followup = selectors.followup_get(user=request.user, pk=pk)
    require(request.user, Cap.MANAGE, followup.region_id)
    agencies = selectors.agency_choices(user=request.user)
    initial = {
        "title": followup.title,
        "description": followup.description,
        "owner_agency": followup.owner_agency,
        "owner_user": followup.owner_user,
        "due_date": followup.due_date,
        "region_code": followup.region_id,
        "version": followup.version,
    }
    form = FollowUpForm(request.POST or None, agencies=agencies, initial=initial)
    form.fields["region_code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = data.pop("version")
        data.pop("region_code")
        try:
            services.followup_update(
                actor=request.user, followup=followup, expected_version=version, **data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up was saved."))
            return redirect("followups:detail", pk=followup.pk)
    return render(request, "followups/form.html", {"form": form, "f": followup})


@requires(Cap.VIEW)
def evidence_file(request, pk: int, evidence_pk: int):
    evidence = selectors.evidence_get(user=request.user, followup_pk=pk, pk=evidence_pk)
    return stored_file_response(evidence.file, evidence.original_name)
