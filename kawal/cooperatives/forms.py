from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.cooperatives.models import Cooperative, Officer, Outlet
from kawal.cooperatives.services import COOPERATIVE_FIELDS, OFFICER_FIELDS, OUTLET_FIELDS
from kawal.core.forms import DateInput, VersionedFormMixin


class CooperativeForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Cooperative
        fields = COOPERATIVE_FIELDS
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}


class JointVillagesForm(forms.Form):
    villages = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Other villages covered (joint cooperative)"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = villages


class OfficerForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Officer
        fields = OFFICER_FIELDS
        widgets = {
            "term_start": DateInput(),
            "term_end": DateInput(),
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.nik:
            # The stored NIK is never sent back to the browser; leave blank to keep it.
            self.initial["nik"] = ""
            self.fields["nik"].help_text = _("Recorded (masked). Leave empty to keep it.")
            self.fields["nik"].required = False

    def clean_nik(self):
        value = self.cleaned_data.get("nik") or ""
        if not value and self.instance.pk:
            return self.instance.nik
        return value


class OutletForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Outlet
        fields = OUTLET_FIELDS


class ListFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"))
    kecamatan = forms.ChoiceField(required=False, label=_("Kecamatan"))
    skema = forms.ChoiceField(required=False, label=_("Scheme"))
    peringatan = forms.ChoiceField(
        required=False,
        label=_("Rule warnings"),
        choices=[("", _("all")), ("ada", _("with warnings")), ("tidak", _("without warnings"))],
    )

    def __init__(self, *args, kecamatan_choices, extra_filters, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("all"))] + list(kecamatan_choices)
        self.fields["skema"].choices = [("", _("all"))] + list(Cooperative.Scheme.choices)
        for extra in extra_filters:
            self.fields[extra.param] = forms.ChoiceField(
                required=False, label=extra.label, choices=[("", _("all"))] + extra.choices(user)
            )


class CooperativeCreateForm(forms.Form):
    village_code = forms.CharField(
        label=_("Village code (Kemendagri)"),
        max_length=13,
        help_text=_("e.g. 64.02.06.1001"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "list": "desa-tanpa-koperasi"}),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the name of the naming rule."),
    )
    scheme = forms.ChoiceField(label=_("Scheme"), choices=Cooperative.Scheme.choices)
    is_syariah = forms.BooleanField(label=_("sharia (syariah)"), required=False)
