"""Scoring: automatic items from the registry, manual items on the 0–100 scale, never 0 for
"not assessed"."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kawal.core.models import AuditEvent
from kawal.readiness import services
from kawal.readiness.models import ItemScore, category_for
from kawal.readiness.tests.conftest import DAY, score_all_manual


class FakeArea:
    def __init__(self, code, weight, items):
        self.code, self.weight, self._items = code, weight, items

    class _Items(list):
        def all(self):
            return self

    @property
    def items(self):
        return self._Items(self._items)


class FakeItem:
    def __init__(self, pk, weight):
        self.pk, self.weight = pk, weight


def test_compute_skips_unanswered_items_and_never_invents_zero():
    # given two areas; the second has nothing answered
    areas = [
        FakeArea("a", 60, [FakeItem(1, 50), FakeItem(2, 50)]),
        FakeArea("b", 40, [FakeItem(3, 100)]),
    ]
    # when only item 1 is scored
    area_scores, overall = services.compute(areas, {1: 80, 2: None, 3: None})
    # then area a is 80 (item 2 drops out), area b has no score, overall is from a only
    assert area_scores == {"a": 80.0, "b": None}
    assert overall == Decimal("80.0")
    # and with nothing answered there is no score at all
    assert services.compute(areas, {}) == ({"a": None, "b": None}, None)


def test_compute_weights_areas_and_items():
    areas = [
        FakeArea("a", 60, [FakeItem(1, 25), FakeItem(2, 75)]),
        FakeArea("b", 40, [FakeItem(3, 100)]),
    ]
    area_scores, overall = services.compute(areas, {1: 100, 2: 0, 3: 50})
    assert area_scores == {"a": 25.0, "b": 50.0}
    assert overall == Decimal("35.0")  # 0.6 × 25 + 0.4 × 50


def test_categories_follow_thresholds():
    assert category_for(None) == ""
    assert category_for(Decimal("80")) == "siap"
    assert category_for(Decimal("75")) == "siap"
    assert category_for(Decimal("74.9")) == "perlu_penguatan"
    assert category_for(Decimal("50")) == "perlu_penguatan"
    assert category_for(Decimal("10")) == "belum_siap"


def test_automatic_items_read_the_registry(admin_user, instrument, coop):
    from kawal.cooperatives.models import Officer, Outlet
    from kawal.formation.models import StepRecord

    # given a cooperative with SK AHU done, bank account in process, 3 of 5 pengurus, an office
    StepRecord.objects.create(cooperative=coop, step="sk_ahu", status="selesai")
    StepRecord.objects.create(cooperative=coop, step="rekening", status="proses")
    for position, sex in (("ketua", "L"), ("sekretaris", "P"), ("bendahara", "P")):
        Officer.objects.create(
            cooperative=coop, body="pengurus", position=position, name=position, sex=sex
        )
    Officer.objects.create(
        cooperative=coop,
        body="pengawas",
        position="ketua_pengawas",
        name="Kades",
        sex="L",
        is_village_head=True,
    )
    Outlet.objects.create(
        cooperative=coop,
        outlet_type="kantor",
        status="beroperasi",
        land_area_m2=1200,
        land_ownership="desa",
    )
    # when an assessment starts
    assessment = services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    scores = {s.item.code: s for s in assessment.scores.select_related("item")}
    # then the automatic items carry scores and explanations from the data
    assert scores["badan_hukum"].score == 100
    assert scores["rekening"].score == 50
    assert scores["pengurus_lengkap"].score == 60
    assert scores["pengurus_patuh"].score == 100
    assert scores["pengawas"].score == 50
    assert "1" in scores["pengawas"].explanation
    assert scores["kantor"].score == 100
    assert scores["lahan_gerai"].score == 100
    # manual items wait for the assessor: not 0
    assert scores["ad_art"].score is None
    # the synergy item is not applicable without a BUMDes (tests load the potential resolver)
    assert scores["tanpa_tumpang_tindih"].score is None
    assert assessment.score is not None  # provisional, from the answered items


def test_board_rules_lower_the_compliance_score(admin_user, instrument, coop):
    from kawal.cooperatives.models import Officer

    Officer.objects.create(
        cooperative=coop,
        body="pengurus",
        position="ketua",
        name="A",
        sex="L",
        is_village_official=True,
    )
    Officer.objects.create(
        cooperative=coop,
        body="pengurus",
        position="bendahara",
        name="B",
        sex="L",
        is_bpd_member=True,
    )
    assessment = services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    row = assessment.scores.get(item__code="pengurus_patuh")
    # official, BPD member, no woman, even number: four problems
    assert row.score == 0
    assert "BPD" in row.explanation


def test_manual_score_outside_the_scale_is_refused_and_nothing_changes(
    admin_user, instrument, coop
):
    assessment = services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    row = assessment.scores.get(item__code="ad_art")
    events = AuditEvent.objects.count()
    for bad in (30, 101, -25, "banyak"):
        with pytest.raises(ValidationError) as error:
            services.item_score_save(
                actor=admin_user, assessment=assessment, item_score=row, score=bad
            )
        assert "0, 25, 50, 75" in str(error.value)
    row.refresh_from_db()
    assert row.score is None
    assert AuditEvent.objects.count() == events


def test_automatic_items_cannot_be_overwritten_by_hand(admin_user, instrument, coop):
    assessment = services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    row = assessment.scores.get(item__code="badan_hukum")
    with pytest.raises(ValidationError):
        services.item_score_save(actor=admin_user, assessment=assessment, item_score=row, score=100)


def test_submit_needs_every_manual_item(admin_user, instrument, coop):
    assessment = services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(actor=admin_user, assessment=assessment)
    assert "AD/ART" in str(error.value)
    assessment.refresh_from_db()
    assert assessment.status == "draft"


def test_submitted_scores_give_area_scores_and_category(admin_user, instrument, coop):
    assessment = services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    score_all_manual(assessment, admin_user, 100)
    services.assessment_submit(actor=admin_user, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    assert set(assessment.area_scores) == {"kelembagaan", "usaha", "keuangan", "sinergi_bumdes"}
    assert assessment.area_scores["sinergi_bumdes"] == 100.0  # only the manual item applies
    assert assessment.category == category_for(assessment.score)
    assert ItemScore.objects.filter(assessment=assessment, score__isnull=True).count() == 1
    # a submitted assessment is frozen
    row = assessment.scores.get(item__code="ad_art")
    with pytest.raises(ValidationError):
        services.item_score_save(actor=admin_user, assessment=assessment, item_score=row, score=0)


def test_future_date_is_refused(admin_user, instrument, coop):
    import datetime

    with pytest.raises(ValidationError):
        services.assessment_create(
            actor=admin_user,
            cooperative=coop,
            assessed_on=datetime.date.today() + datetime.timedelta(days=3),
        )
