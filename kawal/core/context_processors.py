from django.conf import settings

from kawal.core.nav import menu_for
from kawal.core.scope import Role, user_grants


def kawal(request):
    user = getattr(request, "user", None)
    roles = {g.role for g in user_grants(user)} if user is not None else set()
    authenticated = user is not None and user.is_authenticated
    return {
        "kawal_demo": settings.KAWAL_DEMO,
        "kawal_menu": menu_for(user, request.path) if authenticated else [],
        "kawal_roles": [Role(r).label for r in sorted(roles) if r in Role.values],
    }
