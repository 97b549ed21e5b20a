import pytest
from django.urls import reverse

from kawal.core.scope import Role
from kawal.events.models import Attendance
from kawal.training import selectors, services
from kawal.training.tests.conftest import START


@pytest.fixture
def filled_batch(admin_user, make_cooperative, make_officers, make_batch):
    """A three-day Tenggarong batch with 3 cooperatives × 3 officers invited."""
    batch = make_batch(capacity=20)
    officers = []
    for code in ("64.02.06.1001", "64.02.06.1002", "64.02.06.1003"):
        officers += make_officers(make_cooperative(code), 3)
    services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[o.pk for o in officers], invited_on=START
    )
    return batch


def test_a_camat_sees_batches_serving_his_kecamatan_only(
    client, make_user, admin_user, make_batch, programme
):
    tenggarong = make_batch(districts=["64.02.06"])
    badak = make_batch(districts=["64.02.05"])
    client.force_login(make_user(Role.CAMAT, "64.02.06"))

    page = client.get(reverse("training:index")).content.decode()

    assert reverse("training:batch_detail", args=[tenggarong.pk]) in page
    assert reverse("training:batch_detail", args=[badak.pk]) not in page
    assert client.get(reverse("training:batch_detail", args=[badak.pk])).status_code == 404


def test_participants_of_another_kecamatan_stay_hidden_from_a_camat(
    client, make_user, admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch(districts=["64.02.06", "64.02.05"])
    mine = make_officers(make_cooperative("64.02.06.1001"), 1)[0]
    theirs = make_officers(make_cooperative("64.02.05.2006"), 1)[0]
    theirs.name = "Warga Muara Badak"
    theirs.save()
    services.participants_add(
        actor=admin_user, batch=batch, officer_ids=[mine.pk, theirs.pk], invited_on=START
    )
    client.force_login(make_user(Role.CAMAT, "64.02.06"))

    page = client.get(reverse("training:batch_detail", args=[batch.pk])).content.decode()

    assert mine.name in page
    assert theirs.name not in page


def test_batch_page_htmx_returns_only_the_participants(client, admin_user, filled_batch):
    client.force_login(admin_user)
    url = reverse("training:batch_detail", args=[filled_batch.pk])

    full = client.get(url)
    partial = client.get(url, {"q": "Petugas"}, headers={"HX-Request": "true"})

    assert b"<html" in full.content
    assert b"<html" not in partial.content and b"Petugas" in partial.content


def test_ticking_a_participant_present_on_the_phone_page(client, admin_user, filled_batch):
    client.force_login(admin_user)
    participant = filled_batch.participants.first()
    day = filled_batch.days[1]

    response = client.post(
        reverse("training:attendance_mark", args=[filled_batch.pk, participant.pk]),
        {"hari": day.isoformat(), "hadir": "1"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'aria-pressed="true"' in response.content
    assert b"1 dari 9 hadir" in response.content or b"1 of 9 present" in response.content
    # recorded as the check-in of the participant's registrant for that day's session (event)
    assert Attendance.objects.count() == 1
    assert selectors.present_days([participant.pk])[participant.pk] == {day}


def test_a_read_only_user_cannot_take_attendance(client, make_user, filled_batch):
    client.force_login(make_user(Role.PIMPINAN, "64.02"))
    participant = filled_batch.participants.first()
    response = client.post(
        reverse("training:attendance_mark", args=[filled_batch.pk, participant.pk]),
        {"hari": START.isoformat(), "hadir": "1"},
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "name", ["training:index", "training:coverage", "training:needs", "budget:index"]
)
def test_lists_and_dashboards_stay_within_the_query_ceiling(
    client, admin_user, filled_batch, name, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        assert client.get(reverse(name)).status_code == 200


def test_batch_and_attendance_pages_stay_within_the_query_ceiling(
    client, admin_user, filled_batch, django_assert_max_num_queries
):
    client.force_login(admin_user)
    for name in ("training:batch_detail", "training:attendance"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name, args=[filled_batch.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(reverse("training:needs"), {"kecamatan": "64.02.06"})
        assert response.status_code == 200


def test_certificates_pdf_and_attendance_xlsx(client, admin_user, filled_batch):
    participant = filled_batch.participants.select_related("officer").first()
    services.attendance_set(actor=admin_user, participant=participant, day=START, present=True)
    client.force_login(admin_user)

    pdf = client.get(reverse("training:certificates", args=[filled_batch.pk]))
    xlsx = client.get(reverse("training:attendance_export", args=[filled_batch.pk]))

    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    body = b"".join(xlsx.streaming_content)
    assert body.startswith(b"PK")
    import io
    import zipfile

    sheet = zipfile.ZipFile(io.BytesIO(body)).read("xl/worksheets/sheet1.xml").decode()
    assert participant.officer.name in sheet and "Hadir" in sheet


def test_the_cooperative_page_shows_training_needs(
    client, admin_user, make_cooperative, make_officers
):
    coop = make_cooperative("64.02.06.1001")
    make_officers(coop, 2)
    client.force_login(admin_user)

    page = client.get(reverse("cooperatives:detail", args=[coop.pk])).content.decode()

    assert 'id="pelatihan"' in page
    assert "Petugas" in page


def test_new_batch_form_refuses_a_last_day_before_the_first(client, admin_user, programme):
    client.force_login(admin_user)
    response = client.post(
        reverse("training:batch_create", args=[programme.pk]),
        {
            "number": 1,
            "start_date": "2025-11-15",
            "end_date": "2025-11-13",
            "venue": "Pendopo",
            "districts": ["64.02.06"],
            "capacity": 130,
        },
    )
    assert response.status_code == 200
    assert not programme.batches.exists()


def test_invite_over_capacity_shows_a_message_and_adds_nobody(
    client, admin_user, make_cooperative, make_officers, make_batch
):
    batch = make_batch(capacity=1)
    officers = make_officers(make_cooperative("64.02.06.1001"), 2)
    client.force_login(admin_user)

    response = client.post(
        reverse("training:batch_invite", args=[batch.pk]),
        {"officers": [o.pk for o in officers]},
        follow=True,
    )

    assert response.status_code == 200
    assert not batch.participants.exists()
    assert "kapasitas" in response.content.decode()


def test_every_training_and_budget_url_declares_its_access():
    from kawal.core.scope import ACCESS_ATTR

    for app in ("training", "budget"):
        module = __import__(f"kawal.{app}.urls", fromlist=["urlpatterns"])
        for pattern in module.urlpatterns:
            assert getattr(pattern.callback, ACCESS_ATTR, None), pattern.name
