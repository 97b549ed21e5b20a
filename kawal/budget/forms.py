import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.budget.models import BudgetLine, Purpose, Source
from kawal.followups.forms import DateInput

_RUPIAH = re.compile(r"^\d{1,3}(\.\d{3})+$|^\d+$")


class RupiahField(forms.CharField):
    """Whole Rupiah typed as the office writes them: 1250000, 1.250.000 or Rp1.250.000.

    The value is an int; decimals (a comma) and negative amounts are refused with a message.
    """

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": 30})

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        text = re.sub(r"^rp\.?\s*", "", text, flags=re.IGNORECASE).replace(" ", "")
        if text.startswith("-"):
            raise forms.ValidationError(_("The amount cannot be negative."), code="negative")
        if "," in text:
            raise forms.ValidationError(
                _("Enter the amount in whole Rupiah, without decimals."), code="not_integer"
            )
        if not _RUPIAH.match(text):
            raise forms.ValidationError(
                _("Enter an amount in Rupiah, e.g. 1.250.000."), code="invalid"
            )
        amount = int(text.replace(".", ""))
        if amount == 0 and not self.allow_zero:
            raise forms.ValidationError(_("The amount must be more than zero."), code="zero")
        return amount


class LineForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=2020, max_value=2100)
    program = forms.CharField(label=_("Program"), max_length=200)
    kegiatan = forms.CharField(label=_("Activity (kegiatan)"), max_length=200)
    sub_kegiatan = forms.CharField(label=_("Sub-activity (sub kegiatan)"), max_length=200)
    account_code = forms.CharField(
        label=_("Account code"), max_length=40, help_text=_("e.g. 5.1.02.01.01.0026")
    )
    description = forms.CharField(label=_("Description"), max_length=200)
    purpose = forms.ChoiceField(label=_("Used for"), choices=Purpose.choices)
    source = forms.ChoiceField(label=_("Source of funds"), choices=Source.choices)
    ceiling = RupiahField(label=_("Ceiling (Rp)"), allow_zero=True)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (BudgetLine.Status.USULAN, BudgetLine.Status.USULAN.label),
            (BudgetLine.Status.MENUNGGU, BudgetLine.Status.MENUNGGU.label),
            (BudgetLine.Status.DISETUJUI, BudgetLine.Status.DISETUJUI.label),
        ],
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("New status"), choices=BudgetLine.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RefocusingForm(forms.Form):
    from_line = forms.ModelChoiceField(
        label=_("Money leaves"),
        queryset=BudgetLine.objects.none(),
        required=False,
        empty_label=_("— outside these lines (an addition) —"),
    )
    to_line = forms.ModelChoiceField(
        label=_("Money goes to"),
        queryset=BudgetLine.objects.none(),
        required=False,
        empty_label=_("— outside these lines (a cut) —"),
    )
    amount = RupiahField(label=_("Amount (Rp)"))
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    decree_reference = forms.CharField(
        label=_("Decree reference"), max_length=120, help_text=_("Number of the decree or letter")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lines is not None:
            self.fields["from_line"].queryset = lines
            self.fields["to_line"].queryset = lines


class CommitmentForm(forms.Form):
    amount = RupiahField(label=_("Amount (Rp)"))
    description = forms.CharField(label=_("For what"), max_length=200)
    committed_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)


class SpendForm(forms.Form):
    commitment = forms.TypedChoiceField(label=_("Commitment"), coerce=int, choices=())
    amount = RupiahField(label=_("Amount paid (Rp)"))
    spent_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    document_reference = forms.CharField(
        label=_("Payment document (SP2D)"), max_length=120, required=False
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args, commitments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = [(c.pk, c.description) for c in commitments]
