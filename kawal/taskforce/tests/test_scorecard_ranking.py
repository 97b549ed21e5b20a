"""The scorecard ranks rakor decisions and other follow-ups separately, by a rule that does not
reward a tiny sample, and says its rule on the page; the meeting page shows decisions first."""

import datetime

import pytest
from django.utils import timezone

from kawal.followups import services as followup_services
from kawal.followups.models import FollowUp
from kawal.taskforce import selectors

pytestmark = pytest.mark.django_db


def _done_on_time(admin_user, followup):
    followup_services.evidence_add(actor=admin_user, followup=followup, note="bukti")
    followup_services.followup_set_status(actor=admin_user, followup=followup, status="selesai")


def test_one_task_done_does_not_outrank_ninety_of_a_hundred(admin_user, make_agency, make_followup):
    # given BPKAD with one follow-up done on time, DPMD with 90 of 100 done on time
    bpkad, dpmd = make_agency("bpkad"), make_agency("dpmd")
    _done_on_time(admin_user, make_followup(bpkad))
    for i in range(100):
        f = make_followup(dpmd, title=f"t{i}")
        if i < 90:
            _done_on_time(admin_user, f)
    # when ranked
    today = timezone.localdate()
    cards = selectors.scorecard(
        user=admin_user, date_from=today - datetime.timedelta(days=1), date_to=today
    )
    # then DPMD (92/104 ≈ 88%) ranks above BPKAD (3/5 = 60%) although BPKAD's raw rate is 100%
    assert [c["agency"].code for c in cards] == ["dpmd", "bpkad"]
    by = {c["agency"].code: c for c in cards}
    assert by["bpkad"]["on_time_rate"] == 100
    assert by["bpkad"]["score"] == pytest.approx(60)
    assert by["dpmd"]["score"] == pytest.approx(100 * 92 / 104)


def test_decisions_and_other_followups_are_ranked_apart(admin_user, make_agency, make_followup):
    dpmd = make_agency("dpmd")
    make_followup(dpmd, title="dari kunjungan")
    decision = make_followup(dpmd, title="keputusan rakor")
    FollowUp.objects.filter(pk=decision.pk).update(source_kind=FollowUp.SourceKind.MEETING)
    today = timezone.localdate()
    period = {"user": admin_user, "date_from": today, "date_to": today}

    decisions = selectors.scorecard(**period, kind=selectors.ScorecardKind.DECISIONS)
    others = selectors.scorecard(**period, kind=selectors.ScorecardKind.OTHER)

    assert [c["assigned"] for c in decisions] == [1]
    assert [c["assigned"] for c in others] == [1]
    totals = selectors.scorecard_totals(decisions + others)
    assert totals["assigned"] == 2


def test_scorecard_page_shows_both_rankings_and_its_rule(client, admin_user, make_agency):
    make_agency("dpmd")
    client.force_login(admin_user)
    body = client.get("/satgas/kinerja/").content.decode()
    assert "Keputusan rakor" in body and "Tindak lanjut lainnya" in body
    assert "(selesai tepat waktu + 2) ÷ (ditugaskan + 4)" in body


def test_meeting_page_shows_decisions_before_the_agenda(client, admin_user, make_meeting):
    meeting = make_meeting()
    client.force_login(admin_user)
    body = client.get(f"/satgas/rapat/{meeting.pk}/").content.decode()
    assert body.index('id="keputusan"') < body.index('id="agenda"') < body.index('id="undangan"')
