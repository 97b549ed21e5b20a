"""The one permission module: roles, capabilities, region grants and URL access.

A user holds grants of (role, region); a grant covers its region and everything below it, and a
grant without a region is national. Every read starts from `region_q`/`scoped`, every write calls
`require`. Out-of-scope objects answer 404 (their existence is not revealed); objects the user may
see but not change answer 403. Deny by default: a view without a declared access is refused.
"""

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kawal.core.codes import ANCESTOR_FIELD, covers, level_of
from kawal.core.extensions import contributions


class Role(models.TextChoices):
    ADMIN_DINAS = "admin_dinas", _("Dinas administrator")
    PIMPINAN = "pimpinan", _("Leadership (Bupati/Sekda)")
    SATGAS = "satgas", _("Satgas member (agency)")
    CAMAT = "camat", _("Camat")
    PENDAMPING = "pendamping", _("Mentor (pendamping)")
    PENGURUS = "pengurus", _("Cooperative board (pengurus)")
    AUDITOR = "auditor", _("Auditor (Inspektorat)")


class Cap:
    VIEW = "view"
    EDIT = "edit"  # change any record in the region
    EDIT_ASSIGNED = "edit_assigned"  # change the cooperatives assigned to the user
    EDIT_AGENCY = "edit_agency"  # change the follow-ups owned by the user's agency
    VERIFY = "verify"  # verify uploads and assessments submitted by others
    # Run the programme in the region: assign, cancel, re-open and re-plan follow-ups, hand out
    # caseloads, edit checklists. Never derived from an assignment or a cooperative's own board.
    MANAGE = "manage"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN_DINAS: frozenset(
        {
            Cap.VIEW,
            Cap.EDIT,
            Cap.EDIT_ASSIGNED,
            Cap.EDIT_AGENCY,
            Cap.VERIFY,
            Cap.MANAGE,
            Cap.MANAGE_USERS,
            Cap.VIEW_AUDIT,
        }
    ),
    Role.PIMPINAN: frozenset({Cap.VIEW}),
    Role.SATGAS: frozenset({Cap.VIEW, Cap.EDIT_AGENCY}),
    Role.CAMAT: frozenset({Cap.VIEW, Cap.EDIT, Cap.EDIT_ASSIGNED, Cap.EDIT_AGENCY, Cap.MANAGE}),
    Role.PENDAMPING: frozenset({Cap.VIEW, Cap.EDIT_ASSIGNED}),
    Role.PENGURUS: frozenset({Cap.VIEW, Cap.EDIT}),
    Role.AUDITOR: frozenset({Cap.VIEW, Cap.VIEW_AUDIT}),
}
ALL_CAPABILITIES = frozenset().union(*ROLE_CAPABILITIES.values())


@dataclass(frozen=True)
class Grant:
    role: str
    region_code: str | None  # None = national

    @property
    def capabilities(self) -> frozenset[str]:
        return ROLE_CAPABILITIES.get(self.role, frozenset())


