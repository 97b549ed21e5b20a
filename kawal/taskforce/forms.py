import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.accounts.models import Agency, User
from kawal.core.forms import DateInput, VersionedFormMixin
from kawal.regions.forms import RegionCodeField
from kawal.taskforce.models import DecreeMember, Invitee, Letterhead


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _region_field():
    return RegionCodeField(
        help_text=_("Kemendagri code, e.g. 64.02 for the regency or 64.02.06 for a kecamatan."),
    )


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = [
            "government",
            "office",
            "address",
            "contact",
            "city",
            "signer_title",
            "signer_name",
            "signer_nip",
        ]


class AgencyForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Short, lower case, no spaces: e.g. dishub.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=Agency.Kind.choices)
    region_code = _region_field()
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class DecreeForm(forms.Form):
    number = forms.CharField(label=_("Decree number"), max_length=100)
    title = forms.CharField(label=_("About"), max_length=300)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    signed_by = forms.CharField(
        label=_("Signed by"), max_length=120, initial="Bupati Kutai Kartanegara"
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput(), required=False)
    file = forms.FileField(label=_("Signed file (PDF)"), required=False)
    region_code = _region_field()
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DecreeAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None)
    duties = forms.CharField(
        label=_("Duties in the Satgas"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    is_leading_sector = forms.BooleanField(label=_("Leading sector"), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class DecreeMemberForm(forms.Form):
    position = forms.ChoiceField(label=_("Satgas position"), choices=DecreeMember.Position.choices)
    office_title = forms.CharField(label=_("Office held"), max_length=160)
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        initial="Rapat Koordinasi Satgas KMP Kabupaten Kutai Kartanegara",
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), initial=120, min_value=15, max_value=720
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One item per line. Open and overdue follow-ups are added automatically."),
    )
    letter_number = forms.CharField(
        label=_("Invitation letter number"), max_length=100, required=False
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Invited agencies"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    repeat = forms.IntegerField(
        label=_("Number of meetings"),
        initial=1,
        min_value=1,
        max_value=52,
        help_text=_("More than 1 schedules a series."),
    )
    interval_days = forms.IntegerField(
        label=_("Every (days)"), initial=14, min_value=1, max_value=366
    )
    region_code = _region_field()

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies


class MeetingEditForm(VersionedFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=720
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    letter_number = forms.CharField(
        label=_("Invitation letter number"), max_length=100, required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("video_link"):
            raise forms.ValidationError(_("Give a place or a video link."))
        return data


class InviteForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False)
    user = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["user"].queryset = (
            User.objects.filter(agency__in=agencies, is_active=True)
            .select_related("agency")
            .order_by("first_name")
        )

    def clean(self):
        data = super().clean()
        if not data.get("agency") and not data.get("user"):
            raise forms.ValidationError(_("Choose an agency or a person to invite."))
        return data


class MinutesForm(VersionedFormMixin, forms.Form):
    chair = forms.CharField(label=_("Chaired by"), max_length=160, required=False)
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the minutes.")},
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the decision.")},
    )


class ActionForm(forms.Form):
    """One follow-up of a decision; a row left fully blank is ignored."""

    title = forms.CharField(
        label=_("Follow-up (default: the decision)"), max_length=200, required=False
    )
    owner_agency = forms.ModelChoiceField(label=_("Owner agency"), queryset=None, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput(), required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(k) for k in ("title", "owner_agency", "due_date"))


ActionFormSet = forms.formset_factory(ActionForm, extra=2, max_num=10)


class PeriodForm(forms.Form):
    dari = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    sampai = forms.DateField(label=_("To"), widget=DateInput(), required=False)

    def period(self, default: tuple[datetime.date, datetime.date]):
        if not self.is_valid():
            return default
        start = self.cleaned_data.get("dari") or default[0]
        end = self.cleaned_data.get("sampai") or default[1]
        return (start, end) if start <= end else (end, start)


def attendance_choices():
    return [("", _("— not recorded —"))] + list(Invitee.Attendance.choices)


def local_now_rounded() -> datetime.datetime:
    now = timezone.localtime()
    return now.replace(minute=0, second=0, microsecond=0)
