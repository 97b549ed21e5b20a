"""Form mechanics every app shares: service errors onto a form, the date widget, and the hidden
version field of optimistic locking."""

from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form: each message on the field it names when the
    form has that field, else on the form as a whole."""
    for field, errors in error.update_error_dict({}).items():
        form.add_error(field if field in form.fields else None, errors)


class DateInput(forms.DateInput):
    """The browser's date picker; values travel as ISO dates (2025-06-10)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VersionedFormMixin:
    """A hidden `version` field carrying the version of the record the page was read at: the
    service refuses a save based on an older copy (`kawal.core.services.bump_version`).

    `version_required`: True (always sent), False (optional: creating a record), or "saved"
    (required when a ModelForm edits a saved instance)."""

    version_required: bool | str = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required = self.version_required
        if required == "saved":
            instance = getattr(self, "instance", None)
            required = instance is not None and instance.pk is not None
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=bool(required), min_value=0
        )
