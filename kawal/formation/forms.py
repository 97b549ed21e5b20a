from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.core.forms import DateInput, VersionedFormMixin
from kawal.formation.models import Notary, StepRecord
from kawal.formation.services import NOTARY_FIELDS


class StepForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=StepRecord.Status.choices, widget=forms.RadioSelect
    )
    started_on = forms.DateField(label=_("Started on"), required=False, widget=DateInput())
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DateInput())
    document_number = forms.CharField(label=_("Number"), required=False, max_length=120)
    notary = forms.ModelChoiceField(
        label=_("NPAK notary"), queryset=Notary.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("Document proving the completion (PDF, JPG or PNG, at most 10 MB)"),
        required=False,
        help_text=_(
            "When you mark the step done, the Dinas verifies this document and then completes "
            "the step."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, step, notaries, submits: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not submits:  # the Dinas and the camat complete a step directly
            del self.fields["file"]
        if step.number:
            self.fields["document_number"].label = step.number
            self.fields["document_number"].help_text = _("Required when the step is done.")
        else:
            del self.fields["document_number"]
        if step.needs_notary:
            self.fields["notary"].queryset = notaries
        else:
            del self.fields["notary"]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"))
    other = forms.CharField(label=_("Other document (name)"), required=False, max_length=60)
    file = forms.FileField(
        label=_("File (PDF, JPG or PNG, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(d), str(d)) for d in step.documents]
        self.fields["kind"].choices = choices + [("lainnya", _("other"))]

    def clean(self):
        data = super().clean()
        if data.get("kind") == "lainnya":
            if not (data.get("other") or "").strip():
                self.add_error("other", _("Name the document."))
            else:
                data["kind"] = data["other"].strip()
        return data


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("terima", _("verified")), ("tolak", _("rejected"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason for rejection"), required=False, max_length=500)


class TargetForm(forms.Form):
    scheme = forms.CharField(widget=forms.HiddenInput)
    step = forms.CharField(widget=forms.HiddenInput)
    due_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())


class NotaryForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Notary
        fields = NOTARY_FIELDS
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}
