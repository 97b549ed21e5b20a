import pytest

from kawal.events import planner, selectors
from kawal.events.planner import District, Inputs, Tier

COSTS = {
    "meal": 50_000,
    "venue": 20_000_000,
    "data_package": 25_000,
    "nobar": 2_000_000,
    "nobar_meal": 20_000,
    "local_transport": 30_000,
    "default_transport": 150_000,
}
TIERS = [Tier("Meeting 100", 100, 300_000), Tier("Meeting 1000", 1_000, 3_000_000)]


def _inputs(**changes):
    data = dict(
        districts=[
            District("64.02.05", "Muara Badak", 13, 200_000, 1, 60),
            District("64.02.06", "Tenggarong", 14, None, 1, 30),
        ],
        delegates=3,
        agencies=10,
        agency_delegates=2,
        officials=12,
        costs=COSTS,
        tiers=TIERS,
        main_capacity=500,
    )
    data.update(changes)
    return Inputs(**data)


def test_expected_participants_are_cooperatives_times_delegates_plus_guests():
    plan = planner.plan(_inputs())
    # (13 + 14) × 3 = 81 delegates; 10 × 2 = 20 agency delegates; 12 officials
    assert plan.cooperative_people == 81 and plan.guest_people == 32 and plan.total_people == 113
    assert "81 + 20 + 12 = 113" in plan.participants[-1].arithmetic


def test_offline_cost_is_transport_per_kecamatan_plus_meals_plus_venue():
    offline = planner.plan(_inputs()).options[0]
    # 39 × 200,000 + 42 × 150,000 (default rate) + 113 × 50,000 + 20,000,000
    assert offline.total == 39 * 200_000 + 42 * 150_000 + 113 * 50_000 + 20_000_000
    assert offline.feasible


def test_online_takes_the_cheapest_tier_that_holds_everyone():
    online = planner.plan(_inputs()).options[1]
    assert online.lines[0].label.endswith("Meeting 1000")
    assert online.total == 3_000_000 + 113 * 25_000


def test_hybrid_costs_watch_points_and_flags_those_too_small():
    hybrid = planner.plan(_inputs()).options[2]
    # two watch points, 81 delegates there, 3 connections (2 points + main) fit "Meeting 100",
    # guests at the main venue: 32 meals + the venue
    expected = 2 * 2_000_000 + 81 * (20_000 + 30_000) + 300_000 + 32 * 50_000 + 20_000_000
    assert hybrid.total == expected
    # Tenggarong: 42 delegates, 30 seats
    assert not hybrid.feasible and "Tenggarong" in hybrid.problems[0]


def test_recommendation_is_the_cheapest_feasible_format_with_the_difference_shown():
    plan = planner.plan(_inputs())
    assert plan.recommended.key == "online"
    assert "online" in plan.reason.lower() or "daring" in plan.reason.lower()


def test_nothing_fits_when_no_tier_is_large_enough_and_the_venue_is_small():
    plan = planner.plan(_inputs(tiers=[Tier("Tiny", 10, 0)], main_capacity=50))
    assert plan.recommended is None
    assert all(not o.feasible for o in plan.options)


def test_a_view_only_tier_is_skipped_when_participants_must_speak():
    tiers = [Tier("Stream", 1_000_000, 0, interactive=False), *TIERS]
    assert planner.plan(_inputs(tiers=tiers)).options[1].total == 113 * 25_000
    speaking = planner.plan(_inputs(tiers=tiers, interactive=True)).options[1]
    assert speaking.total == 3_000_000 + 113 * 25_000


@pytest.mark.django_db
def test_plan_inputs_count_the_roster_per_kecamatan(
    admin_user, make_cooperative, make_agency, make_event, make_venue
):
    # given three cooperatives in two kecamatan, an agency, and a watch point of 40 seats
    make_cooperative("64.02.06.1001")
    make_cooperative("64.02.06.1002")
    make_cooperative("64.02.07.2001")
    make_agency("dpmd")
    event = make_event("hybrid")
    make_venue(event, capacity=40, district_code="64.02.06")
    inputs = selectors.plan_inputs(
        user=admin_user,
        event=event,
        scope_code="64.02",
        delegates=3,
        agency_delegates=2,
        officials=None,
    )
    by_code = {d.code: d for d in inputs.districts}
    assert by_code["64.02.06"].cooperatives == 2 and by_code["64.02.06"].watch_capacity == 40
    assert by_code["64.02.07"].cooperatives == 1
    assert by_code["64.02.07"].watch_capacity == planner.NOBAR_CAPACITY  # assumed, no point yet
    assert inputs.agencies == 1
    assert inputs.officials == 10 + 20  # leaders + one camat per kecamatan of Kukar
