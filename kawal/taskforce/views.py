import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kawal.core.forms import apply_service_errors
from kawal.core.paginate import paginate
from kawal.core.scope import Cap, can, has_capability, is_agency_only, require, requires
from kawal.core.selectors import audit_for_object
from kawal.core.uploads import stored_file_response
from kawal.core.xlsx import xlsx_response
from kawal.followups import selectors as followup_selectors
from kawal.taskforce import documents, exports, selectors, services
from kawal.taskforce.forms import (
    ActionFormSet,
    AgencyForm,
    DecisionForm,
    DecreeAgencyForm,
    DecreeForm,
    DecreeMemberForm,
    InviteForm,
    LetterheadForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    PeriodForm,
    attendance_choices,
    local_now_rounded,
)
from kawal.taskforce.models import Meeting


def _home_region(user) -> str:
    return settings.KAWAL_HOME_REGION


def _agencies(user):
    return selectors.agency_list(user=user, include_inactive=False)


# --- overview -------------------------------------------------------------------------------


@requires(Cap.VIEW)
def index(request):
    decree = selectors.decree_current(user=request.user)
    upcoming = selectors.meeting_next(user=request.user)
    context = {
        "decree": decree,
        "structure": selectors.decree_structure(decree=decree) if decree else None,
        "upcoming": upcoming,
        "carry": selectors.carryover_summary(
            selectors.carryover(meeting=upcoming, user=request.user)
        )
        if upcoming
        else None,
        "recent": selectors.meeting_list(user=request.user, when="lalu")[:5],
        "may_edit": has_capability(request.user, Cap.MANAGE),
        # The letterhead is the regency's: a camat runs meetings but does not change it.
        "may_letterhead": can(request.user, Cap.MANAGE, _home_region(request.user)),
    }
    return render(request, "taskforce/index.html", context)


@requires(Cap.MANAGE)
def letterhead_edit(request):
    region = request.GET.get("wilayah") or _home_region(request.user)
    require(request.user, Cap.MANAGE, region)
    letterhead = selectors.letterhead_for(region)
    form = LetterheadForm(request.POST or None, instance=letterhead)
    if request.method == "POST" and form.is_valid():
        try:
            services.letterhead_save(
                actor=request.user, region_code=letterhead.region_id, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The letterhead was saved."))
            return redirect("taskforce:index")
    return render(request, "taskforce/letterhead_form.html", {"form": form})


# --- agencies -------------------------------------------------------------------------------


@requires(Cap.VIEW)
def agency_list(request):
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.agency_list(user=request.user, q=q), per_page=50)
    template = "taskforce/agency_list.html#rows" if request.htmx else "taskforce/agency_list.html"
    return render(
        request,
        template,
        {"page": page, "q": q, "may_edit": has_capability(request.user, Cap.MANAGE)},
    )


