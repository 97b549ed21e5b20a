import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.core.codes import is_valid_code
from kawal.core.formats import ZONES
from kawal.events.models import Event, Registrant, Venue
from kawal.events.planner import UNIT_COSTS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices)
    region_code = forms.CharField(
        label=_("Region code"),
        max_length=13,
        help_text=_("Kemendagri code of the organising region, e.g. 64.02."),
    )
    announced_zone = forms.ChoiceField(
        label=_("Time zone of the times below"), choices=Event.Zone.choices, initial="WITA"
    )
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeInput())
    checkin_opens_minutes = forms.IntegerField(
        label=_("Check-in opens (minutes before the start)"),
        initial=120,
        min_value=0,
        max_value=24 * 60,
    )
    organiser = forms.CharField(label=_("Organiser"), max_length=200)
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("Never shown: participants reach it through their personal link."),
    )
    budget_ref = forms.CharField(
        label=_("Budget line"),
        max_length=200,
        required=False,
        help_text=_("Account code or name of the budget line that pays for it."),
    )
    delegates_per_cooperative = forms.IntegerField(
        label=_("Delegates per cooperative"), initial=3, min_value=1, max_value=20
    )
    self_registration = forms.BooleanField(label=_("Open public self-registration"), required=False)

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        if not is_valid_code(code):
            raise forms.ValidationError(_("Malformed region code."))
        return code

    def clean(self):
        data = super().clean()
        zone = ZoneInfo(ZONES[data.get("announced_zone") or "WITA"])
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if isinstance(value, datetime.datetime):
                wall = timezone.localtime(value).replace(tzinfo=None)
                data[name] = wall.replace(tzinfo=zone)
        return data

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        zone = ZoneInfo(ZONES[event.announced_zone])
        return {
            "title": event.title,
            "kind": event.kind,
            "format": event.format,
            "region_code": event.region_id,
            "announced_zone": event.announced_zone,
            "starts_at": event.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_at": event.ends_at.astimezone(zone).replace(tzinfo=None),
            "checkin_opens_minutes": event.checkin_opens_minutes,
            "organiser": event.organiser,
            "video_url": event.video_url,
            "budget_ref": event.budget_ref,
            "delegates_per_cooperative": event.delegates_per_cooperative,
            "self_registration": event.self_registration,
        }

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["region_id"] = data.pop("region_code")
        return data


class VenueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Venue.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    district_code = forms.ChoiceField(label=_("Kecamatan"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Capacity (seats)"), min_value=1, max_value=1_000_000)

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district_code"].choices = [("", "—")] + list(districts)


class RegistrantForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, v) for k, v in Registrant.Kind.choices if k != Registrant.Kind.PUBLIC],
        initial=Registrant.Kind.OFFICIAL,
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    venue = forms.ChoiceField(label=_("Attends at"), required=False)

    def __init__(self, *args, venues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].choices = [("", _("by video"))] + [(v.pk, v.name) for v in venues]


class InviteForm(forms.Form):
    what = forms.ChoiceField(
        choices=[("cooperatives", _("cooperatives")), ("agencies", _("agencies"))]
    )
    per_agency = forms.IntegerField(
        label=_("Delegates per agency"), initial=2, min_value=1, max_value=10, required=False
    )


class SelfRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=120, min_length=3)
    phone = forms.CharField(
        label=_("Mobile number (WhatsApp)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    cooperative = forms.ChoiceField(label=_("Cooperative"), required=False)
    venue = forms.ChoiceField(label=_("I will attend at"), required=False)
    # A field people do not see: bots fill it in, and their registration is dropped.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, cooperatives=(), venues=(), online=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].choices = [("", _("— not a cooperative delegate —"))] + list(
            cooperatives
        )
        venue_choices = [(v.pk, v.name) for v in venues]
        if online:
            venue_choices = [("", _("by video (online)"))] + venue_choices
        self.fields["venue"].choices = venue_choices
        if not venue_choices:
            del self.fields["venue"]


class DoorForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=300)


class PlanForm(forms.Form):
    scope = forms.ChoiceField(label=_("Scope"), required=False)
    delegates = forms.IntegerField(
        label=_("Delegates per cooperative"), min_value=1, max_value=20, required=False
    )
    agency_delegates = forms.IntegerField(
        label=_("Delegates per agency"), min_value=0, max_value=20, initial=2, required=False
    )
    officials = forms.IntegerField(
        label=_("Officials"),
        min_value=0,
        max_value=100_000,
        required=False,
        help_text=_("Empty: ten leaders plus one camat per kecamatan."),
    )
    interactive = forms.BooleanField(label=_("Participants must be able to speak"), required=False)

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = list(scopes)


class UnitCostForm(forms.Form):
    def __init__(self, *args, costs: dict, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in UNIT_COSTS.items():
            self.fields[f"cost_{key}"] = forms.IntegerField(
                label=label, min_value=0, max_value=10**12, initial=costs.get(key)
            )
        self.district_fields = []
        for code, name, amount in districts:
            name_ = f"transport_{code}"
            self.fields[name_] = forms.IntegerField(
                label=_("Transport from %(name)s (per person)") % {"name": name},
                min_value=0,
                max_value=10**10,
                required=False,
                initial=amount,
            )
            self.district_fields.append(name_)

    def amounts(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"cost_{key}"] for key in UNIT_COSTS}

    def transport(self) -> dict[str, int]:
        return {
            name.removeprefix("transport_"): self.cleaned_data[name]
            for name in self.district_fields
            if self.cleaned_data.get(name) is not None
        }


class TierForm(forms.Form):
    platform = forms.CharField(label=_("Platform"), max_length=80)
    tier = forms.CharField(label=_("Tier"), max_length=80)
    max_participants = forms.IntegerField(
        label=_("Maximum participants"), min_value=1, max_value=100_000_000
    )
    cost = forms.IntegerField(label=_("Cost per event (Rp)"), min_value=0, max_value=10**12)
    interactive = forms.BooleanField(label=_("Participants can speak"), required=False)
