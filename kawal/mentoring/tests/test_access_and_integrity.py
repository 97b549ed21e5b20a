"""Mentoring access and integrity: who manages mentors, agencies of the cooperative's own area,
agency-scoped follow-ups, one serve per consultation, audit of reports, no orphan photos, and
readiness on the mentor's home page."""

import datetime
import decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kawal.accounts.models import Agency, Grant
from kawal.core import scope
from kawal.core.models import AuditEvent
from kawal.core.scope import Cap, Role
from kawal.followups.models import FollowUp
from kawal.followups.services import followup_create
from kawal.mentoring import services
from kawal.mentoring.models import Consultation, Mentor, MonthlyReport, VisitPhoto
from kawal.mentoring.tests.conftest import png_bytes

TODAY = timezone.localdate


@pytest.fixture
def tgr_office(kukar):
    return Agency.objects.create(
        code="kec-tgr", name="Kantor Camat Tenggarong", short_name="Kec. TGR", region_id="64.02.06"
    )


@pytest.fixture
def other_office(kukar):
    """The office of another kecamatan: it does not serve Tenggarong's cooperatives."""
    return Agency.objects.create(
        code="kec-tds", name="Kantor Camat Lain", short_name="Kec. Lain", region_id="64.02.05"
    )


@pytest.fixture
def camat(make_user):
    return make_user(Role.CAMAT, "64.02.06", username="camat-tgr")


def _walk_in(actor, coop, **kw):
    kw.setdefault("visitor_name", "Budi")
    kw.setdefault("visitor_role", "ketua")
    kw.setdefault("topic", "simkopdes")
    kw.setdefault("question", "Akun terkunci")
    return services.consultation_create(actor=actor, cooperative=coop, **kw)


# --- 1. Managing comes from Cap.MANAGE, per region ------------------------------------------


def test_managing_follows_cap_manage_of_the_permission_module(monkeypatch, camat, ba, coop):
    # given a camat whose role no longer carries MANAGE (the one permission module decides)
    reduced = scope.ROLE_CAPABILITIES[Role.CAMAT] - {Cap.MANAGE}
    monkeypatch.setitem(scope.ROLE_CAPABILITIES, Role.CAMAT, reduced)
    # when it hands out a caseload / then it is refused
    with pytest.raises(PermissionDenied):
        services.assignment_start(actor=camat, mentor=ba, cooperative=coop, started_on=TODAY())
    assert not scope.may_manage_programme(camat)


def test_a_camat_who_sits_on_a_board_elsewhere_cannot_manage_there(
    camat, make_mentor, coop, other_coop
):
    # given a camat of Tenggarong who is also on the board of a cooperative in another kecamatan
    Grant.objects.create(user=camat, role=Role.PENGURUS, region_id=other_coop.village_id)
    scope.forget(camat)
    mentor = make_mentor("64.02", username="ba-wide")
    # when it assigns a mentor to that cooperative / then it is refused (EDIT of a board ≠ MANAGE)
    with pytest.raises(PermissionDenied):
        services.assignment_start(
            actor=camat, mentor=mentor, cooperative=other_coop, started_on=TODAY()
        )
    # while in its own kecamatan it may
    services.assignment_start(actor=camat, mentor=mentor, cooperative=coop, started_on=TODAY())


# --- 2. Agencies of the cooperative's area only ----------------------------------------------


def test_consultation_form_offers_only_agencies_serving_the_cooperative(
    client, camat, coop, agency, tgr_office, other_office
):
    client.force_login(camat)
    response = client.get(f"/pendampingan/konsultasi/baru/?koperasi={coop.pk}")
    offered = set(response.context["form"].fields["followup_agency"].queryset)
    assert offered == {agency, tgr_office}


