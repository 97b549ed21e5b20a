from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kawal.business import rules
from kawal.business.services import FIGURES
from kawal.core.forms import DateInput


class WholeNumberField(forms.IntegerField):
    """Whole Rupiah or counts, typed as on paper: "1.250.000", "Rp 1.250.000" or "1250000"."""

    def __init__(self, *, signed: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        if not signed:
            kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip().replace("Rp", "").replace(" ", "").replace(".", "")
            if "," in text:
                raise ValidationError(_("Enter whole Rupiah, without decimals."))
            value = text
        return super().to_python(value)


FIGURE_LABELS = {
    "members_joined": _("Members joined this month"),
    "members_left": _("Members left this month"),
    "members_total": _("Total members at month end"),
    "households": _("Households (KK) in the village"),
    "savings_pokok": _("Simpanan pokok collected (Rp)"),
    "savings_wajib": _("Simpanan wajib collected (Rp)"),
    "savings_sukarela": _("Simpanan sukarela collected (Rp)"),
    "total_assets": _("Total assets (Rp)"),
    "liabilities": _("Liabilities (Rp)"),
    "loan_balance": _("Loans outstanding to members (Rp)"),
    "loan_arrears": _("Loans in arrears (Rp)"),
}
LINE_LABELS = {
    "revenue": _("Revenue (omzet, Rp)"),
    "cogs": _("Cost of goods (HPP, Rp)"),
    "operating_cost": _("Operating cost (Rp)"),
    "profit": _("Profit or loss (Rp; empty = revenue minus costs)"),
    "transactions": _("Number of transactions"),
    "stock_value": _("Stock value at month end (Rp)"),
}


class ReportForm(forms.Form):
    """The month's report on a phone: the cooperative's figures, then one block per open
    outlet. Field names of outlet blocks: o<outlet id>-<field>."""

    month = forms.ChoiceField(label=_("Month"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, outlets, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.outlets = outlets
        self.fields["month"].choices = [(f"{m:%Y-%m}", rules.month_label(m)) for m in months]
        for f in FIGURES:
            self.fields[f] = WholeNumberField(label=FIGURE_LABELS[f])
        for outlet in outlets:
            for f, label in LINE_LABELS.items():
                self.fields[f"o{outlet.pk}-{f}"] = WholeNumberField(
                    label=label, signed=f == "profit"
                )

    def kmp_fields(self):
        return [self[f] for f in FIGURES]

    def outlet_blocks(self):
        return [(o, [self[f"o{o.pk}-{f}"] for f in LINE_LABELS]) for o in self.outlets]

    def clean_month(self):
        month = rules.parse_month(self.cleaned_data["month"])
        if month is None:
            raise ValidationError(_("Choose the month."))
        return month

    def figures(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in FIGURES}

    def lines(self) -> list[dict]:
        out = []
        for outlet in self.outlets:
            values = {f: self.cleaned_data.get(f"o{outlet.pk}-{f}") for f in LINE_LABELS}
            if all(v is None for v in values.values()):
                continue
            out.append({"outlet_id": outlet.pk, "label": str(outlet), **values})
        return out

    @staticmethod
    def initial_from(report, lines) -> dict:
        data = {"month": f"{report.month:%Y-%m}", "version": report.version}
        data.update({f: getattr(report, f) for f in FIGURES})
        for line in lines:
            for f in LINE_LABELS:
                data[f"o{line.outlet_id}-{f}"] = getattr(line, f)
        return data


class CheckForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (when rejecting)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RatForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: six months after the fiscal year ends, as the law says."),
    )
    scheduled_on = forms.DateField(label=_("Planned date"), required=False, widget=DateInput())
    held_on = forms.DateField(label=_("Date held"), required=False, widget=DateInput())
    members_total = WholeNumberField(label=_("Members on the meeting day"))
    members_present = WholeNumberField(label=_("Members present"))
    minutes = forms.FileField(label=_("Minutes (PDF)"), required=False)
    statement_approved = forms.BooleanField(
        label=_("Financial statement approved by the meeting"), required=False
    )
    shu = WholeNumberField(label=_("SHU (Rp)"), signed=True)
    shu_members = WholeNumberField(label=_("SHU to members (Rp)"))
    shu_reserve = WholeNumberField(label=_("SHU to the reserve fund (Rp)"))
    shu_other = WholeNumberField(label=_("SHU to other uses (Rp)"))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FollowUpForm(forms.Form):
    owner_agency = forms.ModelChoiceField(label=_("Owner agency"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = agencies
