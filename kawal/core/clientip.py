"""The client's address, for the login lockout (django-axes: AXES_CLIENT_IP_CALLABLE).

Behind a reverse proxy every request connects from the proxy (127.0.0.1), so a lockout keyed on
the connecting address would lock a username for everybody. When the deployment declares how
many trusted proxies stand in front (`KAWAL_TRUSTED_PROXY_COUNT`, e.g. 1 for nginx → gunicorn),
the client is the address the outermost trusted proxy saw: the N-th entry from the right of
X-Forwarded-For. Anything further left was written by the client and is not trusted. Without
the setting (0), X-Forwarded-For is ignored entirely: a client cannot choose its address.
"""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "KAWAL_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < proxies:
        return remote
    return _valid(forwarded[-proxies]) or remote
