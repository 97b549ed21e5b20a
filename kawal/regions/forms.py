"""Region pickers every app's forms share: a typed Kemendagri code, and the regency/kecamatan
choices of list filters (fed by `kawal.regions.selectors`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.core.codes import is_valid_code


class RegionCodeField(forms.CharField):
    """A Kemendagri region code typed by hand (64.02, 64.02.06, 64.02.06.1001), checked for form;
    whether the user may act there is the service's question."""

    default_error_messages = {"malformed": _("Malformed region code.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Region code"))
        kwargs.setdefault("max_length", 13)
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value)
        if code and not is_valid_code(code):
            raise forms.ValidationError(self.error_messages["malformed"], code="malformed")
        return code


def region_choices(regions, blank=None) -> list[tuple[str, str]]:
    """Choices of a region filter: a blank entry ("all" unless told), then each region."""
    return [("", _("all") if blank is None else blank)] + [(r.code, r.name) for r in regions]


def set_region_filters(form, *, districts=(), regencies=(), regency_blank=None) -> None:
    """Fill a filter form's `kecamatan` choices, and its `kabupaten` choices when the user sees
    more than one regency (the field is dropped otherwise)."""
    form.fields["kecamatan"].choices = region_choices(districts)
    if len(regencies) > 1:
        form.fields["kabupaten"].choices = region_choices(regencies, regency_blank)
    else:
        del form.fields["kabupaten"]
