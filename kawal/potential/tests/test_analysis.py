"""Overlap/complement rules and recommendations: each finding says why, with its data."""

from kawal.cooperatives.models import Outlet
from kawal.potential import analysis
from kawal.potential.selectors import load_village_data
from kawal.potential.tests.conftest import ANGGANA


def _data(village):
    return load_village_data([village])[village.code]


def test_untapped_potential_when_no_one_serves_a_strong_commodity(fishing_village):
    village, coop, bumdes = fishing_village
    findings = analysis.analyse(_data(village))
    untapped = [f for f in findings if f.kind == analysis.BELUM_DIGARAP]
    assert len(untapped) == 1
    text = untapped[0].text
    assert "Udang tambak" in text and "Rp16.000.000.000" in text and "200" in text
    assert analysis.village_status(_data(village), findings) == analysis.BELUM_DIGARAP


def test_same_category_is_an_overlap_and_the_bumdes_runs_it_well(fishing_village):
    village, coop, bumdes = fishing_village
    Outlet.objects.create(cooperative=coop, outlet_type="sembako", kbli="47112", status="rencana")
    findings = analysis.analyse(_data(village))
    overlap = [f for f in findings if f.kind == analysis.TUMPANG_TINDIH]
    assert len(overlap) == 1
    assert "BUMDes Maju Bersama" in overlap[0].text and "Toko desa" in overlap[0].text
    assert "menyerahkan lini ini" in overlap[0].text
    assert analysis.village_status(_data(village), findings) == analysis.TUMPANG_TINDIH


def test_same_kbli_is_an_overlap_even_in_another_category(fishing_village, admin_user):
    from kawal.potential import services

    village, coop, bumdes = fishing_village
    services.bumdes_unit_save(
        actor=admin_user,
        bumdes=bumdes,
        name="Angkutan",
        category="lainnya",
        kbli="52291",
        is_active=True,
        runs_well=False,
    )
    Outlet.objects.create(cooperative=coop, outlet_type="logistik", kbli="52291", status="rencana")
    kinds = [f.kind for f in analysis.analyse(_data(village))]
    assert analysis.TUMPANG_TINDIH in kinds


def test_kmp_line_the_bumdes_lacks_is_a_complement(fishing_village):
    village, coop, bumdes = fishing_village
    Outlet.objects.create(cooperative=coop, outlet_type="cold_storage", status="pembangunan")
    findings = analysis.analyse(_data(village))
    complement = [f for f in findings if f.kind == analysis.PELENGKAP]
    assert len(complement) == 1 and "BUMDes Maju Bersama" in complement[0].text
    # cold storage now serves the shrimp: no untapped potential any more
    assert analysis.BELUM_DIGARAP not in {f.kind for f in findings}


def test_inactive_bumdes_units_do_not_count(fishing_village):
    village, coop, bumdes = fishing_village
    bumdes.is_active = False
    bumdes.save()
    Outlet.objects.create(cooperative=coop, outlet_type="sembako", status="beroperasi")
    findings = analysis.analyse(_data(village))
    assert {f.kind for f in findings} >= {analysis.PELENGKAP}
    assert analysis.TUMPANG_TINDIH not in {f.kind for f in findings}
    assert "tidak aktif" in [f for f in findings if f.kind == analysis.PELENGKAP][0].text


def test_bumdes_supplies_and_kmp_distributes_is_a_partnership(fishing_village, admin_user):
    from kawal.potential import services

    village, coop, bumdes = fishing_village
    services.bumdes_unit_save(
        actor=admin_user,
        bumdes=bumdes,
        name="Pengolahan udang",
        category="pengolahan",
        kbli="10213",
        is_active=True,
        runs_well=False,
    )
    Outlet.objects.create(cooperative=coop, outlet_type="logistik", status="rencana")
    partner = [f for f in analysis.analyse(_data(village)) if f.kind == analysis.KEMITRAAN]
    assert any("Pengolahan udang" in f.text and "menyalurkan" in f.text for f in partner)


def test_bumdes_running_a_standard_unit_well_suggests_partnership(fishing_village):
    village, coop, bumdes = fishing_village
    partner = [f for f in analysis.analyse(_data(village)) if f.kind == analysis.KEMITRAAN]
    assert len(partner) == 1 and "bermitra" in partner[0].text


def test_recommendations_follow_the_rules_with_reasons(fishing_village):
    village, coop, bumdes = fishing_village
    Outlet.objects.create(cooperative=coop, outlet_type="kantor", status="beroperasi")
    recs = analysis.recommend(_data(village), "")
    by_unit = {r.unit: r for r in recs}
    # the office already exists and is not ranked
    assert by_unit["kantor"].existing and not by_unit["kantor"].first
    assert recs[-1].unit == "kantor"
    # the BUMDes runs groceries well: the KMP stays out of it
    assert by_unit["sembako"].score < 0 and not by_unit["sembako"].first
    assert any("serahkan kepada BUMDes" in reason for _pts, reason in by_unit["sembako"].reasons)
    # shrimp needs cooling; no health facility argues for a clinic and pharmacy
    assert by_unit["cold_storage"].first
    assert any("Udang tambak" in reason for _pts, reason in by_unit["cold_storage"].reasons)
    assert by_unit["klinik"].score > 0 and by_unit["apotek"].first
    # every ranked unit explains itself
    assert all(r.reasons for r in recs)
    assert sum(r.first for r in recs) == 3


def test_not_ready_cooperative_waits_with_capital_heavy_units(fishing_village):
    village, coop, bumdes = fishing_village
    ready = {r.unit: r.score for r in analysis.recommend(_data(village), "siap")}
    weak = {r.unit: r.score for r in analysis.recommend(_data(village), "belum_siap")}
    assert weak["cold_storage"] == ready["cold_storage"] - 2
    assert weak["sembako"] == ready["sembako"]


def test_village_without_data_has_no_finding(region):
    village = region(ANGGANA)
    data = _data(village)
    assert analysis.analyse(data) == []
    assert analysis.village_status(data, []) == analysis.NO_DATA


def test_readiness_synergy_item_reads_the_overlap(fishing_village, admin_user):
    from kawal.readiness import resolvers

    village, coop, bumdes = fishing_village
    coop.village = village
    facts = resolvers.Facts(cooperative=coop)
    assert resolvers.resolve("bumdes_overlap", facts)[0] == 100
    Outlet.objects.create(cooperative=coop, outlet_type="sembako", status="rencana")
    score, why = resolvers.resolve("bumdes_overlap", facts)
    assert score == 0 and "Toko desa" in why
