from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.budget.forms import RupiahField
from kawal.followups.forms import DateInput
from kawal.training.models import STANDARD_MODULES, Batch, Module, Programme, TargetGroup


class ProgrammeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    modules = forms.MultipleChoiceField(
        label=_("Modules"),
        choices=Module.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[m.value for m in STANDARD_MODULES],
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target group"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple
    )
    method = forms.ChoiceField(label=_("Method"), choices=Programme.Method.choices)
    budget_line = forms.ModelChoiceField(
        label=_("Funding line"),
        queryset=None,
        required=False,
        empty_label=_("— not funded yet —"),
    )
    cost_per_participant = RupiahField(
        label=_("Cost per participant (Rp)"), allow_zero=True, required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = lines

    def clean_cost_per_participant(self):
        return self.cleaned_data.get("cost_per_participant") or 0


class BatchForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = forms.IntegerField(label=_("Batch number"), min_value=1, max_value=999)
    start_date = forms.DateField(label=_("First day"), widget=DateInput)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput)
    venue = forms.CharField(label=_("Venue"), max_length=200)
    venue_region = forms.ChoiceField(label=_("Venue's kecamatan"), required=False)
    districts = forms.MultipleChoiceField(
        label=_("Kecamatan served"), widget=forms.CheckboxSelectMultiple
    )
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=5000)
    trainers = forms.CharField(
        label=_("Trainers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line."),
    )

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].choices = list(districts)
        self.fields["venue_region"].choices = [("", "—"), *districts]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return data


class InviteForm(forms.Form):
    officers = forms.TypedMultipleChoiceField(
        label=_("Officers"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].choices = list(choices)


class ResultForm(forms.Form):
    completed = forms.BooleanField(label=_("Completed"), required=False)
    pre_score = forms.IntegerField(
        label=_("Pre-test score"), min_value=0, max_value=100, required=False
    )
    post_score = forms.IntegerField(
        label=_("Post-test score"), min_value=0, max_value=100, required=False
    )


class CancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=500)


def today():
    return timezone.localdate()


__all__ = ["Batch", "BatchForm", "CancelForm", "InviteForm", "ProgrammeForm", "ResultForm"]
