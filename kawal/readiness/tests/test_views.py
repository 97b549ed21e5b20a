import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kawal.core.scope import Role
from kawal.readiness import services
from kawal.readiness.models import Assessment
from kawal.readiness.tests.conftest import BADAK, DAY, other_dinas, score_all_manual

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def camat(make_user):
    return make_user(Role.CAMAT, "64.02.06", username="camat-t")


def _assessed(admin_user, coop, status="submitted", value=75):
    a = services.assessment_create(actor=admin_user, cooperative=coop, assessed_on=DAY)
    score_all_manual(a, admin_user, value)
    if status in ("submitted", "verified"):
        services.assessment_submit(actor=admin_user, assessment=a)
    if status == "verified":
        services.assessment_verify(actor=other_dinas(), assessment=a)
    return a


def test_scope_leak_camat_sees_only_its_kecamatan(
    client, admin_user, instrument, coop, camat, make_cooperative
):
    far = make_cooperative(BADAK)
    mine = _assessed(admin_user, coop)
    theirs = _assessed(admin_user, far)
    client.force_login(camat)
    page = client.get("/kesiapan/")
    names = {c.name for c in page.context["page"].object_list}
    assert coop.name in names and far.name not in names
    assert client.get(f"/kesiapan/penilaian/{mine.pk}/").status_code == 200
    assert client.get(f"/kesiapan/penilaian/{theirs.pk}/").status_code == 404
    assert client.get(f"/kesiapan/koperasi/{far.pk}/").status_code == 404
    assert client.get(f"/kesiapan/penilaian/{theirs.pk}/bukti/1/").status_code == 404


def test_not_assessed_is_shown_as_such_never_zero(
    client, admin_user, instrument, coop, make_cooperative
):
    other = make_cooperative("64.02.06.1002")
    # a draft does not count either
    services.assessment_create(actor=admin_user, cooperative=other, assessed_on=DAY)
    client.force_login(admin_user)
    page = client.get("/kesiapan/?kecamatan=64.02.06")
    assert page.context["summary"]["totals"]["belum_dinilai"] >= 2
    assert page.context["summary"]["totals"]["belum_siap"] == 0
    rows = {c.pk: c for c in page.context["page"].object_list}
    assert rows[coop.pk].latest is None
    assert "Belum dinilai".lower() in page.content.decode().lower()
    listed = client.get("/kesiapan/?kategori=belum_dinilai&kecamatan=64.02.06")
    assert {c.pk for c in listed.context["page"].object_list} >= {coop.pk, other.pk}
    history = client.get(f"/kesiapan/koperasi/{coop.pk}/")
    assert history.context["spark"] == {}


def test_index_htmx_returns_only_the_rows(client, admin_user, instrument, coop):
    client.force_login(admin_user)
    full = client.get("/kesiapan/")
    partial = client.get("/kesiapan/", headers={"HX-Request": "true"})
    assert b"<html" in full.content and b"<html" not in partial.content
    assert coop.name.encode() in partial.content
    assert b"stat-value" not in partial.content


def test_index_query_ceiling_at_regency_size(
    client, admin_user, instrument, make_cooperative, django_assert_max_num_queries
):
    from kawal.cooperatives.models import Cooperative
    from kawal.regions.models import Region

    villages = Region.objects.filter(level=4, regency_code="64.02").exclude(
        cooperative__isnull=False
    )
    Cooperative.objects.bulk_create(Cooperative(village=v, name=f"KMP {v.name}") for v in villages)
    for c in Cooperative.objects.all()[:30]:
        _assessed(admin_user, c)
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        page = client.get("/kesiapan/")
    assert page.status_code == 200
    assert page.context["summary"]["total"] == 237
    with django_assert_max_num_queries(20):
        assert client.get("/").status_code == 200
    a = Assessment.objects.first()
    with django_assert_max_num_queries(20):
        assert client.get(f"/kesiapan/penilaian/{a.pk}/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/kesiapan/koperasi/{a.cooperative_id}/").status_code == 200


