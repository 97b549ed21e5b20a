"""The named rules of scope: role-only users, agency members, four eyes, per-regency records."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from kawal.core import scope
from kawal.core.scope import Cap, Role


def test_require_rule_refuses_with_its_message():
    # given a rule that does not hold
    # when it is required
    with pytest.raises(PermissionDenied) as refused:
        scope.require_rule(False, "not yours")
    # then the refusal carries the message; a holding rule passes quietly
    assert str(refused.value) == "not yours"
    scope.require_rule(True, "never shown")


def test_single_role_users_are_told_apart(make_user):
    # given a board member, a mentor, a satgas member and the Dinas
    board = make_user(Role.PENGURUS, "64.02.06.1001")
    mentor = make_user(Role.PENDAMPING, "64.02.06")
    satgas = make_user(Role.SATGAS, "64.02")
    dinas = make_user(Role.ADMIN_DINAS, "64.02")
    # then each "only" rule picks exactly its role
    assert [scope.is_board_only(u) for u in (board, mentor, satgas, dinas)] == [
        True,
        False,
        False,
        False,
    ]
    assert [scope.is_caseload_only(u) for u in (board, mentor, satgas, dinas)] == [
        False,
        True,
        False,
        False,
    ]
    assert [scope.is_agency_only(u) for u in (board, mentor, satgas, dinas)] == [
        False,
        False,
        True,
        False,
    ]
    # and a mentor reads mentoring through its caseload (Cap.EDIT), others through their regions
    assert scope.caseload_cap(mentor) == Cap.EDIT and scope.caseload_cap(dinas) == Cap.VIEW


def test_agency_member_edits_its_agency_follow_ups_only(make_user, make_agency):
    # given a satgas member of one agency and the Dinas officer of the same agency
    dpmd, other = make_agency("dpmd"), make_agency("pupr")
    member = make_user(Role.SATGAS, "64.02", agency=dpmd)
    officer = make_user(Role.ADMIN_DINAS, "64.02", agency=dpmd)
    # then the member edits what its agency owns, never another agency's, and manages nothing
    assert scope.is_agency_member(member)
    assert scope.may_edit_followup(member, "64.02.06", dpmd.pk)
    assert not scope.may_edit_followup(member, "64.02.06", other.pk)
    assert not scope.may_manage_followup(member, "64.02.06")
    # and the home page leads with the agency for the member, not for the Dinas officer
    assert scope.leads_with_agency(member) and not scope.leads_with_agency(officer)


def test_agency_only_member_without_agency_sees_no_follow_up(make_user):
    # given a satgas member not attached to any agency
    member = make_user(Role.SATGAS, "64.02")
    # then its follow-up filter matches nothing
    assert scope.followup_visible_q(member) == Q(pk__in=[])


def test_assessment_verification_needs_four_eyes(make_user):
    # given a Dinas officer of the regency
    dinas = make_user(Role.ADMIN_DINAS, "64.02")
    # then it verifies others' assessments, never its own
    assert scope.may_verify_assessment(dinas, "64.02.06.1001", assessor_id=dinas.pk + 1)
    assert not scope.may_verify_assessment(dinas, "64.02.06.1001", assessor_id=dinas.pk)


def test_standard_list_is_for_the_national_dinas_only(make_user):
    # given the Dinas of one regency and a national Dinas
    regency = make_user(Role.ADMIN_DINAS, "64.02")
    national = make_user(Role.ADMIN_DINAS, None)
    # then only the national one edits the national list
    assert not scope.may_edit_standard_list(regency)
    assert scope.may_edit_standard_list(national)


def test_regency_records_reach_a_kecamatan_user(make_user):
    # given a camat of one kecamatan of Kukar and a Dinas officer of the province
    camat = make_user(Role.CAMAT, "64.02.06")
    province = make_user(Role.ADMIN_DINAS, "64")
    # then the camat reaches its own regency's record, the province every regency below it
    assert scope.regency_record_q(camat, Cap.VIEW, "region") == Q(pk__in=[]) | Q(region_id="64.02")
    assert scope.regency_record_q(province, Cap.VIEW, "region") == Q(pk__in=[]) | Q(
        region__province_code="64"
    )


def test_granted_regions_keep_grant_order(make_user):
    # given a user granted at a kecamatan
    camat = make_user(Role.CAMAT, "64.02.06")
    # then its MANAGE regions are that kecamatan, and it holds no MANAGE_USERS anywhere
    assert scope.granted_regions(camat, Cap.MANAGE) == ["64.02.06"]
    assert scope.granted_regions(camat, Cap.MANAGE_USERS) == []