@requires(Cap.MANAGE)
def agency_create(request):
    form = AgencyForm(request.POST or None, initial={"region_code": _home_region(request.user)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data.pop("is_active")
        try:
            services.agency_create(actor=request.user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The agency was saved."))
            return redirect("taskforce:agency_list")
    return render(request, "taskforce/agency_form.html", {"form": form, "agency": None})


@requires(Cap.MANAGE)
def agency_edit(request, code: str):
    agency = selectors.agency_get(user=request.user, code=code)
    require(request.user, Cap.MANAGE, agency.region_id)
    initial = {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "region_code": agency.region_id,
        "is_active": agency.is_active,
    }
    form = AgencyForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    form.fields["region_code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "short_name", "kind", "is_active")}
        try:
            services.agency_update(actor=request.user, agency=agency, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The agency was saved."))
            return redirect("taskforce:agency_list")
    return render(request, "taskforce/agency_form.html", {"form": form, "agency": agency})


# --- decrees --------------------------------------------------------------------------------


@requires(Cap.VIEW)
def decree_list(request):
    decrees = selectors.decree_list(user=request.user)
    current = selectors.decree_current(user=request.user)
    return render(
        request,
        "taskforce/decree_list.html",
        {
            "decrees": decrees,
            "current": current,
            "may_edit": has_capability(request.user, Cap.MANAGE),
        },
    )


@requires(Cap.MANAGE)
def decree_create(request):
    amends = None
    amends_pk = request.GET.get("mengubah") or request.POST.get("mengubah")
    if amends_pk:
        amends = selectors.decree_get(user=request.user, pk=amends_pk)
    initial = {"region_code": amends.region_id if amends else _home_region(request.user)}
    if amends:
        initial.update(title=amends.title, signed_by=amends.signed_by)
    form = DecreeForm(request.POST or None, request.FILES or None, initial=initial)
    if amends:
        form.fields["region_code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decree = services.decree_create(actor=request.user, amends=amends, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The decree was saved."))
            return redirect("taskforce:decree_detail", pk=decree.pk)
    return render(request, "taskforce/decree_form.html", {"form": form, "amends": amends})


@requires(Cap.VIEW)
def decree_detail(request, pk: int):
    decree = selectors.decree_get(user=request.user, pk=pk)
    may_edit = can(request.user, Cap.MANAGE, decree.region_id)
    agencies = _agencies(request.user)
    agency_form = DecreeAgencyForm(agencies=agencies, prefix="a")
    member_form = DecreeMemberForm(agencies=agencies, prefix="m")
    if request.method == "POST":
        require(request.user, Cap.MANAGE, decree.region_id)
        action = request.POST.get("action")
        try:
            if action == "agency":
                agency_form = DecreeAgencyForm(request.POST, agencies=agencies, prefix="a")
                if agency_form.is_valid():
                    services.decree_agency_set(
                        actor=request.user, decree=decree, **agency_form.cleaned_data
                    )
                    messages.success(request, _("Saved."))
                    return redirect("taskforce:decree_detail", pk=decree.pk)
            elif action == "member":
                member_form = DecreeMemberForm(request.POST, agencies=agencies, prefix="m")
                if member_form.is_valid():
                    services.decree_member_add(
                        actor=request.user, decree=decree, **member_form.cleaned_data
                    )
                    messages.success(request, _("Saved."))
                    return redirect("taskforce:decree_detail", pk=decree.pk)
            elif action == "remove_agency":
                row = selectors.decree_agency_get(decree=decree, pk=request.POST.get("pk"))
                services.decree_agency_remove(actor=request.user, row=row)
                return redirect("taskforce:decree_detail", pk=decree.pk)
            elif action == "remove_member":
                member = selectors.decree_member_get(decree=decree, pk=request.POST.get("pk"))
                services.decree_member_remove(actor=request.user, member=member)
                return redirect("taskforce:decree_detail", pk=decree.pk)
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    context = {
        "decree": decree,
        "structure": selectors.decree_structure(decree=decree),
        "history": selectors.decree_history(decree=decree),
        "may_edit": may_edit,
        "agency_form": agency_form,
        "member_form": member_form,
        "events": audit_for_object(user=request.user, obj=decree),
    }
    return render(request, "taskforce/decree_detail.html", context)


@requires(Cap.VIEW)
def decree_file(request, pk: int):
    decree = selectors.decree_get(user=request.user, pk=pk)
    return stored_file_response(decree.file, f"SK-{slugify(decree.number)}.pdf")


# --- meetings -------------------------------------------------------------------------------


@requires(Cap.VIEW)
def meeting_list(request):
    when = request.GET.get("waktu", "")
    q = request.GET.get("q", "").strip()
    rows = selectors.meeting_list(user=request.user, when=when, q=q)
    page = paginate(request, rows)
    context = {
        "page": page,
        "when": when,
        "q": q,
        "may_edit": has_capability(request.user, Cap.MANAGE),
    }
    template = "taskforce/meeting_list.html#rows" if request.htmx else "taskforce/meeting_list.html"
    return render(request, template, context)


@requires(Cap.MANAGE)
def meeting_create(request):
    agencies = _agencies(request.user)
    decree = selectors.decree_current(user=request.user)
    invited = [a.agency for a in decree.agencies.select_related("agency")] if decree else []
    initial = {
        "region_code": _home_region(request.user),
        "starts_at": local_now_rounded(),
        "agencies": invited,
    }
    form = MeetingForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meetings = services.meeting_schedule(
                actor=request.user,
                region_code=data["region_code"],
                title=data["title"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_link=data["video_link"],
                agenda=data["agenda"],
                agencies=list(data["agencies"]),
                repeat=data["repeat"],
                interval_days=data["interval_days"],
                letter_number=data["letter_number"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(n)s meeting(s) scheduled.") % {"n": len(meetings)},
            )
            return redirect("taskforce:meeting_detail", pk=meetings[0].pk)
    return render(request, "taskforce/meeting_form.html", {"form": form})


@requires(Cap.MANAGE)
def meeting_edit(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require(request.user, Cap.MANAGE, meeting.region_id)
    minutes = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    initial = {
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at),
        "duration_minutes": minutes,
        "place": meeting.place,
        "video_link": meeting.video_link,
        "agenda": meeting.agenda,
        "letter_number": meeting.letter_number,
        "version": meeting.version,
    }
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        duration = data.pop("duration_minutes")
        data["ends_at"] = data["starts_at"] + datetime.timedelta(minutes=duration)
        try:
            services.meeting_update(
                actor=request.user, meeting=meeting, expected_version=version, **data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(meeting.get_absolute_url())
    return render(request, "taskforce/meeting_form.html", {"form": form, "meeting": meeting})


def _meeting_context(request, meeting, **forms):
    agencies = _agencies(request.user)
    may_edit = can(request.user, Cap.MANAGE, meeting.region_id)
    invitees = list(selectors.invitee_list(meeting=meeting))
    carry = selectors.carryover_summary(selectors.carryover(meeting=meeting, user=request.user))
    context = {
        "meeting": meeting,
        "invitees": invitees,
        "decisions": selectors.decision_list(meeting=meeting),
        "carry": carry,
        "previous": selectors.meeting_previous(meeting=meeting),
        "may_edit": may_edit,
        "agency_only": is_agency_only(request.user),
        "attendance_choices": attendance_choices(),
        "events": audit_for_object(user=request.user, obj=meeting),
    }
    if may_edit:
        context.update(
            invite_form=forms.get("invite_form") or InviteForm(agencies=agencies, prefix="i"),
            minutes_form=forms.get("minutes_form")
            or MinutesForm(
                prefix="n",
                initial={
                    "minutes": meeting.minutes,
                    "chair": meeting.chair or "Sekretaris Daerah selaku Ketua Satgas KMP",
                    "version": meeting.version,
                },
            ),
            decision_form=forms.get("decision_form") or DecisionForm(prefix="d"),
            action_formset=forms.get("action_formset")
            or ActionFormSet(prefix="t", form_kwargs={"agencies": agencies}),
            attendance_errors=forms.get("attendance_errors"),
        )
    return context


def _attendance_entries(post) -> list[dict]:
    """hadir-<id>, wakil-<id> and the values the form showed (was-hadir-<id>, was-wakil-<id>);
    a malformed id is passed on for the service to refuse with a message."""
    entries = []
    for key, value in post.items():
        if not key.startswith("hadir-"):
            continue
        suffix = key.removeprefix("hadir-")
        entry = {
            "invitee_id": suffix,
            "attendance": value,
            "represented_by": post.get("wakil-" + suffix, ""),
        }
        if "was-hadir-" + suffix in post:
            entry["shown"] = (post.get("was-hadir-" + suffix), post.get("was-wakil-" + suffix, ""))
        entries.append(entry)
    return entries


@requires(Cap.VIEW)
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if request.method != "POST":
        return render(request, "taskforce/meeting_detail.html", _meeting_context(request, meeting))
    require(request.user, Cap.MANAGE, meeting.region_id)
    action = request.POST.get("action")
    agencies = _agencies(request.user)
    forms = {}
    try:
        if action == "invite":
            form = forms["invite_form"] = InviteForm(request.POST, agencies=agencies, prefix="i")
            if form.is_valid():
                services.invitee_add(actor=request.user, meeting=meeting, **form.cleaned_data)
                messages.success(request, _("Invitation added."))
                return redirect(meeting.get_absolute_url() + "#undangan")
        elif action == "attendance":
            entries = _attendance_entries(request.POST)
            try:
                services.attendance_record(actor=request.user, meeting=meeting, entries=entries)
            except ValidationError as error:
                forms["attendance_errors"] = error.messages
            else:
                messages.success(request, _("Attendance saved."))
                return redirect(meeting.get_absolute_url() + "#hadir")
        elif action == "minutes":
            form = forms["minutes_form"] = MinutesForm(request.POST, prefix="n")
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.minutes_record(
                        actor=request.user,
                        meeting=meeting,
                        minutes=data["minutes"],
                        chair=data["chair"],
                        expected_version=data["version"],
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(request, _("The minutes were saved."))
                    return redirect(meeting.get_absolute_url() + "#notulen")
        elif action == "decision":
            form = forms["decision_form"] = DecisionForm(request.POST, prefix="d")
            formset = forms["action_formset"] = ActionFormSet(
                request.POST, prefix="t", form_kwargs={"agencies": agencies}
            )
            if form.is_valid() and formset.is_valid():
                actions = [
                    {k: v for k, v in f.cleaned_data.items() if v not in (None, "")}
                    | {
                        "owner_agency": f.cleaned_data.get("owner_agency"),
                        "due_date": f.cleaned_data.get("due_date"),
                    }
                    for f in formset
                    if not f.is_blank()
                ]
                try:
                    decision = services.decision_record(
                        actor=request.user,
                        meeting=meeting,
                        text=form.cleaned_data["text"],
                        actions=actions,
                    )
                except ValidationError as error:
                    errors = error.update_error_dict({})
                    for message in errors.pop("actions", []):
                        form.add_error(None, message)
                    if errors:
                        apply_service_errors(form, ValidationError(errors))
                else:
                    messages.success(
                        request, _("Decision %(n)s was recorded.") % {"n": decision.number}
                    )
                    return redirect(meeting.get_absolute_url() + "#keputusan")
        elif action == "cancel":
            services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The meeting was cancelled."))
            return redirect(meeting.get_absolute_url())
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting.get_absolute_url())
    meeting.refresh_from_db()
    return render(
        request, "taskforce/meeting_detail.html", _meeting_context(request, meeting, **forms)
    )


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@requires(Cap.VIEW)
def invitation_pdf(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    data = documents.invitation_pdf(
        meeting=meeting,
        letterhead=selectors.letterhead_for(meeting.region_id),
        invitees=list(selectors.invitee_list(meeting=meeting)),
        # Only what the reader may see: a Satgas member's invitation lists its own agency's
        # follow-ups, as the meeting page does.
        carry=selectors.carryover_summary(selectors.carryover(meeting=meeting, user=request.user)),
    )
    return _pdf_response(data, f"undangan-rakor-{meeting.starts_at:%Y%m%d}.pdf")


@requires(Cap.VIEW)
def minutes_pdf(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if meeting.status != Meeting.Status.SELESAI:
        raise Http404
    data = documents.minutes_pdf(
        meeting=meeting,
        letterhead=selectors.letterhead_for(meeting.region_id),
        invitees=list(selectors.invitee_list(meeting=meeting)),
        decisions=selectors.decision_list(meeting=meeting),
    )
    return _pdf_response(data, f"notulen-rakor-{meeting.starts_at:%Y%m%d}.pdf")


@requires(Cap.VIEW)
def meeting_ics(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    body = documents.meeting_ics(
        meeting=meeting, url=request.build_absolute_uri(meeting.get_absolute_url())
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rakor-{meeting.starts_at:%Y%m%d}.ics"'
    return response


# --- scorecard ------------------------------------------------------------------------------


@requires(Cap.VIEW)
def scorecard(request):
    default = selectors.default_period()
    period_form = PeriodForm(
        request.GET or None, initial={"dari": default[0], "sampai": default[1]}
    )
    date_from, date_to = period_form.period(default)
    period = {"user": request.user, "date_from": date_from, "date_to": date_to}
    decisions = selectors.scorecard(**period, kind=selectors.ScorecardKind.DECISIONS)
    others = selectors.scorecard(**period, kind=selectors.ScorecardKind.OTHER)
    context = {
        "rankings": [
            {"key": "keputusan", "title": _("Rakor decisions"), "cards": decisions},
            {"key": "lainnya", "title": _("Other follow-ups"), "cards": others},
        ],
        "totals": selectors.scorecard_totals(decisions + others),
        "date_from": date_from,
        "date_to": date_to,
        "period_form": period_form,
        "overdue": selectors.overdue_followups(user=request.user, limit=15),
        "overdue_count": followup_selectors.followup_counts(user=request.user)["overdue"],
    }
    template = "taskforce/scorecard.html#ranking" if request.htmx else "taskforce/scorecard.html"
    return render(request, template, context)


@requires(Cap.VIEW)
def scorecard_export(request):
    default = selectors.default_period()
    date_from, date_to = PeriodForm(request.GET or None).period(default)
    cards = selectors.scorecard(user=request.user, date_from=date_from, date_to=date_to)
    return xlsx_response(
        f"kinerja-opd-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx",
        exports.SCORECARD_HEADERS,
        exports.scorecard_rows(cards),
        "Kinerja OPD",
    )


@requires(Cap.VIEW)
def scorecard_agency(request, code: str):
    agency = selectors.agency_get(user=request.user, code=code)
    default = selectors.default_period()
    period_form = PeriodForm(
        request.GET or None, initial={"dari": default[0], "sampai": default[1]}
    )
    date_from, date_to = period_form.period(default)
    cards = selectors.scorecard(
        user=request.user, date_from=date_from, date_to=date_to, agency_code=code
    )
    followups = followup_selectors.followup_list(user=request.user, agency=code).filter(
        created_at__date__range=(date_from, date_to)
    )
    context = {
        "agency": agency,
        "card": cards[0] if cards else None,
        "date_from": date_from,
        "date_to": date_to,
        "period_form": period_form,
        "followups": followups[:200],
        "attendance": selectors.agency_attendance(
            user=request.user, agency=agency, date_from=date_from, date_to=date_to
        ),
    }
    return render(request, "taskforce/scorecard_agency.html", context)
