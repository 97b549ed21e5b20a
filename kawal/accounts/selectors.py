from django.http import Http404

from kawal.accounts.models import Agency, Grant, User
from kawal.core.scope import Cap, scoped


def user_list(*, user, q: str = ""):
    """Users holding a grant inside the regions the user manages."""
    grants = scoped(Grant.objects.all(), user, Cap.MANAGE_USERS, path="region")
    users = User.objects.filter(pk__in=grants.values("user_id"))
    if q:
        users = users.filter(username__icontains=q) | users.filter(first_name__icontains=q)
    return users.select_related("agency").prefetch_related("grants__region").order_by("username")


def user_get(*, user, pk: int) -> User:
    try:
        return user_list(user=user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def agency_list(*, user):
    return scoped(Agency.objects.filter(is_active=True), user, Cap.VIEW, path="region")
