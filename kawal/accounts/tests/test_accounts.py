import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from kawal.accounts import services
from kawal.accounts.models import User
from kawal.core.models import AuditEvent
from kawal.core.scope import Role


def test_login_page_is_indonesian(client, kukar):
    page = client.get("/akun/masuk/")
    assert page.status_code == 200
    assert b"Nama pengguna" in page.content
    assert b"Masuk" in page.content


def test_login_lockout_after_repeated_failures(client, make_user, settings):
    make_user(Role.CAMAT, "64.02.06", username="camat-x")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/akun/masuk/", {"username": "camat-x", "password": "salah"})
    locked = client.post("/akun/masuk/", {"username": "camat-x", "password": "test-pass-123!"})
    assert locked.status_code == 429
    assert b"terkunci" in locked.content.lower()


def test_successful_login_reaches_home(client, make_user):
    make_user(Role.CAMAT, "64.02.06", username="camat-y")
    response = client.post("/akun/masuk/", {"username": "camat-y", "password": "test-pass-123!"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_admin_creates_user_inside_its_region_with_audit(admin_user):
    user = services.user_create(
        actor=admin_user,
        username="pendamping-baru",
        password="Sandi-Kuat-2025",
        role=Role.PENDAMPING,
        region_code="64.02.06",
    )
    assert user.grants.get().region_id == "64.02.06"
    actions = set(
        AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
    )
    assert actions == {"user_create", "grant_add"}


def test_admin_cannot_grant_outside_its_region(make_user):
    kecamatan_admin = make_user(Role.ADMIN_DINAS, "64.02.06")
    with pytest.raises(Http404):
        services.user_create(
            actor=kecamatan_admin,
            username="x",
            password="Sandi-Kuat-2025",
            role=Role.CAMAT,
            region_code="64.02.05",
        )
    assert not User.objects.filter(username="x").exists()


def test_camat_cannot_create_users(make_user):
    camat = make_user(Role.CAMAT, "64.02.06")
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=camat,
            username="y",
            password="Sandi-Kuat-2025",
            role=Role.PENGURUS,
            region_code="64.02.06.1001",
        )


def test_weak_password_is_refused_and_nothing_saved(admin_user):
    with pytest.raises(ValidationError):
        services.user_create(
            actor=admin_user, username="z", password="123", role=Role.CAMAT, region_code="64.02.06"
        )
    assert not User.objects.filter(username="z").exists()


def test_user_list_shows_only_users_of_managed_region(
    client, make_user, django_assert_max_num_queries
):
    kec_admin = make_user(Role.ADMIN_DINAS, "64.02.06", username="admin-tgr")
    make_user(Role.CAMAT, "64.02.06", username="camat-in")
    make_user(Role.CAMAT, "64.02.05", username="camat-out")
    client.force_login(kec_admin)
    with django_assert_max_num_queries(10):
        page = client.get("/akun/pengguna/")
    names = {u.username for u in page.context["page"].object_list}
    assert "camat-in" in names and "camat-out" not in names


def test_user_list_htmx_returns_partial(client, admin_user):
    client.force_login(admin_user)
    full = client.get("/akun/pengguna/")
    partial = client.get("/akun/pengguna/", headers={"HX-Request": "true"})
    assert b"<html" in full.content
    assert b"<html" not in partial.content and b"<table" in partial.content
