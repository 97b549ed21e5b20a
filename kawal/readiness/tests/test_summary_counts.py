"""The readiness summary counts each cooperative once, by its latest submitted or verified
assessment, in SQL and in a fixed number of queries (docs/performance.md)."""

import datetime

from kawal.readiness import selectors
from kawal.readiness.models import Assessment


def _assessment(coop, instrument, day, status, category):
    return Assessment.objects.create(
        cooperative=coop,
        instrument=instrument,
        assessed_on=day,
        status=status,
        score={"siap": 85, "perlu_penguatan": 65, "belum_siap": 40}.get(category),
        category=category,
    )


def test_summary_counts_each_cooperative_by_its_latest_counted_assessment(
    admin_user, instrument, make_cooperative, django_assert_max_num_queries
):
    # given: a history per cooperative (a later draft does not count; a same-day pair is
    # decided by the later record)
    day = datetime.date(2026, 3, 1)
    later = day + datetime.timedelta(days=30)
    a = make_cooperative("64.02.06.1001")
    _assessment(a, instrument, day, "verified", "siap")
    _assessment(a, instrument, later, "submitted", "belum_siap")
    b = make_cooperative("64.02.06.1002")
    _assessment(b, instrument, day, "verified", "perlu_penguatan")
    _assessment(b, instrument, later, "draft", "siap")
    c = make_cooperative("64.02.01.2001")
    _assessment(c, instrument, day, "verified", "belum_siap")
    _assessment(c, instrument, day, "verified", "siap")
    make_cooperative("64.02.01.2002")  # never assessed
    expected = {}
    for coop in (a, b, c):
        latest = (
            coop.assessments.filter(status__in=selectors.COUNTED)
            .order_by("-assessed_on", "-id")
            .first()
        )
        expected[coop.pk] = latest.category
    # when
    with django_assert_max_num_queries(2):
        summary = selectors.readiness_summary(user=admin_user)
    # then
    assert summary["totals"] == {
        "siap": list(expected.values()).count("siap"),
        "perlu_penguatan": list(expected.values()).count("perlu_penguatan"),
        "belum_siap": list(expected.values()).count("belum_siap"),
        selectors.NOT_ASSESSED: 1,
    }
    assert summary["total"] == 4
    rows = {r["code"]: r["counts"] for r in summary["rows"]}
    # order: siap, perlu penguatan, belum siap, not assessed
    assert rows == {"64.02.06": [0, 1, 1, 0], "64.02.01": [1, 0, 0, 1]}
    assert summary["pending"] == 1
    # and the home page's cards (one query, no row per kecamatan) say the same
    with django_assert_max_num_queries(1):
        assert selectors.readiness_totals(user=admin_user) == summary["totals"]
