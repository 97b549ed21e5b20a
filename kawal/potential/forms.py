from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.core.forms import VersionedFormMixin
from kawal.potential import analysis
from kawal.potential.models import (
    Bumdes,
    BumdesUnit,
    Commodity,
    CommodityType,
    Sector,
    VillageProfile,
)
from kawal.regions.forms import set_region_filters


class ProfileForm(VersionedFormMixin, forms.ModelForm):
    version_required = "saved"

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


class BumdesForm(VersionedFormMixin, forms.ModelForm):
    version_required = "saved"

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
        set_region_filters(self, districts=districts, regencies=regencies, regency_blank="—")
        self.fields["status"].choices = [("", _("all"))] + [
            (k, analysis.KIND_LABELS[k]) for k in (*analysis.KINDS, analysis.NO_DATA)
        ]
