import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawal.budget import selectors as budget_selectors
from kawal.budget.models import Purpose
from kawal.core.forms import apply_service_errors
from kawal.core.scope import Cap, can, has_capability, requires
from kawal.core.xlsx import xlsx_response
from kawal.training import documents, selectors, services
from kawal.training.forms import BatchForm, CancelForm, InviteForm, ProgrammeForm, ResultForm
from kawal.training.models import Batch, Participant


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _year(request) -> int | None:
    value = request.GET.get("tahun", "")
    return int(value) if value.isdigit() else None


# --- calendar and programmes ---------------------------------------------------------------


@requires(Cap.VIEW)
def index(request):
    user = request.user
    when = request.GET.get("waktu", "")
    year = _year(request)
    batches = selectors.batch_list(user=user, when=when, year=year)[:200]
    context = {
        "months": selectors.calendar(batches),
        "when": when,
        "year": year,
        "may_edit": has_capability(user, Cap.MANAGE),
        # Programmes belong to the home regency (programme_create): a camat does not add them.
        "may_create": can(user, Cap.MANAGE, settings.KAWAL_HOME_REGION),
    }
    if request.htmx:
        return render(request, "training/index.html#calendar", context)
    context["programmes"] = selectors.programme_list(user=user)[:50]
    return render(request, "training/index.html", context)


def _lines(user):
    return budget_selectors.spendable_lines(user=user, purpose=Purpose.TRAINING)


