"""The API, called as an outside system would: a bearer token, the same scope as the pages."""

import datetime

import pytest

from kawal.api import services
from kawal.api.models import ApiToken
from kawal.core.models import AuditEvent
from kawal.formation.models import StepRecord
from kawal.regions.models import Crosswalk


@pytest.fixture
def token(admin_user):
    def make(region="64.02.06", access="read"):
        return services.token_create(
            actor=admin_user, name="SIMKOPDES", region_code=region, access=access
        )[1]

    return make


def get(client, url, raw, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_without_a_token_nothing_is_answered(client, kukar):
    assert client.get("/api/regions").status_code == 401
    assert get(client, "/api/regions", "kk_wrong").status_code == 401


def test_the_openapi_docs_are_served(client, kukar):
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code == 200


def test_regions_are_paged_by_cursor_within_the_token_region(client, token):
    raw = token("64.02.06")
    first = get(client, "/api/regions", raw, limit=5).json()
    assert len(first["items"]) == 5
    assert all(r["code"].startswith("64.02.06") for r in first["items"])
    seen = [r["code"] for r in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = get(client, "/api/regions", raw, limit=5, cursor=cursor).json()
        seen += [r["code"] for r in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 15  # Tenggarong and its 14 villages


def test_out_of_scope_is_404(client, token, make_cooperative):
    raw = token("64.02.06")
    other = make_cooperative("64.02.05.2006")
    assert get(client, f"/api/cooperatives/{other.pk}", raw).status_code == 404
    assert get(client, "/api/regions/64.02.05", raw).status_code == 404
    listed = get(client, "/api/cooperatives", raw).json()["items"]
    assert other.pk not in {c["id"] for c in listed}


def test_cooperatives_carry_their_step_status(client, token, make_cooperative, admin_user):
    from kawal.formation import services as formation

    coop = make_cooperative("64.02.06.1001")
    formation.step_update(
        actor=admin_user,
        cooperative=coop,
        step="musdesus",
        status="selesai",
        completed_on=datetime.date(2025, 5, 1),
    )
    raw = token("64.02.06")
    item = get(client, "/api/cooperatives", raw).json()["items"][0]
    assert item["village_code"] == "64.02.06.1001"
    assert item["steps"][0]["step"] == "musdesus" and item["steps"][0]["status"] == "selesai"


def test_a_read_only_token_may_not_write(client, token, make_cooperative):
    coop = make_cooperative("64.02.06.1001")
    raw = token("64.02.06", "read")
    response = client.post(
        f"/api/cooperatives/{coop.pk}/steps/musdesus",
        {"status": "selesai", "completed_on": "2025-05-01", "expected_version": 0},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    assert not StepRecord.objects.exists()


def test_a_write_token_updates_a_step_through_the_service_with_an_audit_row(
    client, token, make_cooperative
):
    coop = make_cooperative("64.02.06.1001")
    raw = token("64.02.06", "write")
    url = f"/api/cooperatives/{coop.pk}/steps/musdesus"
    body = {"status": "selesai", "completed_on": "2025-05-01", "expected_version": 0}
    response = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1
    event = AuditEvent.objects.filter(actor=ApiToken.objects.get().user).get()
    assert event.object_id == str(StepRecord.objects.get().pk)
    stale = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert stale.status_code == 422  # the same stale-version rule as the form


def test_a_write_outside_the_token_region_is_404(client, token, make_cooperative):
    other = make_cooperative("64.02.05.2006")
    raw = token("64.02.06", "write")
    response = client.post(
        f"/api/cooperatives/{other.pk}/steps/musdesus",
        {"status": "selesai", "completed_on": "2025-05-01", "expected_version": 0},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 404


def test_a_revoked_token_stops_working_and_last_use_is_kept(client, token, admin_user):
    raw = token("64.02.06")
    assert get(client, "/api/regions", raw).status_code == 200
    row = ApiToken.objects.get()
    assert row.last_used_at is not None
    assert row.token_hash != raw and raw not in row.token_hash  # hashed at rest
    services.token_revoke(actor=admin_user, token=row)
    assert get(client, "/api/regions", raw).status_code == 401
    assert AuditEvent.objects.filter(action="api_token_revoke").count() == 1


def test_the_crosswalk_is_read_within_scope(client, token, kukar):
    Crosswalk.objects.create(
        source="simkopdes", entity="village", external_id="V1", region_id="64.02.06.1001"
    )
    Crosswalk.objects.create(
        source="simkopdes", entity="village", external_id="V2", region_id="64.02.05.2006"
    )
    items = get(client, "/api/crosswalk", token("64.02.06")).json()["items"]
    assert [i["external_id"] for i in items] == ["V1"]


def test_rate_limit_answers_429(client, token, monkeypatch):
    monkeypatch.setattr(services, "RATE_LIMIT", 3)
    raw = token("64.02.06")
    codes = [get(client, "/api/regions", raw).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429


def test_the_token_page_shows_the_token_once_and_lists_without_it(
    client, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    response = client.post(
        "/integrasi/", {"name": "Aplikasi Desa", "region": "64.02", "access": "read"}
    )
    page = response.content.decode()
    raw = page.split('<code class="token">')[1].split("</code>")[0]
    assert raw.startswith("kk_")
    with django_assert_max_num_queries(15):
        listing = client.get("/integrasi/").content.decode()
    assert "Aplikasi Desa" in listing and raw not in listing


def test_tokens_of_another_region_are_not_seen(client, make_user, admin_user):
    from kawal.core.scope import Role

    services.token_create(
        actor=admin_user, name="Sistem Tenggarong", region_code="64.02.06", access="read"
    )
    other = make_user(Role.ADMIN_DINAS, "64.02.05")
    client.force_login(other)
    assert "Sistem Tenggarong" not in client.get("/integrasi/").content.decode()
    assert client.post(f"/integrasi/{ApiToken.objects.get().pk}/cabut/").status_code == 404
