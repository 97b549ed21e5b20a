"""Account writes: users and their role × region grants."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kawal.accounts.models import Grant, User
from kawal.core.audit import audit
from kawal.core.scope import Cap, forget, may_grant_role, require, require_rule


def _check_may_grant(actor, role: str, region_code: str | None) -> None:
    require(actor, Cap.MANAGE_USERS, region_code)
    require_rule(
        may_grant_role(actor, role, region_code),
        _("You may not give a role with more rights than your own."),
    )


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    region_code: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    agency=None,
) -> User:
    _check_may_grant(actor, role, region_code)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        agency=agency,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit(actor=actor, action="user_create", obj=user, region_code=region_code)
    grant_add(actor=actor, user=user, role=role, region_code=region_code)
    return user


@transaction.atomic
def grant_add(*, actor, user: User, role: str, region_code: str | None) -> Grant:
    _check_may_grant(actor, role, region_code)
    grant = Grant(user=user, role=role, region_id=region_code, created_by=actor)
    grant.full_clean()
    if Grant.objects.filter(user=user, role=role, region_id=region_code).exists():
        raise ValidationError(_("This user already has that role in that region."))
    grant.save()
    forget(user)
    audit(
        actor=actor,
        action="grant_add",
        obj=user,
        region_code=region_code,
        changes={"role": [None, role], "region": [None, region_code]},
    )
    return grant


@transaction.atomic
def grant_remove(*, actor, grant: Grant) -> None:
    _check_may_grant(actor, grant.role, grant.region_id)
    audit(
        actor=actor,
        action="grant_remove",
        obj=grant.user,
        region_code=grant.region_id,
        changes={"role": [grant.role, None], "region": [grant.region_id, None]},
    )
    grant.delete()
    forget(grant.user)
