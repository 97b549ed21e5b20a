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
    # The leaders' dashboard, map and periodic reports (kawal.reports): leadership, the Dinas and
    # camat, at their region (a provincial or national grant sums its province or the country).
    VIEW_DASHBOARD = "view_dashboard"


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
            Cap.VIEW_DASHBOARD,
        }
    ),
    Role.PIMPINAN: frozenset({Cap.VIEW, Cap.VIEW_DASHBOARD}),
    Role.SATGAS: frozenset({Cap.VIEW, Cap.EDIT_AGENCY}),
    Role.CAMAT: frozenset(
        {Cap.VIEW, Cap.EDIT, Cap.EDIT_ASSIGNED, Cap.EDIT_AGENCY, Cap.MANAGE, Cap.VIEW_DASHBOARD}
    ),
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


def granted_regions(user, cap: str = Cap.VIEW) -> list[str | None]:
    """The regions of the user's grants that hold `cap`, in grant order (None: national)."""
    return list(dict.fromkeys(g.region_code for g in user_grants(user) if cap in g.capabilities))


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


# --- Named rules: what one capability in one region does not say ------------------------------
#
# Each rule answers from the user's grants plus plain values handed in by the app that owns the
# data (a village code, a mentor's user id, an agency id), so this module imports no domain app.
# Services ask a rule and call `require_rule` with their own (translated) message.


def require_rule(allowed: bool, message=None) -> None:
    """Refuse with 403 unless `allowed`; the caller has already shown the user may see the object
    (or the page), so a refusal here reveals nothing the user could not see."""
    if not allowed:
        raise PermissionDenied(*([message] if message is not None else []))


def _only_role(user, role: str) -> bool:
    grants = user_grants(user)
    return bool(grants) and all(g.role == role for g in grants)


def is_board_only(user) -> bool:
    """Whose only role is a cooperative's board (pengurus): it does not record mentoring work
    about itself, nor sees mentoring's staff pages."""
    return _only_role(user, Role.PENGURUS)


def is_caseload_only(user) -> bool:
    """Whose only role is pendamping: in mentoring it sees only its caseload and its own rows."""
    return _only_role(user, Role.PENDAMPING)


def is_agency_only(user) -> bool:
    """Whose only role is satgas (an agency's member): sees only what its agency owns."""
    return _only_role(user, Role.SATGAS)


def is_agency_member(user) -> bool:
    """Works for an agency and may report on the follow-ups that agency owns (Cap.EDIT_AGENCY)."""
    return getattr(user, "agency_id", None) is not None and has_capability(user, Cap.EDIT_AGENCY)


def leads_with_agency(user) -> bool:
    """Whether the home page counts the user's agency's follow-ups rather than its region's: an
    agency member who does not run the programme (the Dinas' staff and a camat, Cap.MANAGE,
    follow every follow-up of their region, whatever office they sit in)."""
    return is_agency_member(user) and not has_capability(user, Cap.MANAGE)


def home_focus(user) -> str:
    """Whose work the home page puts first: "pengurus" (its own KMP), "pendamping" (its
    caseload), "satgas" (what its agency owes), "pimpinan" (the summary, read only), "camat", or
    "" (the Dinas and users of several roles: every panel in its usual order)."""
    if is_board_only(user):
        return "pengurus"
    if is_caseload_only(user):
        return "pendamping"
    for role in (Role.PIMPINAN, Role.CAMAT):
        if _only_role(user, role):
            return str(role)
    if leads_with_agency(user):
        return "satgas"
    return ""


def may_manage_programme(user) -> bool:
    """Runs the programme somewhere (Cap.MANAGE: the Dinas, a camat): caseloads, checklists."""
    return has_capability(user, Cap.MANAGE)


def may_assess(user, village_code: str) -> bool:
    """Assess a cooperative's readiness: the Dinas (verifies there) or a pendamping assigned to
    the village's cooperative; never the KMP itself, nor a camat."""
    return can(user, Cap.VERIFY, village_code) or village_code in assigned_villages(user)


def may_verify_assessment(user, village_code: str, assessor_id) -> bool:
    """The Dinas of the village, and never the assessment's own assessor (four eyes)."""
    return can(user, Cap.VERIFY, village_code) and assessor_id != user.pk


def may_respond_to_recommendation(user, village_code: str) -> bool:
    """The cooperative's own board answers its recommendations; the Dinas may record a reply."""
    return any(
        g.role in (Role.PENGURUS, Role.ADMIN_DINAS) and covers(g.region_code, village_code)
        for g in user_grants(user)
    )


def may_edit_mentor_report(user, mentor_id) -> bool:
    """A monthly report is changed and submitted by the mentor who writes it, nobody else."""
    return mentor_id == user.pk


def may_review_mentor_report(user, mentor_id) -> bool:
    """Four eyes: a mentor does not review its own report (Cap.VERIFY is checked by region)."""
    return mentor_id != user.pk


def may_edit_standard_list(user) -> bool:
    """National reference lists (sectors, commodity types): only a national Dinas grant changes
    them, never the Dinas of one regency or province (its change would show everywhere)."""
    return can(user, Cap.VERIFY, None)


