import datetime

from kawal.training import selectors, services
from kawal.training.models import Module
from kawal.training.tests.conftest import START


def _train(admin_user, batch, officers):
    participants = services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[o.pk for o in officers], invited_on=START
    )
    for p in participants:
        for day in batch.days:
            services.attendance_set(actor=admin_user, participant=p, day=day, present=True)
    batch.refresh_from_db()
    services.batch_close(actor=admin_user, batch=batch, expected_version=batch.version)


def test_coverage_counts_cooperatives_with_two_trained_officers_per_kecamatan(
    admin_user, make_cooperative, make_officers, make_batch
):
    two = make_officers(make_cooperative("64.02.06.1001"), 3)
    one = make_officers(make_cooperative("64.02.06.1002"), 3)
    make_officers(make_cooperative("64.02.05.2006"), 3)
    _train(admin_user, make_batch(days=1), [two[0], two[1], one[0]])

    rows = {r["code"]: r for r in selectors.coverage_by_district(user=admin_user)["rows"]}

    assert rows["64.02.06"]["cooperatives"] == 2
    assert rows["64.02.06"]["covered"] == 1
    assert rows["64.02.06"]["pct"] == 50
    assert rows["64.02.06"]["trained"] == 3
    assert rows["64.02.05"]["covered"] == 0
    assert rows["64.02.05"]["untrained"] == 3


def test_an_officer_present_only_part_of_the_batch_is_not_trained(
    admin_user, make_cooperative, make_officers, make_batch
):
    officers = make_officers(make_cooperative("64.02.06.1001"), 2)
    batch = make_batch(days=2)
    participants = services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[o.pk for o in officers], invited_on=START
    )
    for p in participants:
        services.attendance_set(actor=admin_user, participant=p, day=START, present=True)
    batch.refresh_from_db()
    services.batch_close(actor=admin_user, batch=batch, expected_version=batch.version)

    rows = selectors.coverage_by_district(user=admin_user)["rows"]
    assert rows[0]["covered"] == 0 and rows[0]["trained"] == 0


def test_needs_explain_their_source_consultations_and_untrained_officers(
    admin_user, make_cooperative, make_officers
):
    from kawal.mentoring import services as mentoring_services

    coop = make_cooperative("64.02.06.1001")
    make_officers(coop, 2)
    mentoring_services.consultation_create(
        actor=admin_user,
        cooperative=coop,
        visitor_name="Bu Sari",
        visitor_role="pengurus",
        topic="pajak",
        question="Bagaimana lapor SPT koperasi?",
        date=datetime.date.today() - datetime.timedelta(days=10),
    )

    entry = selectors.needs_for(user=admin_user, cooperatives=[coop])[coop.pk]

    sources = {(n.module, n.source) for n in entry.needs}
    assert (Module.TAX, selectors.SOURCE_CONSULTATION) in sources
    assert (None, selectors.SOURCE_UNTRAINED) in sources
    untrained = next(n for n in entry.needs if n.source == selectors.SOURCE_UNTRAINED)
    assert "Petugas" in untrained.explanation
    assert len(entry.untrained) == 2


def test_readiness_gaps_become_needs_with_the_item_named(
    admin_user, make_cooperative, make_officers
):
    from kawal.readiness import services as readiness_services
    from kawal.readiness.models import Item

    readiness_services.instrument_create_default(actor=admin_user, region_code="64.02")
    coop = make_cooperative("64.02.06.1001")
    assessment = readiness_services.assessment_create(
        actor=admin_user, cooperative=coop, assessed_on=datetime.date(2025, 10, 1)
    )
    for row in assessment.scores.select_related("item"):
        if row.item.method == Item.Method.MANUAL:
            readiness_services.item_score_save(
                actor=admin_user, assessment=assessment, item_score=row, score=25, comment="x"
            )
    readiness_services.assessment_submit(actor=admin_user, assessment=assessment)

    entry = selectors.needs_for(user=admin_user, cooperatives=[coop])[coop.pk]

    readiness = [n for n in entry.needs if n.source == selectors.SOURCE_READINESS]
    assert readiness
    assert all("(25)" in n.explanation or "(0)" in n.explanation for n in readiness)


def test_proposals_fill_the_seats_from_the_least_covered_cooperatives(
    admin_user, make_cooperative, make_officers, make_batch
):
    covered = make_officers(make_cooperative("64.02.06.1001"), 4)
    bare = make_officers(make_cooperative("64.02.06.1002"), 4)
    make_officers(make_cooperative("64.02.05.2006"), 4)  # another kecamatan: never proposed
    _train(admin_user, make_batch(days=1), covered[:2])
    batch = make_batch(capacity=3, start=START + datetime.timedelta(days=30))

    proposed = selectors.proposals(user=admin_user, batch=batch)

    assert len(proposed) == 3
    assert [p.officer.pk for p in proposed[:2]] == [bare[0].pk, bare[1].pk]
    assert all(p.cooperative.village.district_code == "64.02.06" for p in proposed)
    assert not {p.officer.pk for p in proposed} & {covered[0].pk, covered[1].pk}


def test_next_batch_for_a_kecamatan_is_shown_with_the_needs(
    admin_user, make_cooperative, make_officers, make_batch
):
    coop = make_cooperative("64.02.06.1001")
    make_officers(coop, 1)
    batch = make_batch(start=datetime.date.today() + datetime.timedelta(days=7))

    entry = selectors.needs_for(user=admin_user, cooperatives=[coop])[coop.pk]

    assert entry.next_batch == batch