def test_forged_agency_of_another_kecamatan_is_a_form_error(client, camat, coop, other_office):
    client.force_login(camat)
    response = client.post(
        "/pendampingan/konsultasi/baru/",
        {
            "cooperative": coop.pk,
            "visitor_name": "Budi",
            "visitor_role": "ketua",
            "topic": "simkopdes",
            "question": "?",
            "advice": "Saran",
            "followup_title": "Cek",
            "followup_agency": other_office.pk,
            "followup_due": (TODAY() + datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "followup_agency" in response.context["form"].errors
    assert not Consultation.objects.exists() and not FollowUp.objects.exists()


def test_visit_recommendation_to_an_agency_elsewhere_is_refused(camat, coop, other_office):
    with pytest.raises(ValidationError) as error:
        services.visit_record(
            actor=camat,
            cooperative=coop,
            visit_date=TODAY(),
            purpose="Monitoring",
            recommendations=[
                {"text": "Isi buku kas", "owner_agency": other_office, "due_date": TODAY()}
            ],
        )
    assert "recommendations-0-owner_agency" in error.value.error_dict
    assert not FollowUp.objects.exists()


def test_serving_with_a_referral_elsewhere_is_refused(admin_user, coop, other_office):
    waiting = _walk_in(admin_user, coop)
    with pytest.raises(ValidationError) as error:
        services.consultation_serve(
            actor=admin_user, consultation=waiting, advice="Saran", referral_agency=other_office
        )
    assert "referral_agency" in error.value.error_dict


# --- 3. A Satgas member sees only its agency's follow-ups ------------------------------------


def test_satgas_member_sees_only_its_own_agencys_followups_on_mentoring_pages(
    client, make_user, admin_user, coop, agency, tgr_office
):
    # given two follow-ups on one cooperative, owned by two agencies, one from a consultation
    consultation = _walk_in(admin_user, coop, advice="Saran")
    due = TODAY() + datetime.timedelta(days=7)
    own = followup_create(
        actor=admin_user,
        title="Milik DiskopUKM",
        owner_agency=agency,
        due_date=due,
        region_code=coop.village_id,
        cooperative=coop,
        source=consultation,
    )
    foreign = followup_create(
        actor=admin_user,
        title="Milik kecamatan",
        owner_agency=tgr_office,
        due_date=due,
        region_code=coop.village_id,
        cooperative=coop,
        source=consultation,
    )
    member = make_user(Role.SATGAS, "64.02", username="satgas-diskop", agency=agency)
    client.force_login(member)
    # then the follow-up module hides the other agency's follow-up
    assert client.get(f"/tindak-lanjut/{foreign.pk}/").status_code == 404
    assert client.get(f"/tindak-lanjut/{own.pk}/").status_code == 200
    # and so do the mentoring pages
    page = client.get(f"/pendampingan/koperasi/{coop.pk}/")
    assert list(page.context["followups"]) == [own]
    assert "Milik kecamatan" not in page.content.decode()
    detail = client.get(f"/pendampingan/konsultasi/{consultation.pk}/")
    assert list(detail.context["followups"]) == [own]


# --- 4. A camat creates and edits a mentor ---------------------------------------------------


def test_camat_creates_and_edits_a_mentor(client, camat, make_user):
    # given a facilitator of Tenggarong without a mentor profile, and one of another kecamatan
    facilitator = make_user(Role.PENDAMPING, "64.02.06", username="pd-tgr")
    elsewhere = make_user(Role.PENDAMPING, "64.02.05", username="pd-lain")
    client.force_login(camat)
    # when the camat opens the form / then it lists its kecamatan's users only
    form = client.get("/pendampingan/mentor/baru/").context["form"]
    choices = set(form.fields["user"].queryset)
    assert facilitator in choices and elsewhere not in choices
    # when it creates the mentor
    data = {
        "user": facilitator.pk,
        "kind": "ba",
        "organisation": "Dinas",
        "region_code": "64.02.06",
        "contract_start": "2026-06-01",
        "contract_end": "2026-12-31",
        "is_active": "on",
    }
    response = client.post("/pendampingan/mentor/baru/", data)
    mentor = Mentor.objects.get(user=facilitator)
    assert response.status_code == 302
    # and edits it
    data["organisation"] = "Kecamatan Tenggarong"
    response = client.post(f"/pendampingan/mentor/{mentor.pk}/ubah/", data)
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.organisation == "Kecamatan Tenggarong"
    assert AuditEvent.objects.filter(action="mentor_update", actor=camat).exists()


def test_camat_cannot_make_a_user_of_another_kecamatan_a_mentor(client, camat, make_user):
    elsewhere = make_user(Role.PENDAMPING, "64.02.05", username="pd-lain")
    client.force_login(camat)
    response = client.post(
        "/pendampingan/mentor/baru/",
        {"user": elsewhere.pk, "kind": "ba", "region_code": "64.02.06", "is_active": "on"},
    )
    assert response.status_code == 200 and "user" in response.context["form"].errors
    assert not Mentor.objects.filter(user=elsewhere).exists()


# --- 5. A consultation is served once ---------------------------------------------------------


def test_second_serve_of_the_same_consultation_is_refused(admin_user, camat, coop, agency):
    waiting = _walk_in(admin_user, coop)
    stale = Consultation.objects.get(pk=waiting.pk)  # the second desk loaded it before
    followup = {"title": "Cek akun", "owner_agency": agency, "due_date": TODAY()}
    services.consultation_serve(
        actor=admin_user, consultation=waiting, advice="Pertama", followup=followup
    )
    with pytest.raises(ValidationError) as error:
        services.consultation_serve(
            actor=camat, consultation=stale, advice="Kedua", followup=followup
        )
    assert "sudah dilayani" in " ".join(error.value.messages) or "already" in str(error.value)
    waiting.refresh_from_db()
    assert waiting.advice == "Pertama" and waiting.served_by == admin_user
    assert FollowUp.objects.count() == 1
    assert AuditEvent.objects.filter(action="consultation_serve").count() == 1


def test_second_serve_through_the_page_shows_an_error(client, admin_user, camat, coop):
    waiting = _walk_in(admin_user, coop)
    client.force_login(camat)
    assert client.get(f"/pendampingan/konsultasi/{waiting.pk}/").context["form"] is not None
    services.consultation_serve(actor=admin_user, consultation=waiting, advice="Pertama")
    # the page no longer offers the form, and a late POST changes nothing
    client.post(f"/pendampingan/konsultasi/{waiting.pk}/", {"advice": "Kedua"})
    waiting.refresh_from_db()
    assert waiting.advice == "Pertama"


# --- 6. Report audit and orphaned photos -----------------------------------------------------


def test_report_audit_records_the_cooperatives_reached_before_and_after(
    make_mentor, coop, other_coop
):
    mentor = make_mentor("64.02", cooperatives=[coop, other_coop], username="ba-kukar")
    month = TODAY().replace(day=1)
    report = services.report_save(actor=mentor, month=month, activities="x", cooperatives=[coop])
    created = AuditEvent.objects.get(action="report_create")
    assert created.changes["cooperatives_reached"] == [[], [coop.pk]]
    services.report_save(
        actor=mentor,
        report=report,
        month=month,
        activities="x",
        cooperatives=[coop, other_coop],
        expected_version=report.version,
    )
    updated = AuditEvent.objects.get(action="report_update")
    assert updated.changes["cooperatives_reached"] == [
        [coop.pk],
        sorted([coop.pk, other_coop.pk]),
    ]
    assert MonthlyReport.objects.get().cooperatives_reached.count() == 2


def test_photos_are_not_left_on_disk_when_the_visit_fails(monkeypatch, settings, admin_user, coop):
    # given the second photo's audit row fails after the first photo file was written
    real_audit = services.audit
    calls = {"photos": 0}

    def failing_audit(**kw):
        if kw["action"] == "visit_photo_add":
            calls["photos"] += 1
            if calls["photos"] == 2:
                raise RuntimeError("disk full")
        return real_audit(**kw)

    monkeypatch.setattr(services, "audit", failing_audit)
    photos = [
        SimpleUploadedFile(f"foto{i}.png", png_bytes(), content_type="image/png") for i in range(2)
    ]
    # when the visit is recorded / then it fails and leaves no file behind
    with pytest.raises(RuntimeError):
        services.visit_record(
            actor=admin_user, cooperative=coop, visit_date=TODAY(), purpose="x", photos=photos
        )
    media = settings.MEDIA_ROOT
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert files == []
    assert not VisitPhoto.objects.exists()


# --- 8. Readiness on the mentor's home page --------------------------------------------------


@pytest.fixture
def instrument(kukar, admin_user):
    from kawal.readiness.models import Instrument

    return Instrument.objects.create(
        region_id="64.02", version=1, title="Kesiapan", status="published"
    )


def test_mentor_home_shows_readiness_and_not_assessed_never_zero(
    client, make_mentor, coop, other_coop, instrument
):
    from kawal.readiness.models import Assessment

    mentor = make_mentor("64.02", cooperatives=[coop, other_coop], username="ba-home")
    Assessment.objects.create(
        cooperative=coop,
        instrument=instrument,
        assessed_on=TODAY() - datetime.timedelta(days=30),
        status="verified",
        score=decimal.Decimal("40.0"),
        category="belum_siap",
    )
    Assessment.objects.create(
        cooperative=coop,
        instrument=instrument,
        assessed_on=TODAY(),
        status="verified",
        score=decimal.Decimal("82.5"),
        category="siap",
    )
    Assessment.objects.create(  # a draft does not count
        cooperative=other_coop, instrument=instrument, assessed_on=TODAY(), score=0
    )
    client.force_login(mentor)
    response = client.get("/pendampingan/saya/", follow=True)
    rows = {c.pk: c for c in response.context["rows"]}
    assert rows[coop.pk].readiness.score == decimal.Decimal("82.5")
    assert rows[other_coop.pk].readiness is None
    html = response.content.decode()
    assert "82,5%" in html or "82.5%" in html
    assert "Belum dinilai" in html or "Not assessed" in html


def test_mentor_home_with_readiness_stays_under_twenty_queries(
    client, make_mentor, make_cooperative, instrument, django_assert_max_num_queries
):
    from kawal.readiness.models import Assessment
    from kawal.regions.models import Region

    villages = Region.objects.filter(regency_code="64.02", level=4).order_by("code")[:30]
    coops = [make_cooperative(v.code) for v in villages]
    mentor = make_mentor("64.02", cooperatives=coops, username="ba-30")
    Assessment.objects.bulk_create(
        Assessment(
            cooperative=c,
            instrument=instrument,
            assessed_on=TODAY(),
            status="submitted",
            score=decimal.Decimal(50 + i),
            category="perlu_penguatan",
        )
        for i, c in enumerate(coops[:20])
    )
    profile = Mentor.objects.get(user=mentor)
    client.force_login(mentor)
    with django_assert_max_num_queries(20):
        response = client.get(f"/pendampingan/mentor/{profile.pk}/")
    rows = response.context["rows"]
    assert len(rows) == 30
    assert sum(1 for c in rows if c.readiness is None) == 10


def test_an_import_by_a_business_assistant_covers_its_assigned_villages_not_the_country(
    make_mentor, coop, other_coop
):
    from kawal.regions.selectors import import_scope_code

    ba = make_mentor("64.02.06", cooperatives=[coop, other_coop], username="ba-two")

    # The two villages lie in two kecamatan of Kukar: the reconciler looks within the regency.
    assert import_scope_code(user=ba, cap=Cap.EDIT) == "64.02"
