from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.core.forms import DateInput, VersionedFormMixin
from kawal.core.formtokens import OnceFormMixin
from kawal.mentoring import rules
from kawal.mentoring.models import Consultation, Mentor, MonthlyReport, Visit
from kawal.regions.forms import RegionCodeField


def _coop_label(coop) -> str:
    return f"{coop.name} ({coop.village_id})"


class CooperativeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _coop_label(obj)


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user} · {obj.get_kind_display()}"


class MentorForm(VersionedFormMixin, forms.Form):
    """Creating (no version) or editing a mentor (the version read with the page)."""

    user = forms.ModelChoiceField(label=_("User"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=Mentor.Kind.choices)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    region_code = RegionCodeField(
        label=_("Work area (region code)"),
        help_text=_("e.g. 64.02 for the whole regency or 64.02.06 for one kecamatan."),
    )
    contract_start = forms.DateField(label=_("Contract start"), required=False, widget=DateInput())
    contract_end = forms.DateField(label=_("Contract end"), required=False, widget=DateInput())
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, users, fixed_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        if fixed_user is not None:
            self.fields["user"].disabled = True
            self.fields["user"].initial = fixed_user.pk


class AssignmentForm(forms.Form):
    mentor = MentorChoiceField(label=_("Mentor"), queryset=None)
    cooperative = CooperativeChoiceField(label=_("Cooperative"), queryset=None)
    started_on = forms.DateField(label=_("Start"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, mentors, cooperatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["cooperative"].queryset = cooperatives


class AssignmentEndForm(forms.Form):
    ended_on = forms.DateField(label=_("End"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class ChecklistItemForm(forms.Form):
    label = forms.CharField(label=_("Item"), max_length=200)
    region_code = RegionCodeField()
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=10)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class VisitForm(OnceFormMixin, forms.Form):
    cooperative = CooperativeChoiceField(label=_("Cooperative"), queryset=None)
    visit_date = forms.DateField(
        label=_("Visit date"), widget=DateInput(), initial=timezone.localdate
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG or PNG, at most %(n)d photos.") % {"n": rules.MAX_PHOTOS},
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    gps_accuracy_m = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, cooperatives, checklist=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = cooperatives
        self.checklist_names = []
        for item in checklist:
            name = f"check_{item.pk}"
            self.fields[name] = forms.ChoiceField(
                label=item.label,
                choices=[("", "—"), *Visit.Answer.choices],
                required=False,
            )
            self.checklist_names.append(name)

    @property
    def checklist_fields(self):
        return [self[name] for name in self.checklist_names]

    @property
    def main_fields(self):
        return [self[n] for n in ("cooperative", "visit_date", "purpose")]

    def checklist_answers(self) -> dict:
        return {
            int(name.removeprefix("check_")): self.cleaned_data[name]
            for name in self.checklist_names
            if self.cleaned_data.get(name)
        }


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, agencies=None, default_agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies
        self.fields["owner_agency"].initial = default_agency


class BaseRecommendationFormSet(forms.BaseFormSet):
    def cleaned_recommendations(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data and f.has_changed()]


RecommendationFormSet = forms.formset_factory(
    RecommendationForm, formset=BaseRecommendationFormSet, extra=2, max_num=10
)


class ResponseForm(VersionedFormMixin, forms.Form):
    response = forms.CharField(
        label=_("Board's response"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version_required = True


class FollowUpMixin(forms.Form):
    """An optional follow-up (tindak lanjut) attached to a consultation."""

    followup_title = forms.CharField(label=_("Follow-up"), max_length=200, required=False)
    followup_agency = forms.ModelChoiceField(
        label=_("Follow-up owner"), queryset=None, required=False
    )
    followup_due = forms.DateField(
        label=_("Follow-up due date"), required=False, widget=DateInput()
    )

    def clean(self):
        data = super().clean()
        if data.get("followup_title"):
            if not data.get("followup_agency"):
                self.add_error("followup_agency", _("Choose who owns the follow-up."))
            if not data.get("followup_due"):
                self.add_error("followup_due", _("Give the follow-up a due date."))
            elif data["followup_due"] < timezone.localdate():
                self.add_error("followup_due", _("The due date is in the past."))
        return data

    def followup(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("followup_title"):
            return None
        return {
            "title": data["followup_title"],
            "owner_agency": data["followup_agency"],
            "due_date": data["followup_due"],
        }


class ConsultationForm(OnceFormMixin, FollowUpMixin):
    cooperative = CooperativeChoiceField(label=_("Cooperative"), queryset=None)
    visitor_name = forms.CharField(label=_("Visitor's name"), max_length=120)
    visitor_role = forms.ChoiceField(
        label=_("Visitor's role"), choices=Consultation.VisitorRole.choices
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Consultation.Topic.choices)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    advice = forms.CharField(
        label=_("Advice given"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty to put the visitor in today's queue."),
    )
    referral_agency = forms.ModelChoiceField(
        label=_("Referred to (agency)"), queryset=None, required=False
    )

    field_order = [
        "cooperative",
        "visitor_name",
        "visitor_role",
        "topic",
        "question",
        "advice",
        "referral_agency",
    ]

    def __init__(self, *args, cooperatives, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = cooperatives
        self.fields["referral_agency"].queryset = agencies
        self.fields["followup_agency"].queryset = agencies


class ServeForm(FollowUpMixin):
    advice = forms.CharField(label=_("Advice given"), widget=forms.Textarea(attrs={"rows": 4}))
    referral_agency = forms.ModelChoiceField(
        label=_("Referred to (agency)"), queryset=None, required=False
    )
    field_order = ["advice", "referral_agency"]

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral_agency"].queryset = agencies
        self.fields["followup_agency"].queryset = agencies


class ReportForm(VersionedFormMixin, forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    activities = forms.CharField(label=_("Activities"), widget=forms.Textarea(attrs={"rows": 5}))
    cooperatives = forms.ModelMultipleChoiceField(
        label=_("Cooperatives reached"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    issues = forms.CharField(
        label=_("Issues"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = forms.FileField(
        label=_("Attached file"), required=False, help_text=_("PDF, JPEG or PNG.")
    )

    def __init__(self, *args, cooperatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperatives"].queryset = cooperatives
        self.fields["cooperatives"].label_from_instance = _coop_label


class ReviewForm(VersionedFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return to the mentor"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for returning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version_required = True


REPORT_STATUS_CHOICES = [("", _("all")), *MonthlyReport.Status.choices]
