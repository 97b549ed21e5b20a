from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.core.forms import apply_service_errors
from kawal.core.paginate import paginate
from kawal.core.scope import Cap, can, has_capability, public, requires
from kawal.core.xlsx import xlsx_response
from kawal.events import documents, planner, selectors, services, throttle
from kawal.events.forms import (
    DoorForm,
    EventForm,
    PlanForm,
    RegistrantForm,
    SelfRegistrationForm,
    TierForm,
    UnitCostForm,
    VenueForm,
)
from kawal.events.models import Event, Venue


def _personal_link(request, registrant) -> str:
    return request.build_absolute_uri(reverse("events_public:link", args=[registrant.code]))


def _district_choices(event):
    return selectors.district_choices(event=event)


# --- events ---------------------------------------------------------------------------------


@requires(Cap.VIEW)
def event_list(request):
    page = paginate(request, selectors.event_list(user=request.user), per_page=30)
    template = "events/event_list.html#rows" if request.htmx else "events/event_list.html"
    return render(
        request, template, {"page": page, "may_edit": has_capability(request.user, Cap.MANAGE)}
    )


@requires(Cap.MANAGE)
def event_create(request):
    from django.conf import settings

    form = EventForm(
        request.POST or None,
        initial={
            "region_code": settings.KAWAL_HOME_REGION,
            "organiser": _("Dinas Koperasi dan UKM"),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, **form.service_fields())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events:detail", event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@requires(Cap.MANAGE)
def event_edit(request, pk):
    event = selectors.event_get(user=request.user, pk=pk, cap=Cap.MANAGE)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                actor=request.user,
                event=event,
                version=int(request.POST.get("version") or 0),
                **form.service_fields(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events:detail", event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@requires(Cap.VIEW)
def event_detail(request, pk):
    event = selectors.event_get(user=request.user, pk=pk)
    counts = selectors.live_counts(event=event)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "when": documents.event_when(event),
            "counts": counts,
            "may_edit": can(request.user, Cap.MANAGE, event.region_id),
            "may_door": can(request.user, Cap.EDIT, event.region_id),
            "register_url": request.build_absolute_uri(
                reverse("events_public:register", args=[event.public_code])
            ),
        },
    )


@requires(Cap.VIEW)
def live(request, pk):
    """Live counts per kecamatan and watch point; the page polls its own partial."""
    event = selectors.event_get(user=request.user, pk=pk)
    context = {"event": event, "counts": selectors.live_counts(event=event)}
    template = "events/live.html#counts" if request.htmx else "events/live.html"
    return render(request, template, context)


# --- venues ---------------------------------------------------------------------------------


