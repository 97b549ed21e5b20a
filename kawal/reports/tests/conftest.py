"""A small world for the leaders' view: KMP in two kecamatan of Kukar at different phases, built
through the other apps' models (factories) so the tests can count by hand what the dashboard
must show."""

import datetime

import pytest
from django.utils import timezone

from kawal.core.scope import Role

TENGGARONG = "64.02.06"
MUARA_BADAK = "64.02.05"
# Villages of Tenggarong (6) and Muara Badak (3).
T_VILLAGES = [
    "64.02.06.1001",
    "64.02.06.1002",
    "64.02.06.1003",
    "64.02.06.1004",
    "64.02.06.1005",
    "64.02.06.1006",
]
M_VILLAGES = ["64.02.05.2001", "64.02.05.2002", "64.02.05.2003"]


@pytest.fixture
def world(make_cooperative, make_agency, make_followup, admin_user):
    """Nine KMP; the phases each reaches are listed in `reached` for hand counting."""
    from kawal.business import rules
    from kawal.business.models import MonthlyStatus
    from kawal.cooperatives.models import Outlet
    from kawal.formation.models import StepRecord
    from kawal.mentoring.models import Visit
    from kawal.operations.models import Loan, Partner, Partnership
    from kawal.readiness import services as readiness
    from kawal.readiness.models import Assessment
    from kawal.reports.selectors import status_month

    today = timezone.localdate()
    coops = {code: make_cooperative(code) for code in T_VILLAGES + M_VILLAGES}
    instrument = readiness.instrument_create_default(actor=admin_user, region_code="64.02")
    bank = Partner.objects.create(name="Bank Uji", kind="bank", region_id="64.02")
    bulog = Partner.objects.create(name="Bulog Uji", kind="bulog", region_id="64.02")

    def done(coop, step):
        StepRecord.objects.create(cooperative=coop, step=step, status="selesai", completed_on=today)

    # Legal entity (sk_ahu) for 5 in Tenggarong and 2 in Muara Badak; NPWP for 4; NIB for 3.
    legal = T_VILLAGES[:5] + M_VILLAGES[:2]
    for code in legal:
        done(coops[code], "sk_ahu")
    for code in legal[:4]:
        done(coops[code], "npwp")
    for code in legal[:3]:
        done(coops[code], "nib")
    # An open (not done) step does not count.
    StepRecord.objects.create(cooperative=coops[M_VILLAGES[2]], step="sk_ahu", status="proses")
    # Readiness: latest counted assessment "siap" for 2; one was siap, then belum_siap (not).
    for code, cats in [
        (T_VILLAGES[0], ["siap"]),
        (T_VILLAGES[1], ["belum_siap", "siap"]),
        (T_VILLAGES[2], ["siap", "belum_siap"]),
    ]:
        for i, cat in enumerate(cats):
            Assessment.objects.create(
                cooperative=coops[code],
                instrument=instrument,
                assessed_on=today - datetime.timedelta(days=30 - i),
                status="verified",
                category=cat,
            )
    # A draft "siap" does not count.
    Assessment.objects.create(
        cooperative=coops[T_VILLAGES[3]],
        instrument=instrument,
        assessed_on=today,
        status="draft",
        category="siap",
    )
    # Outlets: open for 3 (one with two open outlets), building for 1.
    for code in T_VILLAGES[:2] + M_VILLAGES[:1]:
        Outlet.objects.create(cooperative=coops[code], outlet_type="sembako", status="beroperasi")
    Outlet.objects.create(
        cooperative=coops[T_VILLAGES[0]], outlet_type="apotek", status="beroperasi"
    )
    Outlet.objects.create(
        cooperative=coops[T_VILLAGES[3]], outlet_type="sembako", status="pembangunan"
    )
    # Partnerships: active for 2, pending for 1.
    for code, stage in [
        (T_VILLAGES[0], "aktif"),
        (M_VILLAGES[0], "aktif"),
        (T_VILLAGES[1], "diajukan"),
    ]:
        Partnership.objects.create(
            cooperative=coops[code], partner=bulog, covers="beras", stage=stage, stage_since=today
        )
    # Loans: disbursed for 1, repaying for 1, submitted for 1.
    for code, status in [
        (T_VILLAGES[0], "dicairkan"),
        (T_VILLAGES[1], "angsuran"),
        (M_VILLAGES[0], "diajukan"),
    ]:
        Loan.objects.create(
            cooperative=coops[code],
            bank=bank,
            amount_requested=100_000_000,
            status=status,
            status_since=today,
        )
    # Business status of the dashboard's month: operating 2 (one growing), vakum 1.
    month = status_month(today)
    for code, status in [
        (T_VILLAGES[0], rules.BERKEMBANG),
        (T_VILLAGES[1], rules.BEROPERASI),
        (M_VILLAGES[0], rules.VAKUM),
    ]:
        MonthlyStatus.objects.create(cooperative=coops[code], month=month, status=status)
    # Contact: a visit 10 days ago for 2, 45 days ago for 1; the rest never.
    for code, days in [(T_VILLAGES[0], 10), (M_VILLAGES[0], 10), (T_VILLAGES[1], 45)]:
        Visit.objects.create(
            cooperative=coops[code],
            mentor=admin_user,
            visit_date=today - datetime.timedelta(days=days),
        )
    # Follow-ups: two overdue for DPMD (one in Tenggarong, one regency-wide), one for Bappeda in
    # Muara Badak, one not yet due.
    dpmd = make_agency("dpmd")
    bappeda = make_agency("bappeda")
    late = today - datetime.timedelta(days=5)
    for agency, region in [(dpmd, T_VILLAGES[0]), (dpmd, "64.02"), (bappeda, M_VILLAGES[0])]:
        f = make_followup(agency, region_code=region)
        type(f).objects.filter(pk=f.pk).update(due_date=late)
    make_followup(dpmd, region_code=T_VILLAGES[1])
    return {"coops": coops, "today": today, "dpmd": dpmd, "bappeda": bappeda}


@pytest.fixture
def sekda(make_user):
    return make_user(Role.PIMPINAN, "64.02", username="sekda-test")


@pytest.fixture
def camat(make_user):
    return make_user(Role.CAMAT, TENGGARONG, username="camat-test")
