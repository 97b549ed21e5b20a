"""The check-in's fast lane: a WSGI wrapper that answers `GET /hadir/<code>/` without Django's
middleware stack when, and only when, the answer is the plain one: a video participant within
the check-in window, recorded now or before, sent on to the video (302). Everything else
(a ticket, an unknown or malformed code, too early, too late, a flooding address, a database
hiccup) falls through to the full view, which answers it with a page.

Why: a national launch sends 80,000–100,000 people to their links within minutes. The full stack
costs several times the check-in itself in CPU per request; the fast lane runs the very same
service (`services.checkin_link`: one indexed lookup, one insert) and nothing else. It writes no
session and sets no cookie. A dead pooled connection is not probed with a separate query first
(Django's per-request health check): the lookup fails, the connection is dropped, and the full
view handles the request on a fresh one, so no check-in is lost.
"""

from django.db import DatabaseError, close_old_connections, connection

from kawal.events import services, throttle

PREFIX = "/hadir/"
HEADERS = [
    ("Cache-Control", "private, no-store"),
    ("Content-Length", "0"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
]


def _code(environ) -> str | None:
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
        return None
    path = environ.get("PATH_INFO", "")
    if not path.startswith(PREFIX) or not path.endswith("/"):
        return None
    code = path[len(PREFIX) : -1]
    return code if code and "/" not in code else None


class CheckinFastPath:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        code = _code(environ)
        if code is not None:
            location = self._checkin(code, environ)
            if location:
                start_response("302 Found", [("Location", location), *HEADERS])
                return [b""]
        return self.application(environ, start_response)

    @staticmethod
    def _checkin(code: str, environ) -> str | None:
        if throttle.exceeded_address(environ.get("REMOTE_ADDR", ""), "bad_code"):
            return None
        close_old_connections()  # what Django does when a request starts (CONN_MAX_AGE)
        connection.health_check_done = True  # failures are caught below instead
        try:
            result = services.checkin_link(code=code)
        except DatabaseError:
            connection.close()
            return None
        if result.counted and result.video_url:
            return result.video_url
        return None
