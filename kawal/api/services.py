"""API token writes: create (shown once), revoke, and the authentication of a request."""

import hashlib
import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from kawal.accounts.models import Grant, User
from kawal.api.models import ApiToken
from kawal.core.audit import audit
from kawal.core.scope import Cap, Role, require

# The role the token's service account holds in its region: reading is the leadership's view
# role (VIEW only); writing is the camat's (a completion recorded directly, as the Dinas's
# own systems report it). The API exposes no other write than the step update.
ROLE_FOR_ACCESS = {ApiToken.Access.READ: Role.PIMPINAN, ApiToken.Access.WRITE: Role.CAMAT}
LAST_USED_EVERY = 60  # seconds: last use is written at most once a minute per token
RATE_LIMIT = 120  # requests per minute per token


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor, name: str, region_code: str, access: str) -> tuple[ApiToken, str]:
    """A new token; returns (token row, the raw token — shown once, never stored)."""
    require(actor, Cap.MANAGE_USERS, region_code)
    if access not in ApiToken.Access.values:
        raise ValueError(access)
    raw = "kk_" + secrets.token_urlsafe(32)
    user = User(username=f"api-{secrets.token_hex(6)}", first_name=name[:150], is_active=True)
    user.set_unusable_password()
    user.save()
    Grant.objects.create(
        user=user, role=ROLE_FOR_ACCESS[access], region_id=region_code, created_by=actor
    )
    token = ApiToken.objects.create(
        name=name,
        region_id=region_code,
        access=access,
        token_hash=_hash(raw),
        prefix=raw[:10],
        user=user,
        created_by=actor,
    )
    audit(
        actor=actor,
        action="api_token_create",
        obj=token,
        region_code=region_code,
        changes={"access": [None, access]},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    require(actor, Cap.MANAGE_USERS, token.region_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        User.objects.filter(pk=token.user_id).update(is_active=False)
        audit(actor=actor, action="api_token_revoke", obj=token, region_code=token.region_id)
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token for a raw bearer token (its service account loaded), else None."""
    if not raw or not raw.startswith("kk_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def rate_limited(token: ApiToken) -> bool:
    """Count one request of the token in the current minute; True when over the limit."""
    key = f"api-rate:{token.token_hash[:16]}:{int(timezone.now().timestamp() // 60)}"
    if cache.add(key, 1, timeout=120):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=120)
        return False
    return count > RATE_LIMIT
