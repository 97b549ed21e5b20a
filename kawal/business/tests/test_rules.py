"""The status and score rules, the report checks and the deadlines, as plain functions."""

import datetime

import pytest
from django.utils import translation

from kawal.business import rules
from kawal.business.rules import MonthFacts


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_no_open_outlet_is_not_operating_yet_whatever_the_revenue():
    status, reason = rules.activity_status(MonthFacts(0, [5, 6, 7], [1, 2, 3]))
    assert status == rules.BELUM
    assert "No outlet" in rules.explain(status, reason)


def test_open_outlet_without_verified_revenue_for_two_months_is_dormant():
    status, reason = rules.activity_status(MonthFacts(2, [100, None, 0], [10, 10, 10]))
    assert status == rules.VAKUM
    assert reason["months"] == 2
    assert "2" in rules.explain(status, reason)


def test_revenue_in_one_of_the_last_two_months_keeps_it_operating():
    status, _ = rules.activity_status(MonthFacts(1, [None, 0, 500], [10, 10, 10]))
    assert status == rules.BEROPERASI


def test_revenue_and_members_rising_over_three_months_is_growing():
    status, reason = rules.activity_status(MonthFacts(1, [100, 200, 300], [10, 10, 12]))
    assert status == rules.BERKEMBANG
    sentence = rules.explain(status, reason)
    assert "Rp100" in sentence and "Rp300" in sentence


def test_rising_revenue_with_flat_members_is_only_operating():
    status, _ = rules.activity_status(MonthFacts(1, [100, 200, 300], [10, 10, 10]))
    assert status == rules.BEROPERASI


def test_rules_follow_the_configured_thresholds(settings):
    settings.KAWAL_BUSINESS = {"vacant_months": 3}
    assert rules.activity_status(MonthFacts(1, [5, 0, 0], [1, 1, 1]))[0] == rules.BEROPERASI
    settings.KAWAL_BUSINESS = {"vacant_months": 2}
    assert rules.activity_status(MonthFacts(1, [5, 0, 0], [1, 1, 1]))[0] == rules.VAKUM


def test_every_status_explains_itself_in_one_sentence():
    for facts in (
        MonthFacts(0, [None] * 3, [None] * 3),
        MonthFacts(1, [None] * 3, [None] * 3),
        MonthFacts(1, [1, 2, 3], [1, 2, 3]),
        MonthFacts(1, [3, 2, 1], [1, 1, 1]),
    ):
        sentence = rules.explain(*rules.activity_status(facts))
        assert sentence.endswith(".") and sentence.count(". ") == 0


def test_no_data_is_left_out_of_the_score_never_scored_zero():
    items = rules.score_items({"rat": "on_time", "board_complete": True})
    assert [i["points"] for i in items if i["code"] == "margin"] == [None]
    assert rules.total_score(items) is None  # two items with data are too few
    items = rules.score_items(
        {"rat": "on_time", "board_complete": True, "profit": 10, "revenue_month": 100}
    )
    assert rules.total_score(items) == 100  # three items, all full; the rest do not count


def test_score_items_award_full_half_or_nothing_by_their_rule():
    items = {
        i["code"]: i["points"]
        for i in rules.score_items(
            {
                "rat": "late",
                "board_complete": False,
                "on_time": (2, 3),
                "loans": 1000,
                "arrears": 80,
                "revenue": [300, 200, 100],
                "profit": 1,
                "revenue_month": 100,
                "savings_now": 50,
                "savings_before": 50,
                "members": 31,
                "households": 100,
            }
        )
    }
    assert items == {
        "rat_on_time": 5,
        "board_complete": 0,
        "reports_on_time": 10,
        "arrears": 5,
        "revenue_trend": 0,
        "margin": 7,
        "savings_growth": 5,
        "member_coverage": 15,
    }


def test_score_uses_integer_arithmetic_and_rounds_half_up():
    items = [
        {"code": "a", "points": 1, "max": 2},
        {"code": "b", "points": 0, "max": 2},
        {"code": "c", "points": 0, "max": 4},
    ]
    assert rules.total_score(items) == 13  # 12.5 → 13
    assert isinstance(rules.total_score(items), int)


def test_margin_threshold_is_exact_on_large_rupiah_amounts():
    # 5% of Rp 10 trillion exactly: no float rounding may move it below the threshold.
    big = 10_000_000_000_000
    item = next(
        i
        for i in rules.score_items({"profit": big // 20, "revenue_month": big})
        if i["code"] == "margin"
    )
    assert item["points"] == item["max"]


def test_profit_not_equal_to_revenue_minus_costs_is_flagged():
    lines = [{"label": "Sembako", "revenue": 100, "cogs": 60, "operating_cost": 10, "profit": 50}]
    flags = rules.report_flags({}, lines, None)
    assert [f["code"] for f in flags] == ["profit_mismatch"]
    assert flags[0]["params"]["expected"] == 30
    assert "Rp30" in rules.flag_text(flags[0])


def test_jump_of_more_than_five_times_is_flagged_but_five_times_is_not():
    lines = [{"label": "x", "revenue": 501, "cogs": 0, "operating_cost": 0, "profit": 501}]
    assert "revenue_jump" in [
        f["code"] for f in rules.report_flags({}, lines, {"revenue": 100, "members_total": None})
    ]
    lines[0]["revenue"] = lines[0]["profit"] = 500
    assert rules.report_flags({}, lines, {"revenue": 100, "members_total": None}) == []


def test_members_that_do_not_add_up_are_flagged():
    flags = rules.report_flags(
        {"members_joined": 5, "members_left": 1, "members_total": 110}, [], {"members_total": 100}
    )
    assert [f["code"] for f in flags] == ["members_mismatch"]


def test_rat_is_due_six_months_after_the_fiscal_year_and_quorum_is_more_than_half():
    assert rules.rat_due(2025) == datetime.date(2026, 6, 30)
    assert rules.rat_quorum(100) == 51
    assert rules.rat_quorum(101) == 51


def test_a_month_is_late_only_after_its_due_day():
    assert rules.report_due(datetime.date(2026, 5, 1)) == datetime.date(2026, 6, 10)
    assert rules.last_due_month(datetime.date(2026, 6, 10)) == datetime.date(2026, 4, 1)
    assert rules.last_due_month(datetime.date(2026, 6, 11)) == datetime.date(2026, 5, 1)