def test_phone_flow_score_with_evidence_then_submit(client, instrument, coop, pendamping):
    client.force_login(pendamping)
    response = client.post(f"/kesiapan/koperasi/{coop.pk}/nilai/", {"assessed_on": "2025-10-01"})
    assessment = Assessment.objects.get()
    assert response.url == f"/kesiapan/penilaian/{assessment.pk}/"
    rows = list(assessment.scores.filter(item__method="manual"))
    # an htmx save returns just the item card
    first = rows[0]
    photo = SimpleUploadedFile("bukti.png", PNG, content_type="image/png")
    r = client.post(
        f"/kesiapan/penilaian/{assessment.pk}/butir/{first.pk}/",
        {
            f"s{first.pk}-score": "75",
            f"s{first.pk}-comment": "AD/ART ada",
            f"s{first.pk}-evidence": photo,
            f"s{first.pk}-version": assessment.version,
        },
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and b"<html" not in r.content
    assert b'id="summary" hx-swap-oob="true"' in r.content  # the overall score follows
    # ... and every other form on the page gets the assessment's new version
    assessment.refresh_from_db()
    second = rows[1]
    assert (
        f'name="s{second.pk}-version" value="{assessment.version}" id="id_s{second.pk}-version"'
        ' hx-swap-oob="true"'
    ).encode() in r.content
    assert f'value="{assessment.version}" id="submit_version"'.encode() in r.content
    first.refresh_from_db()
    assert first.score == 75 and first.evidence
    # the evidence is served only through the scoped view
    served = client.get(f"/kesiapan/penilaian/{assessment.pk}/bukti/{first.pk}/")
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    for row in rows[1:]:
        assessment.refresh_from_db()
        r = client.post(
            f"/kesiapan/penilaian/{assessment.pk}/butir/{row.pk}/",
            {f"s{row.pk}-score": "50", f"s{row.pk}-version": assessment.version},
        )
        assert r.status_code == 302
    assessment.refresh_from_db()
    client.post(
        f"/kesiapan/penilaian/{assessment.pk}/kirim/",
        {"comment": "selesai", "version": assessment.version},
    )
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.comment == "selesai"


def test_bad_inputs_on_the_item_form(client, instrument, coop, pendamping):
    client.force_login(pendamping)
    client.post(f"/kesiapan/koperasi/{coop.pk}/nilai/", {"assessed_on": "2025-10-01"})
    assessment = Assessment.objects.get()
    row = assessment.scores.filter(item__method="manual").first()
    url = f"/kesiapan/penilaian/{assessment.pk}/butir/{row.pk}/"
    # a score outside the scale
    v = assessment.version
    r = client.post(url, {f"s{row.pk}-score": "60", f"s{row.pk}-version": v})
    assert r.status_code == 400
    # a program disguised as a photo
    fake = SimpleUploadedFile("foto.jpg", b"MZ" + b"\x00" * 40, content_type="image/jpeg")
    r = client.post(
        url, {f"s{row.pk}-score": "50", f"s{row.pk}-evidence": fake, f"s{row.pk}-version": v}
    )
    assert r.status_code == 400
    assert "program" in r.content.decode().lower()
    row.refresh_from_db()
    assert row.score is None and not row.evidence
    # submitting incomplete: a message, still a draft
    r = client.post(f"/kesiapan/penilaian/{assessment.pk}/kirim/", {"version": v}, follow=True)
    assessment.refresh_from_db()
    assert assessment.status == "draft"
    assert r.status_code == 200


def test_pendamping_cannot_verify_over_http(client, admin_user, instrument, coop, pendamping):
    a = _assessed(admin_user, coop)
    client.force_login(pendamping)
    assert client.post(f"/kesiapan/penilaian/{a.pk}/verifikasi/").status_code == 403
    a.refresh_from_db()
    assert a.status == "submitted"


def test_trend_sparkline_from_counted_assessments(
    client, admin_user, instrument, coop, dinas_agency
):
    import datetime

    a1 = _assessed(admin_user, coop, "verified", 25)
    a2 = services.assessment_create(
        actor=admin_user, cooperative=coop, assessed_on=DAY + datetime.timedelta(days=30)
    )
    score_all_manual(a2, admin_user, 100)
    a2.refresh_from_db()
    services.assessment_submit(actor=admin_user, assessment=a2)
    client.force_login(admin_user)
    page = client.get(f"/kesiapan/koperasi/{coop.pk}/")
    spark = page.context["spark"]
    assert spark["first_score"] == float(a1.score)
    assert b"<polyline" in page.content


def test_instrument_pages_and_edit_flow(client, admin_user, instrument):
    client.force_login(admin_user)
    assert client.get("/kesiapan/instrumen/").status_code == 200
    page = client.get(f"/kesiapan/instrumen/{instrument.pk}/")
    assert page.status_code == 200 and not page.context["may_edit"]
    r = client.post(f"/kesiapan/instrumen/{instrument.pk}/versi-baru/")
    draft_url = r.url
    page = client.get(draft_url)
    assert page.context["may_edit"]
    area = page.context["areas"][0]
    r = client.post(
        draft_url + "ubah/",
        {
            "what": "area",
            "area": area.pk,
            f"a{area.pk}-code": area.code,
            f"a{area.pk}-name": area.name,
            f"a{area.pk}-weight": "45",
            f"a{area.pk}-order": "0",
        },
    )
    assert r.status_code == 302
    page = client.get(draft_url)
    assert any("105%" in p for p in page.context["problems"])
    r = client.post(draft_url + "terbitkan/", follow=True)
    assert "105%" in r.content.decode()


def test_anonymous_users_are_sent_to_login(client, kukar):
    for url in ("/kesiapan/", "/kesiapan/instrumen/"):
        assert client.get(url).url.startswith("/akun/masuk/")


def test_svg_numbers_are_not_localised(client, admin_user, instrument, coop, dinas_agency):
    import re

    _assessed(admin_user, coop, "verified", 50)
    client.force_login(admin_user)
    for url in ("/kesiapan/", f"/kesiapan/koperasi/{coop.pk}/"):
        html = client.get(url).content.decode()
        svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
        assert not re.search(r'="[0-9]+,[0-9]', svg), svg  # 12,5 is Indonesian, not SVG