def may_grant_role(user, role: str, region_code: str | None) -> bool:
    """Hand out `role` at `region_code`: never a role with more rights than the user's own."""
    return role in grantable_roles(user, region_code)


def may_manage_followup(user, region_code: str) -> bool:
    """Run the programme where the follow-up is (the Dinas or the camat): re-plan it, change its
    owner or deadline, cancel or re-open it. A cooperative's board and a mentor hold Cap.EDIT on
    their villages, but never Cap.MANAGE."""
    return can(user, Cap.MANAGE, region_code)


def may_edit_followup(user, region_code: str, owner_agency_id) -> bool:
    """Report progress (status, evidence): the Dinas/camat (Cap.MANAGE in the region) or a member
    of the owner agency (Cap.EDIT_AGENCY)."""
    if may_manage_followup(user, region_code):
        return True
    return is_agency_member(user) and user.agency_id == owner_agency_id


def followup_visible_q(user) -> Q:
    """Follow-ups the user may read (on the FollowUp model): agency-only members see their own
    agency's; the Dinas, leadership and auditors every follow-up in their region; anyone whose
    agency owns a follow-up sees it, wherever it is."""
    base = region_q(user, Cap.VIEW, path="region")
    agency_id = getattr(user, "agency_id", None)
    if is_agency_only(user):
        return base & Q(owner_agency_id=agency_id) if agency_id else Q(pk__in=[])
    if agency_id and has_capability(user, Cap.EDIT_AGENCY) and not _sees_agency_regency(user):
        return base | Q(owner_agency_id=agency_id)
    return base


def _sees_agency_regency(user) -> bool:
    """Whether the user's region scope already holds everything its agency can own: an agency
    owns follow-ups of its own regency, so a regency-wide viewer needs no extra OR (which would
    also keep the database from using its indexes)."""
    return can(user, Cap.VIEW, user.agency.region_id[:5])


def caseload_cap(user) -> str:
    """The capability that bounds what the user reads in mentoring: a mentor (pendamping only)
    reads its caseload (the villages it may edit), everyone else its regions."""
    return Cap.EDIT if is_caseload_only(user) else Cap.VIEW


def caseload_read_q(user, path: str = "cooperative__village") -> Q:
    """Mentoring rows the user may read: its regions, or only its caseload for a mentor."""
    return region_q(user, caseload_cap(user), path)


def regency_record_q(user, cap: str = Cap.VIEW, path: str = "region") -> Q:
    """Records held once per regency (e.g. a readiness instrument) a user may `cap`: a province
    or national grant covers its regencies; a kecamatan or village grant sees its own regency's.
    `path` leads to the record's regency Region foreign key."""
    q = Q(pk__in=[])
    for grant in user_grants(user):
        if cap not in grant.capabilities:
            continue
        if grant.region_code is None:
            return Q()
        if level_of(grant.region_code) <= 2:
            q |= Q(**{_lookup(path, level_of(grant.region_code)): grant.region_code})
        else:
            q |= Q(**{f"{path}_id" if path else "pk": grant.region_code[:5]})
    return q


# --- URL access: every view declares who may reach it --------------------------------------


def redirect_to_login(next_url: str):
    from django.contrib.auth.views import redirect_to_login as redirect

    return redirect(next_url)


ACCESS_ATTR = "kawal_access"


def public(view):
    """Reachable without logging in (login page, health check)."""
    setattr(view, ACCESS_ATTR, "public")
    return view


def bearer_token(view):
    """An API view: no session; the request is authenticated by its bearer token (kawal.api),
    whose service account then goes through the same scope rules as a page user."""
    setattr(view, ACCESS_ATTR, "token")
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


def may_verify_business_report(user, village_code: str) -> bool:
    """Business reports: checked by the Dinas (Cap.VERIFY in the region) or by the BA assigned
    to the cooperative; never by who submitted it (a rule of the service: four eyes)."""
    return can(user, Cap.VERIFY, village_code) or village_code in assigned_villages(user)


def may_view_dashboard(user, region_code: str | None) -> bool:
    """The leaders' dashboard and map of a region (None: the country): leadership, the Dinas
    and camat whose grant covers the region (Cap.VIEW_DASHBOARD)."""
    return can(user, Cap.VIEW_DASHBOARD, region_code)


def may_issue_report(user, region_code: str) -> bool:
    """Issue the periodic report of a regency or a kecamatan: whoever may read its dashboard
    (the Bupati's weekly report takes one click by the leadership itself)."""
    return bool(region_code) and can(user, Cap.VIEW_DASHBOARD, region_code)


def dashboard_roots(user) -> list[str | None]:
    """The regions whose dashboard the user reads by default: its top granted regions holding
    Cap.VIEW_DASHBOARD (None: the country), in grant order."""
    codes = granted_regions(user, Cap.VIEW_DASHBOARD)
    if None in codes:
        return [None]
    return [c for c in codes if not any(o != c and c.startswith(o + ".") for o in codes)]
