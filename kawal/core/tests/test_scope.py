"""The scope matrix: each role × an object inside / outside its region × read / write."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kawal.cooperatives.models import Cooperative
from kawal.cooperatives.selectors import cooperative_get, cooperative_list
from kawal.core.scope import Cap, Role, can, forget, grantable_roles, region_q, require, scoped

TENGGARONG_VILLAGE = "64.02.06.1001"  # inside kecamatan Tenggarong (64.02.06)
MUARA_BADAK_VILLAGE = "64.02.05.2006"  # Tanah Datar, kecamatan Muara Badak (64.02.05)
OTHER_REGENCY_VILLAGE = None  # filled from the national data when present


# role, grant region, (may read inside, may write inside), the inside village
MATRIX = [
    (Role.ADMIN_DINAS, "64.02", True, True),
    (Role.PIMPINAN, "64.02", True, False),
    (Role.SATGAS, "64.02", True, False),
    (Role.CAMAT, "64.02.06", True, True),
    (Role.PENDAMPING, "64.02.06", True, False),  # writes only its assigned cooperatives
    (Role.PENGURUS, TENGGARONG_VILLAGE, True, True),
    (Role.AUDITOR, "64.02", True, False),
]


@pytest.mark.parametrize("role,region,may_read,may_write", MATRIX)
def test_scope_matrix_inside_region(make_user, make_cooperative, role, region, may_read, may_write):
    # given a user with one grant and a cooperative inside that region
    user = make_user(role, region)
    inside = make_cooperative(TENGGARONG_VILLAGE)
    # then reading and writing follow the role
    assert can(user, Cap.VIEW, inside.village_id) is may_read
    assert can(user, Cap.EDIT, inside.village_id) is may_write
    assert (inside in cooperative_list(user=user)) is may_read
    assert (inside in cooperative_list(user=user, cap=Cap.EDIT)) is may_write


@pytest.mark.parametrize("role,region,may_read,may_write", MATRIX)
def test_scope_matrix_outside_region_is_invisible(
    make_user, make_cooperative, role, region, may_read, may_write
):
    # given a cooperative in another kecamatan (for regency-wide roles: none is outside)
    user = make_user(role, region)
    outside = make_cooperative(MUARA_BADAK_VILLAGE)
    inside_regency = region == "64.02"
    # then only regency-wide grants reach it; the others get 404, never 403
    assert can(user, Cap.VIEW, outside.village_id) is inside_regency
    if not inside_regency:
        assert outside not in cooperative_list(user=user)
        with pytest.raises(Http404):
            cooperative_get(user=user, pk=outside.pk)
        with pytest.raises(Http404):
            require(user, Cap.EDIT, outside.village_id)


def test_read_only_role_gets_403_not_404_on_write(make_user, make_cooperative):
    sekda = make_user(Role.PIMPINAN, "64.02")
    coop = make_cooperative(TENGGARONG_VILLAGE)
    with pytest.raises(PermissionDenied):
        require(sekda, Cap.EDIT, coop.village_id)


def test_pendamping_writes_only_assigned_cooperatives(make_user, make_cooperative, admin_user):
    from kawal.mentoring.services import assignment_start

    pendamping = make_user(Role.PENDAMPING, "64.02.06")
    assigned = make_cooperative("64.02.06.1001")
    other = make_cooperative("64.02.06.1002")
    assignment_start(
        actor=admin_user, mentor=pendamping, cooperative=assigned, started_on="2025-07-01"
    )
    assert can(pendamping, Cap.EDIT, assigned.village_id)
    assert not can(pendamping, Cap.EDIT, other.village_id)
    assert can(pendamping, Cap.VIEW, other.village_id)
    editable = scoped(Cooperative.objects.all(), pendamping, Cap.EDIT)
    assert list(editable) == [assigned]


def test_national_grant_sees_everything(make_user, make_cooperative):
    national = make_user(Role.PIMPINAN, None)
    coop = make_cooperative(MUARA_BADAK_VILLAGE)
    assert can(national, Cap.VIEW, coop.village_id)
    assert can(national, Cap.VIEW, None)
    assert str(region_q(national)) == str(region_q(national, Cap.VIEW))


def test_user_without_grant_sees_nothing(db, make_cooperative):
    from kawal.accounts.models import User

    nobody = User.objects.create_user("nobody", password="x")
    make_cooperative(TENGGARONG_VILLAGE)
    assert not cooperative_list(user=nobody).exists()
    assert not can(nobody, Cap.VIEW, TENGGARONG_VILLAGE)


def test_admin_grants_only_inside_its_region_and_never_above_itself(make_user):
    camat = make_user(Role.CAMAT, "64.02.06")
    admin = make_user(Role.ADMIN_DINAS, "64.02")
    assert Role.ADMIN_DINAS in grantable_roles(admin, "64.02.06")
    assert grantable_roles(admin, "64.01") == []  # another regency
    assert grantable_roles(camat, "64.02.06") == []  # a camat manages no users


def test_manage_comes_only_from_dinas_and_camat_grants(make_user, make_cooperative):
    """A cooperative's board and a mentor edit their own cooperative but never run the programme."""
    from kawal.mentoring.services import assignment_start

    coop = make_cooperative("64.02.06.1001")
    dinas = make_user(Role.ADMIN_DINAS, "64.02")
    camat = make_user(Role.CAMAT, "64.02.06")
    board = make_user(Role.PENGURUS, "64.02.06.1001")
    mentor = make_user(Role.PENDAMPING, "64.02.06")
    assignment_start(actor=dinas, mentor=mentor, cooperative=coop, started_on=date(2026, 6, 1))
    forget(mentor)
    assert can(mentor, Cap.EDIT, coop.village_id) and can(board, Cap.EDIT, coop.village_id)
    assert [can(u, Cap.MANAGE, coop.village_id) for u in (dinas, camat, board, mentor)] == [
        True,
        True,
        False,
        False,
    ]
