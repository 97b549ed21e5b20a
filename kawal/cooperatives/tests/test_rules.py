import pytest

from kawal.cooperatives import rules, selectors, services
from kawal.cooperatives.models import Cooperative, Officer
from kawal.cooperatives.tests.conftest import add_board
from kawal.regions.models import Region


def village(code):
    return Region.objects.select_related("parent").get(code=code)


def codes_of(cooperative):
    found = Cooperative.objects.select_related("village__parent").get(pk=cooperative.pk)
    selectors.attach_warnings([found])
    return {w.code for w in found.warnings}


def flagged(cooperative) -> bool:
    return rules.with_rule_flags(Cooperative.objects.filter(pk=cooperative.pk)).get().has_warnings


def test_expected_name_for_desa_kelurahan_syariah_and_shared_names():
    assert (
        rules.expected_name(village_name="Jahab", is_kelurahan=True, is_syariah=False)
        == "Koperasi Kelurahan Merah Putih Jahab"
    )
    assert (
        rules.expected_name(village_name="Saliki", is_kelurahan=False, is_syariah=True)
        == "Koperasi Syariah Desa Merah Putih Saliki"
    )
    assert (
        rules.expected_name(
            village_name="Sumber Sari",
            is_kelurahan=False,
            is_syariah=False,
            kecamatan_name="Loa Kulu",
        )
        == "Koperasi Desa Merah Putih Sumber Sari Kecamatan Loa Kulu"
    )


def test_shared_village_name_needs_the_kecamatan_suffix(make_cooperative, admin_user):
    # given Sumber Sari, a name shared by three desa of Kukar
    plain = make_cooperative("64.02.02.2014", name="Koperasi Desa Merah Putih Sumber Sari")
    add_board(admin_user, plain)
    # then the plain name is flagged, with the kecamatan in the suggestion
    assert "name_rule" in codes_of(plain)
    assert flagged(plain)
    assert selectors.suggested_name(village=village("64.02.02.2014")).endswith("Kecamatan Loa Kulu")
    services.cooperative_update(
        actor=admin_user,
        cooperative=plain,
        name="Koperasi Desa Merah Putih Sumber Sari Kecamatan Loa Kulu",
    )
    assert "name_rule" not in codes_of(plain)
    assert not flagged(plain)


def test_a_good_board_has_no_warnings(coop, admin_user):
    add_board(admin_user, coop)
    assert codes_of(coop) == set()
    assert not flagged(coop)


@pytest.mark.parametrize(
    ("board", "code"),
    [
        ({"pengurus": 4}, "pengurus_even"),
        ({"pengurus": 2}, "pengurus_too_few"),
        ({"women": 0}, "no_women"),
        ({"head_chairs": False}, "pengawas_chair"),
        ({"pengawas": 2}, "pengawas_too_few"),
    ],
)
def test_each_officer_rule_warns_in_python_and_sql(coop, admin_user, board, code):
    add_board(admin_user, coop, **board)
    assert code in codes_of(coop)
    assert flagged(coop)


def test_village_official_or_bpd_member_among_pengurus_warns(coop, admin_user):
    officers = add_board(admin_user, coop)
    services.officer_update(actor=admin_user, officer=officers[2], is_bpd_member=True)
    assert "pengurus_official" in codes_of(coop)
    assert flagged(coop)


def test_declared_family_ties_warn(coop, admin_user):
    officers = add_board(admin_user, coop)
    services.officer_update(actor=admin_user, officer=officers[4], family_ties="istri Pengurus 0")
    assert "family_ties" in codes_of(coop)
    assert flagged(coop)


def test_three_pengurus_is_legal_but_noted(coop, admin_user):
    add_board(admin_user, coop, pengurus=3)
    found = Cooperative.objects.select_related("village__parent").get(pk=coop.pk)
    selectors.attach_warnings([found])
    assert [w.severity for w in found.warnings if w.code == "pengurus_not_expected"] == ["info"]
    assert found.warning_count == 0
    assert not flagged(coop)


def test_no_officers_is_a_warning(coop):
    assert codes_of(coop) == {"no_officers"}
    assert flagged(coop)


def test_inactive_officers_do_not_count(coop, admin_user):
    officers = add_board(admin_user, coop)
    services.officer_update(actor=admin_user, officer=officers[1], is_active=False)
    assert "pengurus_even" in codes_of(coop)
    assert Officer.objects.filter(cooperative=coop, is_active=True).count() == 7
