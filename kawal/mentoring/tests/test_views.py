"""Pages: scope, the caseload-only view of a BA, htmx partials, query ceilings, uploads."""

import datetime
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kawal.core.scope import Role
from kawal.followups.models import FollowUp
from kawal.mentoring import services
from kawal.mentoring.models import (
    ChecklistItem,
    Consultation,
    Mentor,
    MonthlyReport,
    Visit,
    VisitPhoto,
)
from kawal.mentoring.tests.conftest import png_bytes
from kawal.regions.models import Region

TODAY = timezone.localdate


def _visit(actor, coop, **kw):
    kw.setdefault("visit_date", TODAY())
    kw.setdefault("purpose", "Monitoring")
    return services.visit_record(actor=actor, cooperative=coop, **kw)


def _post_visit(client, coop, **extra):
    data = {
        "cooperative": coop.pk,
        "visit_date": TODAY().isoformat(),
        "purpose": "Pendampingan",
        "findings": "Buku kas kosong",
        "recommendations-TOTAL_FORMS": "2",
        "recommendations-INITIAL_FORMS": "0",
        "recommendations-MIN_NUM_FORMS": "0",
        "recommendations-MAX_NUM_FORMS": "10",
        "lat": "",
        "lng": "",
    }
    data.update(extra)
    return client.post("/pendampingan/kunjungan/baru/", data)