@requires(Cap.MANAGE)
def venue_edit(request, pk, venue_pk=None):
    event = selectors.event_get(user=request.user, pk=pk, cap=Cap.MANAGE)
    venue = selectors.venue_get(event=event, pk=venue_pk) if venue_pk else None
    initial = (
        {
            "kind": venue.kind,
            "name": venue.name,
            "district_code": venue.district_id or "",
            "address": venue.address,
            "capacity": venue.capacity,
        }
        if venue
        else {"kind": Venue.Kind.WATCH_POINT}
    )
    form = VenueForm(request.POST or None, initial=initial, districts=_district_choices(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_save(actor=request.user, event=event, venue=venue, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The venue was saved."))
            return redirect("events:detail", event.pk)
    return render(request, "events/venue_form.html", {"form": form, "event": event, "venue": venue})


# --- registrants ----------------------------------------------------------------------------


@requires(Cap.VIEW)
def registrant_list(request, pk):
    event = selectors.event_get(user=request.user, pk=pk)
    q = request.GET.get("q", "").strip()
    district = request.GET.get("kecamatan", "")
    status = request.GET.get("status", "")
    page = paginate(
        request,
        selectors.registrant_list(event=event, q=q, district=district, status=status),
        per_page=50,
    )
    may_edit = can(request.user, Cap.MANAGE, event.region_id)
    page.object_list = list(page.object_list)
    for r in page.object_list:
        r.event = event  # the message names the event: no query per row
        r.link = _personal_link(request, r)
        r.whatsapp = documents.whatsapp_link(r, r.link) if may_edit else ""
        r.code_display = services.format_code(r.code)
    template = "events/registrant_list.html#rows" if request.htmx else "events/registrant_list.html"
    return render(
        request,
        template,
        {
            "event": event,
            "page": page,
            "q": q,
            "district": district,
            "status": status,
            "districts": _district_choices(event),
            "may_edit": may_edit,
        },
    )


@requires(Cap.MANAGE)
def invite(request, pk):
    event = selectors.event_get(user=request.user, pk=pk, cap=Cap.MANAGE)
    if request.method != "POST":
        return redirect("events:registrants", event.pk)
    what = request.POST.get("what")
    if what == "cooperatives":
        cooperatives = selectors.cooperatives_to_invite(user=request.user, event=event)
        n = services.invite_cooperatives(actor=request.user, event=event, cooperatives=cooperatives)
    elif what == "agencies":
        from kawal.accounts.selectors import agency_list

        per_agency = max(1, min(10, int(request.POST.get("per_agency") or 2)))
        n = services.invite_agencies(
            actor=request.user,
            event=event,
            agencies=agency_list(user=request.user),
            per_agency=per_agency,
        )
    else:
        return redirect("events:registrants", event.pk)
    messages.success(request, _("%(n)s invitations were added.") % {"n": n})
    return redirect("events:registrants", event.pk)


@requires(Cap.MANAGE)
def registrant_add(request, pk):
    event = selectors.event_get(user=request.user, pk=pk, cap=Cap.MANAGE)
    venues = list(selectors.venue_list(event=event))
    form = RegistrantForm(request.POST or None, venues=venues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        venue = selectors.venue_get(event=event, pk=data["venue"]) if data["venue"] else None
        try:
            services.registrant_add(
                actor=request.user,
                event=event,
                kind=data["kind"],
                name=data["name"],
                position=data["position"],
                phone=data["phone"],
                venue=venue,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The participant was registered."))
            return redirect("events:registrants", event.pk)
    return render(request, "events/registrant_form.html", {"form": form, "event": event})


# --- the door -------------------------------------------------------------------------------

DOOR_MESSAGES = {  # lazy: translated when shown, in the language of the request
    "recorded": ("ok", gettext_lazy("Welcome: attendance recorded.")),
    "repeat": ("warn", gettext_lazy("Already checked in: counted once.")),
    "unknown": (
        "bad",
        gettext_lazy("Unknown code: no registrant has it. Check the letters or register."),
    ),
    "malformed": (
        "bad",
        gettext_lazy("Not a valid code: a code has 12 letters and digits (XXXX-XXXX-XXXX)."),
    ),
    "other_event": ("bad", gettext_lazy("This code belongs to another event.")),
    "early": ("warn", gettext_lazy("Check-in has not opened yet.")),
    "late": ("bad", gettext_lazy("The event is over: attendance is no longer recorded.")),
    "full": ("bad", gettext_lazy("This watch point is full: send the participant to another one.")),
}


@requires(Cap.EDIT)
def door(request, pk):
    """The committee's phone page at the door: scan (camera) or type a code."""
    event = selectors.event_get(user=request.user, pk=pk, cap=Cap.EDIT)
    venues = list(selectors.venue_list(event=event))
    venue_pk = request.POST.get("venue") or request.GET.get("tempat")
    venue = selectors.venue_get(event=event, pk=venue_pk) if venue_pk else None
    result = registrant = None
    form = DoorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.checkin_door(
            actor=request.user, event=event, venue=venue, code=form.cleaned_data["code"]
        )
        if result.registrant_id and result.event_id == event.pk:
            registrant = selectors.registrant_get(event=event, pk=result.registrant_id)
        form = DoorForm()
    present = venue and selectors.live_counts(event=event)
    seat = None
    if venue and present:
        seat = next((v for v in present["venues"] if v["venue"].pk == venue.pk), None)
    context = {
        "event": event,
        "venues": venues,
        "venue": venue,
        "form": form,
        "result": result,
        "tone_message": DOOR_MESSAGES.get(result.status) if result else None,
        "registrant": registrant,
        "seat": seat,
        "alternatives": [
            v
            for v in (present["venues"] if present else [])
            if not v["full"] and v["venue"] != venue
        ][:5]
        if result and result.status == "full"
        else [],
    }
    template = "events/door.html#result" if request.htmx else "events/door.html"
    return render(request, template, context)


# --- planner --------------------------------------------------------------------------------


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@requires(Cap.VIEW)
def plan(request, pk):
    event = selectors.event_get(user=request.user, pk=pk)
    scopes = selectors.scope_choices(user=request.user, event=event)
    form = PlanForm(request.GET or None, scopes=scopes)
    data = form.cleaned_data if form.is_valid() else {}
    scope_code = data.get("scope") if data.get("scope") is not None else event.region_id[:5]
    if scope_code not in [c for c, _n in scopes]:
        scope_code = scopes[0][0] if scopes else event.region_id[:5]
    inputs = selectors.plan_inputs(
        user=request.user,
        event=event,
        scope_code=scope_code,
        delegates=data.get("delegates") or event.delegates_per_cooperative,
        agency_delegates=_int(data.get("agency_delegates"), 2),
        officials=data.get("officials"),
        interactive=bool(data.get("interactive")),
    )
    result = planner.plan(inputs)
    _tiers, placeholder = selectors.tiers_for_planner(region_code=event.region_id[:5])
    return render(
        request,
        "events/plan.html",
        {
            "event": event,
            "form": form,
            "plan": result,
            "inputs": inputs,
            "placeholder_tiers": placeholder,
            "may_edit": can(request.user, Cap.MANAGE, event.region_id),
        },
    )


@requires(Cap.MANAGE)
def costs_edit(request, pk):
    event = selectors.event_get(user=request.user, pk=pk, cap=Cap.MANAGE)
    region = event.region_id[:5]
    districts = selectors.transport_rates(region_code=region) if len(region) == 5 else []
    form = UnitCostForm(
        request.POST or None, costs=selectors.unit_costs(region_code=region), districts=districts
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_costs_save(
                actor=request.user,
                region_code=region,
                amounts=form.amounts(),
                transport=form.transport(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The unit costs were saved."))
            return redirect("events:plan", event.pk)
    return render(request, "events/costs_form.html", {"form": form, "event": event})


@requires(Cap.MANAGE)
def tiers_edit(request, pk):
    event = selectors.event_get(user=request.user, pk=pk, cap=Cap.MANAGE)
    region = event.region_id[:5]
    tiers = selectors.platform_tiers(region_code=region)
    form = TierForm(request.POST or None)
    if request.method == "POST":
        delete = request.POST.get("delete")
        if delete:
            tier = next((t for t in tiers if str(t.pk) == delete), None)
            if tier:
                services.platform_tier_delete(actor=request.user, tier=tier)
                messages.success(request, _("The tier was removed."))
            return redirect("events:tiers", event.pk)
        if request.POST.get("defaults") and not tiers:
            for p, t, n, cost, interactive in planner.DEFAULT_TIERS:
                services.platform_tier_save(
                    actor=request.user,
                    region_code=region,
                    platform=p,
                    tier=t,
                    max_participants=n,
                    cost=cost,
                    interactive=interactive,
                )
            return redirect("events:tiers", event.pk)
        if form.is_valid():
            try:
                services.platform_tier_save(
                    actor=request.user, region_code=region, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The tier was saved."))
                return redirect("events:tiers", event.pk)
    return render(request, "events/tiers_form.html", {"form": form, "event": event, "tiers": tiers})


# --- reports --------------------------------------------------------------------------------


@requires(Cap.VIEW)
def report(request, pk):
    event = selectors.event_get(user=request.user, pk=pk)
    counts = selectors.live_counts(event=event)
    names = {d["code"]: d["name"] for d in counts["districts"]}
    by_coop = list(selectors.attendance_by_cooperative(event=event))
    for row in by_coop:
        row["district_name"] = names.get(row["district_code"], "")
    no_shows = paginate(
        request, selectors.registrant_list(event=event, status="tidak_hadir"), per_page=50
    )
    return render(
        request,
        "events/report.html",
        {"event": event, "counts": counts, "by_coop": by_coop, "page": no_shows},
    )


@requires(Cap.VIEW)
def export(request, pk):
    event = selectors.event_get(user=request.user, pk=pk)
    headers = [
        _("Name"),
        _("Position"),
        _("Kind"),
        _("Kecamatan"),
        _("Cooperative / agency"),
        _("Attends at"),
        _("Checked in"),
        _("Method"),
    ]
    return xlsx_response(
        f"kehadiran-{event.pk}.xlsx", headers, selectors.export_rows(event=event), _("Attendance")
    )


# --- public: personal link, ticket, certificate, self-registration -----------------------------


def _message(request, status: int, title: str, text: str, registrant=None, event=None):
    response = render(
        request,
        "events/public_message.html",
        {"title": title, "text": text, "registrant": registrant, "event": event},
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@public
def personal_link(request, code):
    """Hot path: one indexed lookup, one insert; no session write. Unknown codes are counted per
    address and a flood of them is refused before touching the database."""
    if throttle.exceeded(request, "bad_code"):
        return _message(
            request,
            429,
            _("Too many attempts"),
            _("Too many unknown codes from this address. Wait ten minutes."),
        )
    result = services.checkin_link(code=code)
    if result.counted:
        response = HttpResponseRedirect(result.video_url)
        response["Cache-Control"] = "private, no-store"
        return response
    if result.status == "ticket":
        return redirect("events_public:ticket", code=services.normalize_code(code))
    if result.status in ("unknown", "malformed"):
        throttle.hit(request, "bad_code")
        return _message(
            request,
            404,
            _("Link not recognised"),
            _(
                "This link or code is not registered. Check that it was copied whole, or ask the committee."
            ),
        )
    event = selectors.event_brief(pk=result.event_id)
    if result.status == "early":
        from kawal.core.formats import tanggal_waktu

        return _message(
            request,
            200,
            _("Not open yet"),
            _("Joining opens at %(when)s. Open this link again then.")
            % {"when": tanggal_waktu(result.opens_at, event.announced_zone)},
            event=event,
        )
    return _message(
        request,
        410,
        _("The event is over"),
        _("This event ended; attendance is no longer recorded."),
        event=event,
    )


@public
def ticket(request, code):
    registrant = selectors.registrant_by_code(code)
    link = _personal_link(request, registrant)
    response = render(
        request,
        "events/ticket.html",
        {
            "registrant": registrant,
            "event": registrant.event,
            "when": documents.event_when(registrant.event),
            "qr": documents.qr_svg(link),
            "link": link,
            "code_display": services.format_code(registrant.code),
            "attended": hasattr(registrant, "attendance"),
        },
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@public
def ticket_pdf(request, code):
    registrant = selectors.registrant_by_code(code)
    pdf = documents.ticket_pdf(registrant, _personal_link(request, registrant))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tiket-{registrant.code}.pdf"'
    return response


@public
def certificate_pdf(request, code):
    registrant = selectors.registrant_by_code(code)
    if not hasattr(registrant, "attendance"):
        return _message(
            request,
            404,
            _("No certificate yet"),
            _("A certificate is issued once attendance has been recorded."),
            registrant=registrant,
        )
    response = HttpResponse(documents.certificate_pdf(registrant), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sertifikat-{registrant.code}.pdf"'
    return response


@public
def register(request, event_code):
    event = selectors.event_by_public_code(event_code)
    if not event.self_registration:
        return _message(
            request,
            404,
            _("Registration closed"),
            _("Registration for this event is closed."),
            event=event,
        )
    venues = list(selectors.venue_list(event=event))
    cooperatives = selectors.cooperative_choices(event=event)
    form = SelfRegistrationForm(
        request.POST or None,
        cooperatives=cooperatives,
        venues=venues,
        online=event.format != Event.Format.OFFLINE,
    )
    if request.method == "POST":
        if throttle.exceeded(request, "register"):
            return _message(
                request,
                429,
                _("Too many registrations"),
                _(
                    "Too many registrations from this address. Wait ten minutes, or ask the committee."
                ),
                event=event,
            )
        throttle.hit(request, "register")
        if form.is_valid() and not form.cleaned_data.get("website"):
            data = form.cleaned_data
            venue = (
                selectors.venue_get(event=event, pk=data["venue"]) if data.get("venue") else None
            )
            cooperative = (
                selectors.cooperative_of_event(event=event, pk=data["cooperative"])
                if data.get("cooperative")
                else None
            )
            try:
                registrant = services.self_register(
                    event=event,
                    name=data["name"],
                    phone=data["phone"],
                    position=data["position"],
                    cooperative=cooperative,
                    venue=venue,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("events_public:ticket", code=registrant.code)
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "when": documents.event_when(event)},
    )
