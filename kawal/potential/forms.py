from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.potential import analysis
from kawal.potential.models import (
    Bumdes,
    BumdesUnit,
    Commodity,
    CommodityType,
    Sector,
    VillageProfile,
)


def _version_required_when_saved(form) -> None:
    """An existing record is saved only with the version it was read at (stale-save check)."""
    if form.instance is not None and form.instance.pk:
        form.fields["version"].required = True


class ProfileForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = VillageProfile
        fields = [
            "population",
            "households",
            "idm_status",
            "idm_year",
            "has_market",
            "has_health_facility",
            "has_internet",
            "has_electricity",
            "access",
            "land_available_m2",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, village=None, **kwargs):
        super().__init__(*args, **kwargs)
        _version_required_when_saved(self)
        if village is not None and village.kind == "kelurahan":
            del self.fields["idm_status"]
            del self.fields["idm_year"]

    def _post_clean(self):
        pass  # the service validates the whole record (with its village)


class CommodityForm(forms.ModelForm):
    commodity = forms.ModelChoiceField(label=_("Commodity"), queryset=CommodityType.objects.none())

    class Meta:
        model = Commodity
        fields = ["commodity", "volume", "unit", "estimated_value", "is_main"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commodity"].queryset = CommodityType.objects.filter(
            is_active=True, sector__is_active=True
        ).select_related("sector")
        self.fields["commodity"].label_from_instance = lambda c: f"{c.sector.name} · {c.name}"
        self.fields["unit"].required = False

    def _post_clean(self):
        pass


class BumdesForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Bumdes
        fields = [
            "name",
            "legal_status",
            "legal_number",
            "is_active",
            "yearly_revenue",
            "revenue_year",
            "contact_name",
            "phone",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _version_required_when_saved(self)

    def _post_clean(self):
        pass


class BumdesUnitForm(forms.ModelForm):
    class Meta:
        model = BumdesUnit
        fields = ["name", "category", "kbli", "is_active", "runs_well"]

    def _post_clean(self):
        pass


class SectorForm(forms.ModelForm):
    class Meta:
        model = Sector
        fields = ["code", "name", "serving_units", "order", "is_active"]

    def _post_clean(self):
        pass


class CommodityTypeForm(forms.ModelForm):
    class Meta:
        model = CommodityType
        fields = ["sector", "name", "default_unit", "order", "is_active"]

    def _post_clean(self):
        pass


class VillageFilterForm(forms.Form):
    kabupaten = forms.ChoiceField(label=_("Regency"), required=False)
    q = forms.CharField(label=_("Search"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    status = forms.ChoiceField(label=_("Finding"), required=False)

    def __init__(self, *args, districts=(), regencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("all"))] + [(d.code, d.name) for d in districts]
        if len(regencies) > 1:
            self.fields["kabupaten"].choices = [("", "—")] + [(r.code, r.name) for r in regencies]
        else:
            del self.fields["kabupaten"]
        self.fields["status"].choices = [("", _("all"))] + [
            (k, analysis.KIND_LABELS[k]) for k in (*analysis.KINDS, analysis.NO_DATA)
        ]
