"""One-time form tokens against double submits of create forms.

    class VisitForm(OnceFormMixin, forms.Form): ...
    form = VisitForm(request.POST or None, ...)           # a fresh token on every render
    if valid:
        try:
            with once(form):                             # refuses a token already used
                services.visit_record(...)
        except AlreadySubmitted:
            messages.info(...); return redirect(...)      # the first submit saved it

The token is stored (unique) in the same transaction as the record; if the save fails, the
token stays usable, and two concurrent submits cannot both pass the unique constraint.
"""

import contextlib
import secrets

from django import forms
from django.db import IntegrityError, transaction


class AlreadySubmitted(Exception):
    pass


class OnceFormMixin(forms.Form):
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = secrets.token_urlsafe(24)


@contextlib.contextmanager
def once(form):
    from kawal.core.models import UsedFormToken

    token = (form.cleaned_data.get("form_token") or "")[:64]
    with transaction.atomic():
        if token:
            try:
                with transaction.atomic():
                    UsedFormToken.objects.create(token=token)
            except IntegrityError:
                raise AlreadySubmitted from None
        yield
