"""One user's wrong passwords never lock out another, behind the documented proxy too."""

import pytest

from kawal.core.scope import Role

LOGIN = "/akun/masuk/"


def fail(client, username, address, times):
    for _ in range(times):
        client.post(
            LOGIN,
            {"username": username, "password": "salah"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )


def login(client, username, address):
    return client.post(
        LOGIN,
        {"username": username, "password": "test-pass-123!"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.fixture
def behind_nginx(settings):
    settings.KAWAL_TRUSTED_PROXY_COUNT = 1


def test_an_attacker_behind_the_proxy_does_not_lock_the_owner_out(
    client, make_user, settings, behind_nginx
):
    make_user(Role.CAMAT, "64.02.06", username="camat-x")
    fail(client, "camat-x", "203.0.113.9", settings.AXES_FAILURE_LIMIT)
    assert login(client, "camat-x", "203.0.113.9").status_code == 429
    assert login(client, "camat-x", "198.51.100.7").status_code == 302


def test_a_forged_forwarded_for_does_not_escape_the_lock(client, make_user, settings, behind_nginx):
    make_user(Role.CAMAT, "64.02.06", username="camat-z")
    # the client writes its own X-Forwarded-For; nginx appends the real address to it
    fail(client, "camat-z", "10.0.0.1, 203.0.113.9", settings.AXES_FAILURE_LIMIT)
    assert login(client, "camat-z", "10.0.0.2, 203.0.113.9").status_code == 429


def test_without_a_declared_proxy_forwarded_for_is_ignored(rf, settings):
    from kawal.core.clientip import client_ip

    settings.KAWAL_TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "192.0.2.1"
    settings.KAWAL_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"


def test_the_lockout_page_shows_the_cool_off_and_the_way_back(client, make_user, settings):
    make_user(Role.CAMAT, "64.02.06", username="camat-w")
    fail(client, "camat-w", "203.0.113.9", settings.AXES_FAILURE_LIMIT)
    page = login(client, "camat-w", "203.0.113.9").content.decode()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"{minutes} menit" in page and 'href="/akun/masuk/"' in page


def test_guessing_the_old_password_is_rate_limited(client, make_user, settings):
    user = make_user(Role.CAMAT, "64.02.06", username="camat-v")
    client.force_login(user)
    wrong = {
        "old_password": "tebakan",
        "new_password1": "Sandi-Baru-2026",
        "new_password2": "Sandi-Baru-2026",
    }
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert client.post("/akun/sandi/", wrong).status_code == 200
    right = {**wrong, "old_password": "test-pass-123!"}
    response = client.post("/akun/sandi/", right)
    assert response.status_code == 429
    user.refresh_from_db()
    assert user.check_password("test-pass-123!")