def user_grants(user) -> list[Grant]:
    """The user's grants, read once per request (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_kawal_grants", None)
    if cached is None:
        if user.is_superuser:
            cached = [Grant(Role.ADMIN_DINAS, None)]
        else:
            cached = [Grant(g.role, g.region_id) for g in user.grants.all()]
        user._kawal_grants = cached
    return cached


def assigned_villages(user) -> frozenset[str]:
    cached = getattr(user, "_kawal_assigned", None)
    if cached is None:
        if any(Cap.EDIT_ASSIGNED in g.capabilities for g in user_grants(user)):
            # Apps higher up (mentoring) contribute `assignment_source`s: (user) -> village
            # codes the user is assigned to, so that this module needs no import of theirs.
            sources = contributions("assignment_source")
            cached = frozenset(code for source in sources for code in source(user))
        else:
            cached = frozenset()
        user._kawal_assigned = cached
    return cached


def forget(user) -> None:
    """Drop the cached grants after they change."""
    for attr in ("_kawal_grants", "_kawal_assigned"):
        if hasattr(user, attr):
            delattr(user, attr)


def has_capability(user, cap: str) -> bool:
    """Whether the user holds `cap` anywhere (to show a menu or a button)."""
    return any(cap in g.capabilities for g in user_grants(user)) or (
        cap == Cap.EDIT and bool(assigned_villages(user))
    )


def is_national(user, cap: str = Cap.VIEW) -> bool:
    return any(g.region_code is None and cap in g.capabilities for g in user_grants(user))


def _lookup(path: str, level: int, columns: dict[int, str] | None = None) -> str:
    if columns is not None:
        return columns[level]
    field = ANCESTOR_FIELD[level]
    return f"{path}__{field}" if path else field


def region_q(
    user, cap: str = Cap.VIEW, path: str = "village", *, columns: dict[int, str] | None = None
) -> Q:
    """A filter for the rows whose region (reached through `path`) the user may `cap`.

    `path` leads from the model to its Region foreign key ("" for Region itself). Rows that
    carry a region code and its copied ancestors in their own columns (no foreign key) give
    `columns` instead: {level: column}. A subtree is one equality on a copied-ancestor column,
    which is indexed on SQLite and PostgreSQL alike.
    """
    grants = [g for g in user_grants(user) if cap in g.capabilities]
    if any(g.region_code is None for g in grants):
        return Q()
    q = Q(pk__in=[])
    for g in grants:
        q |= Q(**{_lookup(path, level_of(g.region_code), columns): g.region_code})
    if cap == Cap.EDIT:
        villages = assigned_villages(user)
        if villages:
            q |= Q(**{_lookup(path, 4, columns) + "__in": sorted(villages)})
    return q


def scoped(
    queryset,
    user,
    cap: str = Cap.VIEW,
    path: str = "village",
    *,
    columns: dict[int, str] | None = None,
):
    return queryset.filter(region_q(user, cap, path, columns=columns))


def can(user, cap: str, region_code: str | None) -> bool:
    """Whether the user may `cap` the region `region_code` (None: a national record)."""
    if any(cap in g.capabilities and covers(g.region_code, region_code) for g in user_grants(user)):
        return True
    return cap == Cap.EDIT and region_code in assigned_villages(user)


def require(user, cap: str, region_code: str | None) -> None:
    """Raise unless the user may `cap` there: 404 when it may not even see it, else 403."""
    if can(user, cap, region_code):
        return
    if cap != Cap.VIEW and can(user, Cap.VIEW, region_code):
        raise PermissionDenied(_("You may view this data but not change it."))
    raise Http404


def get_scoped_or_404(queryset, user, *, cap: str = Cap.VIEW, path: str = "village", **lookup):
    """One object inside the user's scope; missing and out-of-scope look the same (404)."""
    try:
        return scoped(queryset, user, cap, path).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None


def grantable_roles(user, region_code: str | None) -> list[str]:
    """Roles the user may hand out at `region_code`: inside its region, never above itself."""
    if not can(user, Cap.MANAGE_USERS, region_code):
        return []
    own = frozenset().union(
        *(g.capabilities for g in user_grants(user) if covers(g.region_code, region_code))
    )
    return [role for role, caps in ROLE_CAPABILITIES.items() if caps <= own]


# --- URL access: every view declares who may reach it --------------------------------------


def redirect_to_login(next_url: str):
    from django.contrib.auth.views import redirect_to_login as redirect

    return redirect(next_url)


ACCESS_ATTR = "kawal_access"


def public(view):
    """Reachable without logging in (login page, health check)."""
    setattr(view, ACCESS_ATTR, "public")
    return view


def login_only(view):
    """Any logged-in user; the view scopes its own data (home page, own password)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    setattr(wrapped, ACCESS_ATTR, "login")
    return wrapped


def requires(cap: str):
    """A logged-in user who holds `cap` somewhere; objects are still checked per region."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_capability(request.user, cap):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapped, ACCESS_ATTR, f"cap:{cap}")
        return wrapped

    return decorator


class AccessMiddleware:
    """Refuse any view that has not declared its access (deny by default)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.app_name == "admin":
            return None  # Django admin checks is_superuser itself (see kawal/urls.py)
        if getattr(view_func, ACCESS_ATTR, None) is None:
            raise PermissionDenied("view without declared access")
        return None
