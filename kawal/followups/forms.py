from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.accounts.models import User
from kawal.core.forms import DateInput, VersionedFormMixin
from kawal.followups.models import FollowUp
from kawal.followups.services import EDIT_ONLY_TARGETS, TRANSITIONS
from kawal.regions.forms import RegionCodeField

Status = FollowUp.Status


class FollowUpForm(VersionedFormMixin, forms.Form):
    title = forms.CharField(label=_("What must be done"), max_length=200)
    description = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner_agency = forms.ModelChoiceField(
        label=_("Owner agency"),
        queryset=None,
        error_messages={"required": _("Choose the agency that owns this follow-up.")},
    )
    owner_user = forms.ModelChoiceField(
        label=_("Owner person (optional)"), queryset=None, required=False
    )
    due_date = forms.DateField(
        label=_("Due date"),
        widget=DateInput(),
        error_messages={"required": _("Set a due date.")},
    )
    region_code = RegionCodeField(
        help_text=_("Kemendagri code of the region it concerns, e.g. 64.02 or 64.02.06."),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies
        self.fields["owner_user"].queryset = (
            User.objects.filter(agency__in=agencies, is_active=True)
            .select_related("agency")
            .order_by("agency__short_name", "first_name")
        )
        self.fields["owner_user"].label_from_instance = lambda u: f"{u} ({u.agency})"

    def clean(self):
        data = super().clean()
        person, agency = data.get("owner_user"), data.get("owner_agency")
        if person and agency and person.agency_id != agency.pk:
            self.add_error("owner_user", _("This person does not work for the owner agency."))
        return data


class ReportForm(VersionedFormMixin, forms.Form):
    """Progress on a follow-up: new status, comment, and evidence (file and/or note)."""

    status = forms.ChoiceField(label=_("New status"), required=False)
    comment = forms.CharField(
        label=_("Comment on the status change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    file = forms.FileField(
        label=_("Evidence file (PDF, JPG, PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    evidence_note = forms.CharField(
        label=_("Evidence note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the number of the letter sent, or what was delivered where."),
    )

    def __init__(self, *args, followup: FollowUp, may_edit_all: bool, **kwargs):
        super().__init__(*args, **kwargs)
        targets = [
            s
            for s in Status
            if s in TRANSITIONS[followup.status]
            and (may_edit_all or (s not in EDIT_ONLY_TARGETS and followup.is_open))
        ]
        self.fields["status"].choices = [("", _("— keep the status —"))] + [
            (s.value, s.label) for s in targets
        ]
