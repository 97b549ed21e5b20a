"""No bare error pages: 403, 404, 500 and an expired form answer in Indonesian, in the layout, with
a way back; the password page is ours, not Django admin's; the login error reads once."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from kawal.core.scope import Role


def test_unknown_page_answers_in_indonesian_with_a_way_home(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/koperasi/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Halaman tidak ditemukan" in body
    assert 'href="/"' in body  # back to home
    assert "Not Found" not in body


def test_out_of_scope_village_answers_the_same_404_page(client, make_user, kukar):
    camat = make_user(Role.CAMAT, "64.02.06")
    client.force_login(camat)
    response = client.get("/wilayah/64.02.01/")  # another kecamatan
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_refused_page_answers_in_indonesian_in_the_layout(client, make_user, kukar):
    reader = make_user(Role.PIMPINAN, "64.02")
    client.force_login(reader)
    response = client.get("/akun/pengguna/")  # managing users needs MANAGE_USERS
    assert response.status_code == 403
    body = response.content.decode()
    assert "Anda tidak boleh melakukan ini" in body
    assert "Kembali ke beranda" in body
    assert "Forbidden" not in body


def test_server_error_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "Terjadi kesalahan di server" in html
    assert 'href="/"' in html


def test_expired_form_is_explained_not_a_bare_csrf_page(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post("/akun/pengguna/baru/", {"username": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Formulir sudah kedaluwarsa" in body
    assert "CSRF verification failed" not in body


def test_password_page_is_ours_not_django_admins(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/akun/sandi/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ganti sandi" in body
    assert "django-admin" not in body and "/admin/" not in body
    assert 'class="menu"' in body  # inside the app's own layout


@pytest.mark.django_db
def test_password_change_goes_to_our_done_page(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/akun/sandi/",
        {
            "old_password": "test-pass-123!",
            "new_password1": "Mahakam-delta-2026",
            "new_password2": "Mahakam-delta-2026",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/akun/sandi/selesai/"
    assert "Kata sandi berhasil diubah" in response.content.decode()


def test_wrong_password_message_names_the_field_once(client, admin_user):
    response = client.post("/akun/masuk/", {"username": "dinas-test", "password": "salah"})
    body = response.content.decode()
    assert "nama pengguna nama pengguna" not in body.lower()
    assert "Nama pengguna atau sandi salah" in body
