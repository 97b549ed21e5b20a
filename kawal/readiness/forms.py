from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.core.forms import DateInput, VersionedFormMixin
from kawal.core.services import STALE_MESSAGE
from kawal.readiness import resolvers
from kawal.readiness.models import SCALE, Area, Category, Item
from kawal.readiness.selectors import NOT_ASSESSED
from kawal.regions.forms import set_region_filters


class AssessmentCreateForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Assessment date"),
        widget=DateInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()


class VersionForm(VersionedFormMixin, forms.Form):
    """Verify and "read the registry again": a button and the version."""

    version_required = True


class ItemScoreForm(VersionedFormMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"),
        choices=[("", _("not scored yet"))] + [(s, str(s)) for s in SCALE],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(
        label=_("Evidence (photo or PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    version_required = True

    def clean(self):
        if "version" in self.errors:  # a hidden field: say it in words the assessor understands
            self.add_error(None, STALE_MESSAGE)
        return super().clean()


class SubmitForm(VersionedFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("General comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version_required = True


class ReturnForm(VersionedFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2})
    )
    version_required = True


class InstrumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["code", "name", "weight", "order"]


class ItemForm(forms.ModelForm):
    resolver = forms.ChoiceField(label=_("Automatic rule"), required=False)

    class Meta:
        model = Item
        fields = ["code", "text", "evidence", "weight", "method", "resolver", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolver"].choices = [("", "—")] + resolvers.resolver_choices()


class ListFilterForm(forms.Form):
    kabupaten = forms.ChoiceField(label=_("Regency"), required=False)
    q = forms.CharField(label=_("Search"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    kategori = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("all")), *Category.choices, (NOT_ASSESSED, _("not assessed"))],
    )
    status = forms.ChoiceField(
        label=_("Assessment"),
        required=False,
        choices=[
            ("", _("all")),
            ("menunggu", _("awaiting verification")),
            ("draf", _("draft in progress")),
        ],
    )

    def __init__(self, *args, districts=(), regencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        set_region_filters(self, districts=districts, regencies=regencies)
