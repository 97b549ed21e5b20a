"""The WSGI fast lane answers a plain check-in itself and hands everything else to Django."""

import io

import pytest

from kawal.events.models import Attendance
from kawal.wsgi import application

pytestmark = pytest.mark.django_db(transaction=True)


def _get(path):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(application(environ, start_response))
    return answer["status"], answer["headers"], body


def test_fast_lane_records_once_and_redirects_without_cookies(make_event, make_registrant):
    event = make_event("online")
    person = make_registrant(event)
    for _ in range(2):
        status, headers, _body = _get(f"/hadir/{person.code}/")
        assert status.startswith("302") and headers["Location"] == event.video_url
        assert "Set-Cookie" not in headers
    assert Attendance.objects.filter(registrant=person).count() == 1


def test_anything_else_falls_through_to_the_full_page(make_event, make_venue, make_registrant):
    event = make_event("hybrid")
    seated = make_registrant(event, venue=make_venue(event))
    unknown, _h, body = _get("/hadir/ZZZZZZZZZZZZ/")
    assert unknown.startswith("404") and b"<html" in body
    ticket, headers, _b = _get(f"/hadir/{seated.code}/")
    assert ticket.startswith("302") and headers["Location"].endswith("/tiket/")
    assert not Attendance.objects.exists()
