"""API reads: the same scoped selectors as the pages, paged by an opaque cursor."""

import base64

from django.http import Http404

from kawal.api.models import ApiToken
from kawal.cooperatives import selectors as coop_selectors
from kawal.core.scope import Cap, scoped
from kawal.formation import selectors as formation_selectors
from kawal.regions import selectors as region_selectors
from kawal.regions.models import Region

MAX_LIMIT = 200


def encode_cursor(value) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise Http404 from None


def page(queryset, *, key: str, cursor: str | None, limit: int, cast=str):
    """Keyset pagination on `key` (unique, ordered): (rows, next cursor or None)."""
    limit = max(1, min(limit, MAX_LIMIT))
    after = decode_cursor(cursor)
    if after is not None:
        try:
            queryset = queryset.filter(**{f"{key}__gt": cast(after)})
        except ValueError:
            raise Http404 from None
    rows = list(queryset.order_by(key)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(getattr(rows[-1], key)) if more and rows else None


def regions(*, user, parent: str | None, level: int | None):
    found = scoped(Region.objects, user, Cap.VIEW, path="")
    if parent:
        found = found.filter(parent_id=parent)
    if level:
        found = found.filter(level=level)
    return found


def region_get(*, user, code: str) -> Region:
    return region_selectors.region_get(user=user, code=code)


def cooperatives(*, user, region: str | None):
    found = coop_selectors.cooperative_list(user=user)
    if region:
        from kawal.core.codes import ANCESTOR_FIELD, is_valid_code, level_of

        if not is_valid_code(region):
            raise Http404
        found = found.filter(**{f"village__{ANCESTOR_FIELD[level_of(region)]}": region})
    return found


def step_status(*, cooperatives) -> dict:
    return formation_selectors.step_status_for(cooperative_ids=[c.pk for c in cooperatives])


def crosswalk(*, user, source: str | None):
    return region_selectors.crosswalk_list(user=user, source=source)


def tokens(*, user):
    return scoped(
        ApiToken.objects.select_related("region"),
        user,
        Cap.MANAGE_USERS,
        path="region",
    )


def token_get(*, user, pk: int) -> ApiToken:
    from kawal.core.scope import get_scoped_or_404

    return get_scoped_or_404(
        ApiToken.objects.all(), user, cap=Cap.MANAGE_USERS, path="region", pk=pk
    )
