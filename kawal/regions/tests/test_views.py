import pytest

from kawal.core.scope import Role


@pytest.fixture
def camat(make_user):
    return make_user(Role.CAMAT, "64.02.06", username="camat-tgr")


def test_camat_browses_only_its_kecamatan(client, camat):
    client.force_login(camat)
    assert client.get("/wilayah/").url == "/wilayah/64.02.06/"
    page = client.get("/wilayah/64.02.06/")
    assert page.status_code == 200
    assert b"Kecamatan Tenggarong" in page.content
    assert client.get("/wilayah/64.02.05/").status_code == 404  # another kecamatan
    assert client.get("/wilayah/64.02/").status_code == 404  # its regency is above it


def test_unknown_region_code_is_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/wilayah/64.02.99/").status_code == 404
    assert client.get("/wilayah/xx/").status_code == 404


def test_regency_page_counts_villages_per_kecamatan(
    client, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(10):
        page = client.get("/wilayah/64.02/")
    assert page.status_code == 200
    rows = {c.code: (c.desa_count, c.kelurahan_count) for c in page.context["children"]}
    assert len(rows) == 20
    assert sum(d for d, _ in rows.values()) == 193
    assert sum(k for _, k in rows.values()) == 44


def test_boundaries_are_scoped(client, camat):
    client.force_login(camat)
    data = client.get("/wilayah/64.02.06/batas.geojson").json()
    codes = {f["properties"]["code"] for f in data["features"]}
    assert codes and all(c.startswith("64.02.06.") for c in codes)
    assert client.get("/wilayah/64.02/batas.geojson").status_code == 404


def _positions(geometry) -> list[int]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [len(ring) for polygon in polygons for ring in polygon]


def test_map_outlines_are_simplified_for_the_scale_and_cached(client, admin_user):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kawal.regions.models import RegionBoundary

    cache.clear()
    client.force_login(admin_user)
    regency = client.get("/wilayah/64.02/batas.geojson?level=4").json()
    raw = {b.region_id: b.geometry for b in RegionBoundary.objects.filter(region__level=4)}

    assert {f["properties"]["code"] for f in regency["features"]} == set(raw)
    sent = sum(sum(_positions(f["geometry"])) for f in regency["features"])
    stored = sum(sum(_positions(g)) for g in raw.values())
    assert sent < stored / 2  # the whole regency at once needs far fewer vertices
    for feature in regency["features"]:
        coords = feature["geometry"]["coordinates"]
        rings = [coords] if feature["geometry"]["type"] == "Polygon" else coords
        for ring in (r for polygon in rings for r in polygon):
            assert len(ring) >= 4 and ring[0] == ring[-1]  # still a closed polygon
    # A kecamatan's map is finer than the regency's: more vertices for the same villages.
    kecamatan = client.get("/wilayah/64.02.06/batas.geojson").json()
    codes = {f["properties"]["code"] for f in kecamatan["features"]}
    coarse = sum(
        sum(_positions(f["geometry"]))
        for f in regency["features"]
        if f["properties"]["code"] in codes
    )
    assert sum(sum(_positions(f["geometry"])) for f in kecamatan["features"]) > coarse
    # Asked again, the outlines come from the cache: the outline table is not read.
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/wilayah/64.02.06/batas.geojson").json() == kecamatan
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get("/wilayah/64.02.06/batas.geojson").json() == kecamatan
    assert len(cold.captured_queries) == len(warm.captured_queries) + 1


def test_douglas_peucker_keeps_what_the_eye_sees():
    from kawal.regions.geometry import simplify_line

    jitter = [(x / 10, 0.00001 * (x % 2)) for x in range(11)]
    assert simplify_line(jitter, 0.001) == [jitter[0], jitter[-1]]
    spike = [(0, 0), (1, 0), (2, 1), (3, 0), (4, 0)]
    assert (2, 1) in simplify_line(spike, 0.1)


def test_map_page_uses_local_leaflet(client, camat):
    client.force_login(camat)
    page = client.get("/wilayah/peta/")
    assert page.status_code == 200
    assert b"/static/leaflet/leaflet.js" in page.content
    assert b"unpkg" not in page.content and b"cdn" not in page.content.lower()


def test_home_shows_counts_of_the_users_area(client, camat, django_assert_max_num_queries):
    client.force_login(camat)
    # The home page gathers every app's panel; together they stay inside the page budget.
    with django_assert_max_num_queries(20):
        page = client.get("/")
    assert page.status_code == 200
    counts = page.context["panels"][0][1]["counts"]
    assert counts["kecamatan"] == 1
    assert counts["desa"] + counts["kelurahan"] > 0


def test_home_of_a_single_village_user_shows_no_region_counts(client, make_user):
    board = make_user(Role.PENGURUS, "64.02.05.2006")
    client.force_login(board)
    page = client.get("/")
    assert "Tanah Datar" in page.content.decode()
    # "0 kecamatan, 1 desa, 0 kelurahan" would say nothing to a cooperative board
    assert 'stat-label">kecamatan<' not in page.content.decode()


def test_no_query_defers_a_boundary_any_more():
    # Outlines live in their own table (RegionBoundary, reached as `region.boundary`), so loading
    # a region never loads a polygon and no query needs `.defer(...boundary)`; one left behind
    # would be a no-op that tells the reader the opposite.
    import re
    from pathlib import Path

    kawal = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(kawal)}:{n}"
        for path in kawal.rglob("*.py")
        if "migrations" not in path.parts and path != Path(__file__).resolve()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r'boundary"\s*[,)]', line)
        and "defer" in line
        or re.fullmatch(r'\s*"(?:\w+__)?boundary"\s*', line)
    ]
    assert found == []
