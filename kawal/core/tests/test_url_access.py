"""Deny by default: every URL declares its access, and undeclared views are refused."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from kawal.core.scope import ACCESS_ATTR

PUBLIC_ALLOWED = {
    "accounts:login",
    "accounts:logout",
    "core:health",
    "set_language",
    # Event participants hold no account: an unguessable personal code (60 random bits) is
    # their credential; self-registration needs the event's code and is rate-limited.
    "events_public:link",
    "events_public:ticket",
    "events_public:ticket_pdf",
    "events_public:certificate",
    "events_public:register",
    "api:openapi-json",  # the API's description (its data needs a bearer token)
    "api:openapi-view",
}


def walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.pattern}", pattern


def test_every_url_declares_its_access():
    undeclared, public = [], []
    for name, pattern in walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue  # Django admin: superusers only (kawal/urls.py)
        access = getattr(pattern.callback, ACCESS_ATTR, None)
        if access is None:
            undeclared.append(name)
        elif access == "public":
            public.append(name)
    assert undeclared == []
    assert set(public) <= PUBLIC_ALLOWED


def test_api_data_views_need_a_bearer_token():
    token_views = [
        name
        for name, pattern in walk(get_resolver().url_patterns)
        if getattr(pattern.callback, ACCESS_ATTR, None) == "token"
    ]
    assert token_views and all(name.startswith("api:") for name in token_views)


def test_undeclared_view_is_refused(rf, admin_user):
    from kawal.core.scope import AccessMiddleware

    def naked_view(request):
        raise AssertionError("must not run")

    request = rf.get("/x/")
    request.user = admin_user
    request.resolver_match = None
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        AccessMiddleware(lambda r: None).process_view(request, naked_view, (), {})


@pytest.mark.parametrize("url", ["/", "/wilayah/", "/wilayah/64.02/", "/wilayah/peta/", "/audit/"])
def test_scoped_pages_redirect_anonymous_users_to_login(client, url, kukar):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_django_admin_refuses_regional_admins(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/django-admin/")
    assert response.status_code == 302  # to the admin login, not the admin index