def test_ba_records_a_visit_with_photo_and_recommendation_through_the_form(
    client, ba, coop, agency
):
    client.force_login(ba)
    due = (TODAY() + datetime.timedelta(days=10)).isoformat()
    response = _post_visit(
        client,
        coop,
        photos=SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"),
        **{
            "recommendations-0-text": "Isi buku kas",
            "recommendations-0-owner_agency": agency.pk,
            "recommendations-0-due_date": due,
            "lat": str(coop.village.lat),
            "lng": str(coop.village.lng),
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url == f"/pendampingan/kunjungan/{visit.pk}/"
    assert FollowUp.objects.get().source == visit
    photo = VisitPhoto.objects.get()
    served = client.get(f"/pendampingan/kunjungan/{visit.pk}/foto/{photo.pk}/")
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    page = client.get(f"/pendampingan/kunjungan/{visit.pk}/")
    assert b"Isi buku kas" in page.content


def test_form_shows_clear_errors_for_fake_photo_future_date_and_foreign_gps(client, ba, coop):
    client.force_login(ba)
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 program", content_type="image/jpeg")
    response = _post_visit(client, coop, photos=fake)
    assert response.status_code == 200, response.context["form"].errors
    assert response.context["form"].errors["photos"], response.context["form"].errors
    response = _post_visit(client, coop, visit_date=(TODAY() + datetime.timedelta(1)).isoformat())
    assert response.status_code == 200
    assert response.context["form"].errors["visit_date"]
    response = _post_visit(client, coop, lat="48.85", lng="2.35")
    assert response.context["form"].errors["lat"]
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists()


def test_visit_form_for_a_cooperative_outside_the_caseload_is_404(client, ba, other_coop):
    client.force_login(ba)
    assert client.get(f"/pendampingan/kunjungan/baru/?koperasi={other_coop.pk}").status_code == 404
    response = _post_visit(client, other_coop)
    assert response.status_code == 200 and response.context["form"].errors["cooperative"]
    assert not Visit.objects.exists()


def test_the_board_may_not_open_the_visit_form(client, make_user, coop):
    board = make_user(Role.PENGURUS, coop.village_id)
    client.force_login(board)
    assert client.get("/pendampingan/kunjungan/baru/").status_code == 403
    assert client.get("/pendampingan/konsultasi/baru/").status_code == 403


def test_scope_leak_between_two_kecamatan(client, make_user, admin_user, coop, other_coop, photo):
    mine = _visit(admin_user, coop, photos=[photo])
    theirs = _visit(admin_user, other_coop)
    services.consultation_create(
        actor=admin_user,
        cooperative=other_coop,
        visitor_name="X",
        visitor_role="ketua",
        topic="pajak",
        question="?",
    )
    camat = make_user(Role.CAMAT, "64.02.06")
    client.force_login(camat)
    listed = client.get("/pendampingan/kunjungan/").context["page"].object_list
    assert [v.pk for v in listed] == [mine.pk]
    assert client.get(f"/pendampingan/kunjungan/{theirs.pk}/").status_code == 404
    assert client.get(f"/pendampingan/koperasi/{other_coop.pk}/").status_code == 404
    consultation = Consultation.objects.get()
    assert client.get(f"/pendampingan/konsultasi/{consultation.pk}/").status_code == 404
    assert not client.get("/pendampingan/konsultasi/").context["page"].object_list
    photo_pk = mine.photos.get().pk
    client.force_login(make_user(Role.CAMAT, "64.02.05"))
    assert client.get(f"/pendampingan/kunjungan/{mine.pk}/foto/{photo_pk}/").status_code == 404
    coverage = client.get("/pendampingan/").context["coverage"]
    assert [d["code"] for d in coverage["districts"]] == ["64.02.05"]


def test_a_ba_sees_only_its_caseload(client, ba, coop, make_cooperative, admin_user):
    neighbour = make_cooperative("64.02.06.1002")  # same kecamatan, not assigned
    _visit(admin_user, neighbour)
    own = _visit(ba, coop)
    client.force_login(ba)
    listed = client.get("/pendampingan/kunjungan/").context["page"].object_list
    assert [v.pk for v in listed] == [own.pk]
    assert client.get(f"/pendampingan/koperasi/{neighbour.pk}/").status_code == 404
    coverage = client.get("/pendampingan/").context["coverage"]
    assert coverage["total"]["total"] == 1
    mentors = client.get("/pendampingan/mentor/").context["page"].object_list
    assert [m.user for m in mentors] == [ba]


def test_my_home_lists_the_caseload_with_last_contact_and_open_followups(
    client, ba, coop, agency, admin_user
):
    _visit(
        ba,
        coop,
        visit_date=TODAY() - datetime.timedelta(days=2),
        recommendations=[
            {"text": "x", "owner_agency": agency, "due_date": TODAY() - datetime.timedelta(1)}
        ],
    )
    services.consultation_create(
        actor=admin_user,
        cooperative=coop,
        visitor_name="Y",
        visitor_role="ketua",
        topic="usaha",
        question="?",
        date=TODAY() - datetime.timedelta(days=1),
        advice="ok",
    )
    client.force_login(ba)
    response = client.get("/pendampingan/saya/", follow=True)
    row = response.context["rows"][0]
    assert row.last_contact == TODAY() - datetime.timedelta(days=1)
    assert row.open_followups == 1 and row.overdue_followups == 1
    home = client.get("/")
    assert b"pendampingan/kunjungan/baru" in home.content


def test_htmx_requests_get_only_the_partial(client, admin_user, coop):
    _visit(admin_user, coop)
    client.force_login(admin_user)
    full = client.get("/pendampingan/kunjungan/")
    partial = client.get("/pendampingan/kunjungan/", headers={"HX-Request": "true"})
    assert b"<html" in full.content and b"<html" not in partial.content
    assert coop.name.encode() in partial.content
    alone = client.get("/pendampingan/?hari=30", headers={"HX-Request": "true"})
    assert b"<html" not in alone.content and b"Jahab" not in alone.content  # visited today
    queue = client.get("/pendampingan/konsultasi/hari-ini/", headers={"HX-Request": "true"})
    assert b"<html" not in queue.content


@pytest.fixture
def busy_regency(kukar, admin_user, make_cooperative, agency, make_mentor):
    """Realistic volume: 120 cooperatives, 4 mentors, 600 visits, 600 consultations, reports."""
    rng = random.Random(7)
    villages = list(
        Region.objects.filter(regency_code="64.02", level=4)
        .order_by("code")
        .values_list("code", flat=True)[:120]
    )
    coops = [make_cooperative(code) for code in villages]
    mentors = [
        make_mentor("64.02", cooperatives=coops[i * 15 : (i + 1) * 15], username=f"ba{i}")
        for i in range(4)
    ]
    start = TODAY() - datetime.timedelta(days=180)
    Visit.objects.bulk_create(
        Visit(
            cooperative=rng.choice(coops[:80]),
            mentor=rng.choice(mentors),
            visit_date=start + datetime.timedelta(days=rng.randint(0, 180)),
            purpose="Monitoring",
            flag_late=rng.random() < 0.1,
        )
        for _ in range(600)
    )
    topics = [t for t, _ in Consultation.Topic.choices]
    Consultation.objects.bulk_create(
        Consultation(
            cooperative=rng.choice(coops),
            date=start + datetime.timedelta(days=rng.randint(0, 180)),
            visitor_name="Tamu",
            visitor_role="ketua",
            topic=rng.choice(topics),
            question="?",
            served_by=admin_user,
        )
        for _ in range(600)
    )
    for m in mentors:
        for month in (6, 7, 8):
            MonthlyReport.objects.create(
                mentor=m,
                region_id="64.02",
                month=datetime.date(2026, month, 1),
                activities="x",
                status=MonthlyReport.Status.SUBMITTED,
            )
    # ~30 checklist items at regency and kecamatan level, so an N+1 on the checklist shows
    districts = ["64.02", *sorted({code[:8] for code in villages})]
    ChecklistItem.objects.bulk_create(
        ChecklistItem(region_id=districts[i % len(districts)], label=f"Butir {i}", order=i)
        for i in range(30)
    )
    return {"coops": coops, "mentors": mentors}


@pytest.mark.parametrize(
    "url",
    [
        "/pendampingan/",
        "/pendampingan/?kecamatan=64.02.06&hari=30",
        "/pendampingan/kunjungan/",
        "/pendampingan/kunjungan/?tanda=1",
        "/pendampingan/konsultasi/",
        "/pendampingan/konsultasi/hari-ini/",
        "/pendampingan/mentor/",
        "/pendampingan/laporan/",
        "/pendampingan/daftar-periksa/",
        "/pendampingan/kunjungan/baru/",
    ],
)
def test_list_pages_stay_under_twenty_queries(
    client, admin_user, busy_regency, url, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    if url == "/pendampingan/daftar-periksa/":
        assert len(response.context["items"]) == 30


def test_detail_pages_stay_under_twenty_queries(
    client, admin_user, busy_regency, django_assert_max_num_queries
):
    client.force_login(admin_user)
    coop = busy_regency["coops"][0]
    mentor = Mentor.objects.get(user=busy_regency["mentors"][0])
    for url in (f"/pendampingan/koperasi/{coop.pk}/", f"/pendampingan/mentor/{mentor.pk}/"):
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == 200
    assert len(client.get(f"/pendampingan/mentor/{mentor.pk}/").context["rows"]) == 15


def test_coverage_counts_never_and_stale_contacts(client, admin_user, coop, other_coop):
    _visit(admin_user, coop, visit_date=TODAY() - datetime.timedelta(days=40))
    client.force_login(admin_user)
    total = client.get("/pendampingan/").context["coverage"]["total"]
    assert total == {"total": 2, "never": 1, "no30": 2, "no60": 1}


def test_report_pages_draft_submit_and_review(client, ba, coop, admin_user):
    client.force_login(ba)
    response = client.post(
        "/pendampingan/laporan/baru/",
        {
            "month": TODAY().strftime("%Y-%m"),
            "activities": "Kunjungan",
            "cooperatives": [coop.pk],
            "submit": "1",
        },
    )
    report = MonthlyReport.objects.get()
    assert response.status_code == 302 and report.status == MonthlyReport.Status.SUBMITTED
    client.force_login(admin_user)
    response = client.post(
        f"/pendampingan/laporan/{report.pk}/",
        {"decision": "return", "reason": "", "version": report.version},
    )
    assert response.status_code == 200 and response.context["review"].errors
    response = client.post(
        f"/pendampingan/laporan/{report.pk}/",
        {"decision": "return", "reason": "Tambah foto", "version": report.version},
    )
    report.refresh_from_db()
    assert response.status_code == 302 and report.status == MonthlyReport.Status.RETURNED


def test_the_board_responds_through_the_page(client, ba, coop, agency, make_user):
    visit = _visit(
        ba,
        coop,
        recommendations=[{"text": "Isi buku kas", "owner_agency": agency, "due_date": TODAY()}],
    )
    rec = visit.recommendations.get()
    board = make_user(Role.PENGURUS, coop.village_id)
    client.force_login(board)
    page = client.get(f"/pendampingan/koperasi/{coop.pk}/")
    assert f"/pendampingan/rekomendasi/{rec.pk}/tanggapan/".encode() in page.content
    response = client.post(
        f"/pendampingan/rekomendasi/{rec.pk}/tanggapan/",
        {"response": "Sudah", "version": rec.version},
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.board_response == "Sudah"


def test_walk_in_through_the_front_desk_form(client, admin_user, coop, agency):
    client.force_login(admin_user)
    response = client.post(
        "/pendampingan/konsultasi/baru/",
        {
            "cooperative": coop.pk,
            "visitor_name": "Ibu Sari",
            "visitor_role": "bendahara",
            "topic": "keuangan",
            "question": "Cara mencatat simpanan?",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["visitor_role"]
    response = client.post(
        "/pendampingan/konsultasi/baru/",
        {
            "cooperative": coop.pk,
            "visitor_name": "Ibu Sari",
            "visitor_role": "pengurus",
            "topic": "keuangan",
            "question": "Cara mencatat simpanan?",
            "followup_title": "Kirim contoh buku kas",
        },
    )
    assert response.context["form"].errors["followup_agency"]
    response = client.post(
        "/pendampingan/konsultasi/baru/",
        {
            "cooperative": coop.pk,
            "visitor_name": "Ibu Sari",
            "visitor_role": "pengurus",
            "topic": "keuangan",
            "question": "Cara mencatat simpanan?",
        },
    )
    assert response.status_code == 302
    queue = client.get("/pendampingan/konsultasi/hari-ini/")
    assert queue.context["waiting"] == 1 and b"Ibu Sari" in queue.content


def test_weekly_counts_and_topics_by_month_bucket_correctly(admin_user, coop, make_user):
    from kawal.mentoring import selectors

    today = datetime.date(2026, 11, 26)  # a Thursday; its week starts on Monday 23 November
    for day in (datetime.date(2026, 11, 23), datetime.date(2026, 11, 26)):
        Visit.objects.create(cooperative=coop, mentor=admin_user, visit_date=day, purpose="x")
    for day, topic in (
        (datetime.date(2026, 11, 16), "pajak"),
        (datetime.date(2026, 10, 31), "pajak"),
        (datetime.date(2026, 11, 1), "usaha"),
    ):
        Consultation.objects.create(
            cooperative=coop,
            date=day,
            visitor_name="A",
            visitor_role="ketua",
            topic=topic,
            question="?",
        )
    weeks = selectors.weekly_counts(user=admin_user, weeks=3, today=today)
    assert [(w["week"].day, w["visits"], w["consultations"]) for w in weeks] == [
        (9, 0, 0),
        (16, 0, 1),
        (23, 2, 0),
    ]
    topics = selectors.topics_by_month(user=admin_user, months=2, today=today)
    assert [m.month for m in topics["months"]] == [10, 11]
    cells = {t["code"]: t["cells"] for t in topics["topics"]}
    assert cells["pajak"] == [1, 1] and cells["usaha"] == [0, 1] and cells["legalitas"] == [0, 0]
    # Another kecamatan's camat sees none of it.
    camat = make_user(Role.CAMAT, "64.02.05")
    assert sum(w["visits"] for w in selectors.weekly_counts(user=camat, today=today)) == 0
    assert selectors.topics_by_month(user=camat, today=today)["max"] == 0


def test_home_panel_shows_who_is_left_alone_in_one_query(
    client, admin_user, coop, other_coop, django_assert_max_num_queries
):
    from kawal.mentoring import selectors

    _visit(admin_user, coop, visit_date=TODAY() - datetime.timedelta(days=70))
    with django_assert_max_num_queries(1):
        totals = selectors.coverage_totals(user=admin_user)
    assert totals == {"total": 2, "never": 1, "no60": 2}
    client.force_login(admin_user)
    page = client.get("/")
    assert b"/pendampingan/" in page.content