@requires(Cap.MANAGE)
def programme_create(request):
    from django.conf import settings

    region = request.GET.get("wilayah") or settings.KAWAL_HOME_REGION
    if not can(request.user, Cap.MANAGE, region):
        raise Http404
    form = ProgrammeForm(request.POST or None, lines=_lines(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            programme = services.programme_create(actor=request.user, region_code=region, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("training:programme_detail", programme.pk)
    return render(request, "training/programme_form.html", {"form": form, "programme": None})


@requires(Cap.MANAGE)
def programme_edit(request, pk: int):
    programme = selectors.programme_get(user=request.user, pk=pk, cap=Cap.MANAGE)
    initial = {
        "version": programme.version,
        "title": programme.title,
        "modules": programme.modules,
        "target_groups": programme.target_groups,
        "method": programme.method,
        "budget_line": programme.budget_line_id,
        "cost_per_participant": programme.cost_per_participant,
        "description": programme.description,
    }
    form = ProgrammeForm(request.POST or None, initial=initial, lines=_lines(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            services.programme_update(
                actor=request.user, programme=programme, expected_version=version, **data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("training:programme_detail", programme.pk)
    return render(request, "training/programme_form.html", {"form": form, "programme": programme})


@requires(Cap.VIEW)
def programme_detail(request, pk: int):
    user = request.user
    programme = selectors.programme_get(user=user, pk=pk)
    batches = list(selectors.batch_list(user=user, programme_id=programme.pk))
    line = None
    if programme.budget_line_id:
        line = budget_selectors.lines_by_id([programme.budget_line_id]).get(
            programme.budget_line_id
        )
    return render(
        request,
        "training/programme_detail.html",
        {
            "programme": programme,
            "batches": batches,
            "line": line,
            "may_edit": can(user, Cap.MANAGE, programme.region_id),
        },
    )


# --- batches -------------------------------------------------------------------------------


def _district_choices(programme) -> list[tuple[str, str]]:
    from kawal.regions.models import Region

    rows = Region.objects.filter(level=3, is_active=True).order_by("name")
    if len(programme.region_id) == 5:
        rows = rows.filter(regency_code=programme.region_id)
    else:
        rows = rows.filter(province_code=programme.region_id)
    return list(rows.values_list("code", "name"))


def _batch_data(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    venue = data.pop("venue_region") or None
    if venue:
        from kawal.regions.models import Region

        data["venue_region"] = Region.objects.filter(code=venue).first()
    return data


@requires(Cap.MANAGE)
def batch_create(request, pk: int):
    programme = selectors.programme_get(user=request.user, pk=pk, cap=Cap.MANAGE)
    next_number = (max((b.number for b in programme.batches.all()), default=0)) + 1
    form = BatchForm(
        request.POST or None,
        districts=_district_choices(programme),
        initial={"number": next_number, "capacity": 130},
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(
                actor=request.user, programme=programme, **_batch_data(form)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The batch was saved."))
            return redirect("training:batch_detail", batch.pk)
    return render(
        request, "training/batch_form.html", {"form": form, "programme": programme, "batch": None}
    )


@requires(Cap.MANAGE)
def batch_edit(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk, cap=Cap.MANAGE)
    initial = {
        "version": batch.version,
        "number": batch.number,
        "start_date": batch.start_date,
        "end_date": batch.end_date,
        "venue": batch.venue,
        "venue_region": batch.venue_region_id or "",
        "districts": [d.code for d in batch.districts.all()],
        "capacity": batch.capacity,
        "trainers": batch.trainers,
    }
    form = BatchForm(
        request.POST or None, initial=initial, districts=_district_choices(batch.programme)
    )
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version") or 0
        try:
            services.batch_update(
                actor=request.user, batch=batch, expected_version=version, **_batch_data(form)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The batch was saved."))
            return redirect("training:batch_detail", batch.pk)
    return render(
        request,
        "training/batch_form.html",
        {"form": form, "programme": batch.programme, "batch": batch},
    )


def _invite_choices(user, batch, proposals):
    proposed = [(p.officer.pk, f"{p.officer.name} · {p.cooperative.name}") for p in proposals]
    return proposed


@requires(Cap.VIEW)
def batch_detail(request, pk: int):
    user = request.user
    batch = selectors.batch_get(user=user, pk=pk)
    may_manage = can(user, Cap.MANAGE, batch.region_id)
    q = request.GET.get("q", "").strip()
    kecamatan = request.GET.get("kecamatan", "")
    participants = selectors.batch_participants(batch=batch, user=user, q=q, kecamatan=kecamatan)
    context = {
        "batch": batch,
        "participants": participants,
        "days": batch.days,
        "q": q,
        "kecamatan": kecamatan,
        "may_manage": may_manage,
        "may_edit": can(user, Cap.EDIT, batch.region_id),
    }
    if request.htmx:
        return render(request, "training/batch_detail.html#participants", context)
    proposals = selectors.proposals(user=user, batch=batch) if may_manage else []
    counts = selectors.attendance_counts(batch=batch)
    events = selectors.session_events(batch=batch)
    commitment = budget_selectors.commitments_for(ref_app="training", ref_ids=[batch.pk]).get(
        batch.pk
    )
    context.update(
        proposals=proposals,
        invite_form=InviteForm(
            choices=_invite_choices(user, batch, proposals),
            initial={"officers": [p.officer.pk for p in proposals]},
        ),
        commitment=commitment,
        cost=batch.capacity * batch.programme.cost_per_participant,
        per_day=[(d, counts.get(d, 0), events.get(d)) for d in batch.days],
        # The day's event page (registrants, personal links, QR, door) is the organiser's.
        may_see_events=can(user, Cap.VIEW, batch.region_id),
        cancel_form=CancelForm(initial={"version": batch.version}),
    )
    return render(request, "training/batch_detail.html", context)


@requires(Cap.MANAGE)
@require_POST
def batch_invite(request, pk: int):
    user = request.user
    batch = selectors.batch_get(user=user, pk=pk, cap=Cap.MANAGE)
    ids = [int(v) for v in request.POST.getlist("officers") if v.isdigit()]
    try:
        created = services.participants_add(
            actor=user, batch=batch, officer_ids=ids, invited_on=timezone.localdate()
        )
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("%(n)s officer(s) invited.") % {"n": len(created)})
    return redirect("training:batch_detail", batch.pk)


@requires(Cap.MANAGE)
@require_POST
def batch_action(request, pk: int):
    user = request.user
    batch = selectors.batch_get(user=user, pk=pk, cap=Cap.MANAGE)
    action = request.POST.get("action")
    version = int(request.POST.get("version") or 0)
    try:
        if action == "close":
            n = services.batch_close(actor=user, batch=batch, expected_version=version)
            messages.success(request, _("The batch is finished; %(n)s completed it.") % {"n": n})
        elif action == "cancel":
            services.batch_cancel(
                actor=user,
                batch=batch,
                expected_version=version,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("The batch was cancelled."))
        elif action == "commit":
            services.batch_commit_budget(actor=user, batch=batch)
            messages.success(request, _("The batch's cost was committed on its budget line."))
        else:
            raise Http404
    except ValidationError as error:
        _flash(request, error)
    return redirect("training:batch_detail", batch.pk)


@requires(Cap.EDIT)
def participant_edit(request, pk: int, participant_pk: int):
    user = request.user
    participant = selectors.participant_get(user=user, pk=participant_pk, batch_pk=pk, cap=Cap.EDIT)
    form = ResultForm(
        request.POST or None,
        initial={
            "completed": participant.completed,
            "pre_score": participant.pre_score,
            "post_score": participant.post_score,
        },
    )
    may_manage = can(user, Cap.MANAGE, participant.batch.region_id)
    if request.method == "POST":
        try:
            if "invitation" in request.POST and may_manage:
                services.participant_set_invitation(
                    actor=user, participant=participant, invitation=request.POST["invitation"]
                )
                messages.success(request, _("The answer to the invitation was saved."))
                return redirect("training:batch_detail", pk)
            if form.is_valid():
                services.participant_result(
                    actor=user, participant=participant, **form.cleaned_data
                )
                messages.success(request, _("The result was saved."))
                return redirect("training:batch_detail", pk)
        except ValidationError as error:
            apply_service_errors(form, error)
    return render(
        request,
        "training/participant_form.html",
        {
            "participant": participant,
            "form": form,
            "may_manage": may_manage,
            "invitations": Participant.Invitation.choices,
        },
    )


# --- attendance on a phone -----------------------------------------------------------------


def _day(batch: Batch, value: str) -> datetime.date:
    today = timezone.localdate()
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        day = today if batch.start_date <= today <= batch.end_date else batch.start_date
    if day not in batch.days:
        raise Http404
    return day


@requires(Cap.EDIT)
def attendance(request, pk: int):
    user = request.user
    batch = selectors.batch_get(user=user, pk=pk, cap=Cap.EDIT)
    day = _day(batch, request.GET.get("hari", ""))
    q = request.GET.get("q", "").strip()
    rows = [
        p
        for p in selectors.batch_participants(batch=batch, user=user, q=q)
        if p.invitation != Participant.Invitation.DECLINED
    ]
    context = {
        "batch": batch,
        "day": day,
        "days": batch.days,
        "rows": rows,
        "q": q,
        "present": sum(1 for p in rows if day in p.present_days),
        "locked": batch.status == Batch.Status.CANCELLED,
    }
    if request.htmx:
        return render(request, "training/attendance.html#rows", context)
    return render(request, "training/attendance.html", context)


@requires(Cap.EDIT)
@require_POST
def attendance_mark(request, pk: int, participant_pk: int):
    user = request.user
    participant = selectors.participant_get(user=user, pk=participant_pk, batch_pk=pk, cap=Cap.EDIT)
    batch = participant.batch
    day = _day(batch, request.POST.get("hari", ""))
    present = request.POST.get("hadir") == "1"
    error = ""
    try:
        services.attendance_set(actor=user, participant=participant, day=day, present=present)
    except ValidationError as e:
        error = " ".join(e.messages)
    participant.present_days = selectors.present_days([participant.pk])[participant.pk]
    if request.htmx:
        present, total = selectors.day_counts(batch=batch, day=day)
        context = {
            "p": participant,
            "day": day,
            "batch": batch,
            "error": error,
            "locked": False,
            "present": present,
            "total": total,
        }
        return render(request, "training/attendance_mark.html", context)
    if error:
        messages.error(request, error)
    return redirect(f"{reverse('training:attendance', args=[batch.pk])}?hari={day.isoformat()}")


# --- documents -----------------------------------------------------------------------------


@requires(Cap.VIEW)
def certificates(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    only = request.GET.get("peserta", "")
    rows = [
        p for p in selectors.batch_participants(batch=batch, user=request.user) if p.present_days
    ]
    if only.isdigit():
        rows = [p for p in rows if p.pk == int(only)]
        if not rows:
            raise Http404
    organiser = batch.region.display_name
    pdf = documents.certificates_pdf(batch=batch, participants=rows, organiser=organiser)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sertifikat-angkatan-{batch.number}.pdf"'
    return response


@requires(Cap.VIEW)
def attendance_export(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    headers = [
        "kecamatan",
        "desa",
        "koperasi",
        "nama",
        "jabatan",
        "undangan",
        *[f"hari_{i}_{d.isoformat()}" for i, d in enumerate(batch.days, start=1)],
        "jumlah_hadir",
        "selesai",
        "pre_test",
        "post_test",
    ]
    return xlsx_response(
        f"kehadiran-angkatan-{batch.number}.xlsx",
        headers,
        selectors.export_rows(batch=batch, user=request.user),
        sheet_title=f"Angkatan {batch.number}",
    )


# --- coverage and needs --------------------------------------------------------------------


@requires(Cap.VIEW)
def cooperative_obstacle_needs(request, pk: int):
    """The cooperative page's training needs that come from what holds the KMP back (htmx)."""
    coop = selectors.cooperative_get(user=request.user, pk=pk)
    pairs = selectors.obstacle_needs(user=request.user, cooperative_ids=[coop.pk]).get(coop.pk, [])
    return render(
        request,
        "training/cooperative_obstacle_needs.html",
        {"needs": [need for _obstacle, need in pairs]},
    )


@requires(Cap.VIEW)
def coverage(request):
    data = selectors.coverage_by_district(user=request.user, regency=request.GET.get("kab", ""))
    return render(
        request, "training/coverage.html", {"data": data, "target": selectors.TRAINED_TARGET}
    )


@requires(Cap.VIEW)
def needs(request):
    user = request.user
    district = request.GET.get("kecamatan", "")
    choices = selectors.district_choices(user=user, regency=request.GET.get("kab", ""))
    if district and district not in dict(choices):
        raise Http404
    context = {"choices": choices, "district": district, "target": selectors.TRAINED_TARGET}
    if district:
        entries = selectors.district_needs(user=user, district=district)
        context.update(
            entries=entries,
            modules=selectors.module_totals(entries),
            district_name=dict(choices)[district],
        )
    else:
        context["coverage"] = selectors.coverage_by_district(user=user)
    if request.htmx:
        return render(request, "training/needs.html#body", context)
    return render(request, "training/needs.html", context)
