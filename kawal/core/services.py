"""Shared write helpers for services."""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "This record was changed by someone else while you were editing it. "
    "Reload the page to see the latest data, then save your changes again."
)


def bump_version(obj, expected_version: int | None) -> None:
    """Claim the next version of `obj`, or refuse a save based on a stale copy.

    Call inside the service's transaction before saving; the conditional UPDATE makes two
    concurrent saves of the same version impossible on both databases.
    """
    if expected_version is None:
        expected_version = obj.version
    updated = (
        type(obj)
        .objects.filter(pk=obj.pk, version=expected_version)
        .update(version=F("version") + 1)
    )
    if not updated:
        raise ValidationError(STALE_MESSAGE, code="stale")
    obj.version = expected_version + 1
