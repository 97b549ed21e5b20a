"""Content-Security-Policy everywhere; nothing of a signed-in user stays in a cache."""

import re
from pathlib import Path

import kawal


def test_every_page_has_a_csp_without_inline_script(client):
    response = client.get("/akun/masuk/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split(";")[1]
    assert "frame-ancestors 'none'" in policy


def test_signed_in_pages_and_exports_are_not_stored(client, admin_user, kukar):
    client.force_login(admin_user)
    for url in ("/", "/koperasi/", "/koperasi/ekspor.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_no_template_has_inline_script_or_event_handlers():
    root = Path(kawal.__file__).parent
    offenders = []
    for path in root.glob("*/templates/**/*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
