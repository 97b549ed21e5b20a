from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.core.forms import DateInput
from kawal.operations.models import (
    Builder,
    LandStatus,
    Loan,
    MustAct,
    Partner,
    Partnership,
    Stage,
)

RUPIAH = forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"})


def _rupiah_field(label, required=True):
    # No min_value here: the service gives the one clear message for zero or negative amounts.
    return forms.IntegerField(label=label, required=required, widget=RUPIAH)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=())
    happened_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    progress_pct = forms.IntegerField(label=_("Construction progress (%)"), required=False)
    land_area_m2 = forms.IntegerField(label=_("Land area (m²)"), required=False)
    land_status = forms.ChoiceField(
        label=_("Land status"), choices=[("", "—"), *LandStatus.choices], required=False
    )
    builder = forms.ChoiceField(
        label=_("Builder"), choices=[("", "—"), *Builder.choices], required=False
    )
    builder_name = forms.CharField(label=_("Builder name"), max_length=120, required=False)
    opening_days = forms.CharField(label=_("Opening days"), max_length=60, required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=40, required=False)
    staff_count = forms.IntegerField(label=_("Staff"), required=False, min_value=0)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, stages, has_builder: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s, Stage(s).label) for s in stages]
        # Only the fields the possible next stages need, so the phone form stays short.
        wanted = {
            Stage.LAND: ("land_area_m2", "land_status"),
            Stage.BUILDING: ("progress_pct",)
            + (() if has_builder else ("builder", "builder_name")),
            Stage.OPEN: ("opening_days", "opening_hours", "staff_count"),
        }
        keep = {name for stage in stages for name in wanted.get(stage, ())}
        for name in (
            "land_area_m2",
            "land_status",
            "builder",
            "builder_name",
            "progress_pct",
            "opening_days",
            "opening_hours",
            "staff_count",
        ):
            if name not in keep:
                del self.fields[name]


class CorrectionForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Partner.Kind.choices)
    contact = forms.CharField(label=_("Contact person / office"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PartnershipForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None)
    covers = forms.CharField(
        label=_("What it covers"),
        max_length=120,
        help_text=_("Commodity or service, e.g. rice, LPG 3 kg, subsidised fertiliser."),
    )
    outlet = forms.ModelChoiceField(label=_("Outlet"), queryset=None, required=False)
    started_on = forms.DateField(
        label=_("Started on"), widget=DateInput(), initial=timezone.localdate
    )
    must_act = forms.ChoiceField(
        label=_("Who must act"), choices=[("", "—"), *MustAct.choices], required=False
    )
    blocked_reason = forms.CharField(label=_("What blocks it"), max_length=300, required=False)

    def __init__(self, *args, partners, outlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["outlet"].queryset = outlets


class PartnershipStepForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Partnership.Stage.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    document = forms.FileField(label=_("Document (PDF or photo)"), required=False)
    must_act = forms.ChoiceField(
        label=_("Who must act next"), choices=[("", "—"), *MustAct.choices], required=False
    )
    blocked_reason = forms.CharField(label=_("What blocks it"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LoanForm(forms.Form):
    bank = forms.ModelChoiceField(label=_("Bank"), queryset=None)
    amount_requested = _rupiah_field(_("Amount requested (Rp)"))
    interest_pct = forms.DecimalField(
        label=_("Interest per year (%)"), max_digits=5, decimal_places=2, initial=6
    )
    term_months = forms.IntegerField(label=_("Term (months)"), initial=36, min_value=1)
    outlet = forms.ModelChoiceField(label=_("For outlet"), queryset=None, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    business_plan = forms.FileField(label=_("Business plan (PDF)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, banks, outlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = banks
        self.fields["outlet"].queryset = outlets


class ApprovalForm(forms.Form):
    approver_name = forms.CharField(label=_("Approver's name"), max_length=120)
    approved_on = forms.DateField(label=_("Approval date"), widget=DateInput())
    document = forms.FileField(label=_("Approval document"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LoanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    amount_approved = _rupiah_field(_("Amount approved (Rp)"), required=False)
    reason = forms.CharField(label=_("Reason (when rejected)"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Loan.Status(s).label) for s in moves]


class MoneyForm(forms.Form):
    amount = _rupiah_field(_("Amount (Rp)"))
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    owner_agency = forms.ModelChoiceField(label=_("Owner agency"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies
