from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.core.forms import DateInput
from kawal.reports.models import IssuedReport


class ReportRequestForm(forms.Form):
    """Which report: weekly or monthly, of which region, for the period holding which day."""

    kind = forms.ChoiceField(label=_("Report"), choices=IssuedReport.Kind.choices)
    region = forms.ChoiceField(label=_("Region"))
    day = forms.DateField(
        label=_("A day of the period"),
        widget=DateInput(),
        help_text=_("The week (Monday to Sunday) or the month holding this day."),
        error_messages={"invalid": _("Enter a date, e.g. 2026-11-23.")},
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions
        self.fields["region"].error_messages["invalid_choice"] = _(
            "Choose a regency or kecamatan from the list."
        )
