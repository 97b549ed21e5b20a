import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from kawal.core.models import AuditEvent
from kawal.core.scope import Role
from kawal.followups import selectors, services
from kawal.followups.models import FollowUp

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_create_writes_audit_row_and_infers_no_source(admin_user, make_agency, make_followup):
    # given an agency
    dpmd = make_agency("dpmd")
    # when the Dinas creates a follow-up
    f = make_followup(dpmd, title="Data lahan 20 desa")
    # then it is stored, new, manual, and audited in the same region
    assert f.status == FollowUp.Status.BARU and f.source_kind == "manual"
    row = AuditEvent.objects.get(action="followup_create", object_id=str(f.pk))
    assert row.actor == admin_user and row.region_code == "64.02"
    assert row.changes["title"] == [None, "Data lahan 20 desa"]


@pytest.mark.parametrize(
    "missing,field", [("owner_agency", "owner_agency"), ("due_date", "due_date")]
)
def test_create_without_owner_or_due_date_is_refused(admin_user, make_agency, missing, field):
    kwargs = {
        "actor": admin_user,
        "title": "x",
        "owner_agency": make_agency("dpmd"),
        "due_date": TODAY,
        "region_code": "64.02",
    }
    kwargs[missing] = None
    with pytest.raises(ValidationError) as error:
        services.followup_create(**kwargs)
    assert field in error.value.message_dict
    assert FollowUp.objects.count() == 0
    assert not AuditEvent.objects.filter(action="followup_create").exists()


def test_done_needs_evidence(admin_user, make_agency, make_followup):
    f = make_followup(make_agency("dpmd"))
    with pytest.raises(ValidationError) as error:
        services.followup_set_status(actor=admin_user, followup=f, status="selesai")
    assert "evidence" in str(error.value.message_dict["status"]) or "bukti" in str(
        error.value.message_dict["status"]
    )
    f.refresh_from_db()
    assert f.status == "baru" and f.closed_at is None


def test_done_with_evidence_closes_and_audits(
    media, make_user, make_agency, make_followup, pdf_file
):
    # given a follow-up owned by DPMD and a DPMD Satgas member
    dpmd = make_agency("dpmd")
    member = make_user(Role.SATGAS, "64.02", username="staf.dpmd", agency=dpmd)
    f = make_followup(dpmd)
    # when the member reports it done with a file in one step
    services.followup_report(
        actor=member, followup=f, status="selesai", file=pdf_file(), evidence_note="SK terkirim"
    )
    # then it is closed, the evidence is kept and both steps are audited
    f.refresh_from_db()
    assert f.status == "selesai" and f.closed_at is not None and not f.is_overdue
    assert f.evidence.get().file.read().startswith(b"%PDF")
    status_row = AuditEvent.objects.get(action="followup_status", object_id=str(f.pk))
    assert status_row.actor == member and status_row.changes == {"status": ["baru", "selesai"]}
    assert AuditEvent.objects.filter(action="evidence_add", object_id=str(f.pk)).exists()


def test_fake_pdf_is_refused_and_nothing_saved(
    media, admin_user, make_agency, make_followup, pdf_file
):
    f = make_followup(make_agency("dpmd"))
    with pytest.raises(ValidationError) as error:
        services.followup_report(
            actor=admin_user,
            followup=f,
            status="selesai",
            file=pdf_file("laporan.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert "file" in error.value.message_dict
    f.refresh_from_db()
    assert f.status == "baru" and f.evidence.count() == 0


def test_agency_cannot_see_or_close_another_agencys_followup(make_user, make_agency, make_followup):
    dpmd, bpkad = make_agency("dpmd"), make_agency("bpkad")
    member = make_user(Role.SATGAS, "64.02", username="staf.bpkad", agency=bpkad)
    theirs = make_followup(dpmd)
    mine = make_followup(bpkad, title="Anggaran BTT")
    assert list(selectors.followup_list(user=member)) == [mine]
    with pytest.raises(Http404):
        selectors.followup_get(user=member, pk=theirs.pk)
    with pytest.raises(Http404):
        services.followup_set_status(actor=member, followup=theirs, status="dikerjakan")
    theirs.refresh_from_db()
    assert theirs.status == "baru"


def test_agency_member_may_not_cancel_even_its_own(make_user, make_agency, make_followup):
    dpmd = make_agency("dpmd")
    member = make_user(Role.SATGAS, "64.02", username="staf.dpmd", agency=dpmd)
    f = make_followup(dpmd)
    with pytest.raises(PermissionDenied):
        services.followup_set_status(actor=member, followup=f, status="dibatalkan")


def test_leadership_sees_everything_but_changes_nothing(
    client, make_user, make_agency, make_followup
):
    f = make_followup(make_agency("dpmd"))
    sekda = make_user(Role.PIMPINAN, "64.02", username="sekda")
    client.force_login(sekda)
    assert client.get(f"/tindak-lanjut/{f.pk}/").status_code == 200
    response = client.post(f"/tindak-lanjut/{f.pk}/", {"status": "dikerjakan"})
    assert response.status_code == 403


def test_view_post_by_other_agency_is_404(client, make_user, make_agency, make_followup):
    f = make_followup(make_agency("dpmd"))
    other = make_user(Role.SATGAS, "64.02", username="staf.dinkes", agency=make_agency("dinkes"))
    client.force_login(other)
    assert client.get(f"/tindak-lanjut/{f.pk}/").status_code == 404
    assert client.post(f"/tindak-lanjut/{f.pk}/", {"status": "dikerjakan"}).status_code == 404


def test_scope_leak_between_kecamatan(make_user, make_agency, make_followup, client):
    # given follow-ups in Tenggarong and in Muara Badak, and the camat of Tenggarong
    dpmd = make_agency("dpmd")
    here = make_followup(dpmd, title="Tenggarong", region_code="64.02.06")
    there = make_followup(dpmd, title="Muara Badak", region_code="64.02.05")
    camat = make_user(Role.CAMAT, "64.02.06", username="camat")
    # then the camat sees only Tenggarong's, and the other answers 404
    assert list(selectors.followup_list(user=camat)) == [here]
    client.force_login(camat)
    assert client.get(f"/tindak-lanjut/{there.pk}/").status_code == 404
    assert "Muara Badak" not in client.get("/tindak-lanjut/").content.decode()


def test_overdue_is_computed_and_filtered(admin_user, make_agency, make_followup):
    dpmd = make_agency("dpmd")
    late = make_followup(dpmd, title="late", due=TODAY - datetime.timedelta(days=3))
    make_followup(dpmd, title="future", due=TODAY + datetime.timedelta(days=3))
    assert late.is_overdue and late.days_overdue == 3
    rows = list(selectors.followup_list(user=admin_user, status="terlambat"))
    assert rows == [late]
    counts = selectors.followup_counts(user=admin_user)
    assert counts == {"total": 2, "open": 2, "overdue": 1, "done": 0}


def test_list_htmx_partial_vs_full_page(client, admin_user, make_agency, make_followup):
    make_followup(make_agency("dpmd"), title="Data lahan")
    client.force_login(admin_user)
    full = client.get("/tindak-lanjut/")
    partial = client.get("/tindak-lanjut/?q=lahan", headers={"HX-Request": "true"})
    assert b"<html" in full.content and b"Data lahan" in full.content
    assert b"<html" not in partial.content and b"Data lahan" in partial.content


def test_list_and_owes_query_ceiling(
    client, admin_user, make_agency, django_assert_max_num_queries
):
    agencies = [make_agency(f"opd{i}") for i in range(10)]
    rows = [
        FollowUp(
            title=f"t{i}",
            owner_agency=agencies[i % 10],
            due_date=TODAY + datetime.timedelta(days=i - 100),
            region_id="64.02",
            status=["baru", "dikerjakan", "selesai"][i % 3],
        )
        for i in range(300)
    ]
    FollowUp.objects.bulk_create(rows)
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        assert client.get("/tindak-lanjut/?status=terlambat").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/tindak-lanjut/instansi/?instansi=opd1").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/").status_code == 200


def test_owes_page_shows_own_agency(client, make_user, make_agency, make_followup):
    dpmd = make_agency("dpmd")
    make_followup(dpmd, title="Milik DPMD")
    make_followup(make_agency("bpkad"), title="Milik BPKAD")
    client.force_login(make_user(Role.SATGAS, "64.02", username="m", agency=dpmd))
    body = client.get("/tindak-lanjut/instansi/?instansi=bpkad").content.decode()
    assert "Milik DPMD" in body and "Milik BPKAD" not in body


def test_report_form_errors_keep_state(client, admin_user, make_agency, make_followup):
    f = make_followup(make_agency("dpmd"))
    client.force_login(admin_user)
    response = client.post(f"/tindak-lanjut/{f.pk}/", {"status": "selesai", "version": f.version})
    assert response.status_code == 200
    assert "bukti" in response.content.decode().lower()
    f.refresh_from_db()
    assert f.status == "baru"


def test_stale_version_is_refused(admin_user, make_agency, make_followup):
    f = make_followup(make_agency("dpmd"))
    services.followup_set_status(actor=admin_user, followup=f, status="dikerjakan")
    stale = FollowUp.objects.get(pk=f.pk)
    with pytest.raises(ValidationError):
        services.followup_update(actor=admin_user, followup=stale, expected_version=1, title="x")


def test_evidence_served_only_in_scope(
    media, client, make_user, make_agency, make_followup, pdf_file
):
    dpmd = make_agency("dpmd")
    f = make_followup(dpmd)
    member = make_user(Role.SATGAS, "64.02", username="m", agency=dpmd)
    e = services.evidence_add(actor=member, followup=f, file=pdf_file())
    client.force_login(member)
    assert client.get(f"/tindak-lanjut/{f.pk}/bukti/{e.pk}/").status_code == 200
    client.force_login(make_user(Role.SATGAS, "64.02", username="o", agency=make_agency("x")))
    assert client.get(f"/tindak-lanjut/{f.pk}/bukti/{e.pk}/").status_code == 404


def test_source_kind_inferred_from_source_model(admin_user, make_agency, make_followup):
    # a cooperative stands in for "some other source": its model name hints nothing
    from kawal.cooperatives.models import Cooperative
    from kawal.regions.models import Region

    coop = Cooperative.objects.create(village=Region.objects.get(code="64.02.06.1001"), name="K")
    f = make_followup(make_agency("dpmd"), source=coop, region_code="64.02.06.1001")
    assert f.source_kind == "other" and f.source == coop


def test_export_streams_only_what_the_user_sees(client, make_user, make_agency, make_followup):
    import io

    from openpyxl import load_workbook

    dpmd = make_agency("dpmd")
    make_followup(dpmd, title="Milik DPMD")
    make_followup(make_agency("bpkad"), title="Milik BPKAD")
    client.force_login(make_user(Role.SATGAS, "64.02", username="m", agency=dpmd))
    response = client.get("/tindak-lanjut/ekspor.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][1] == "judul" and [r[1] for r in rows[1:]] == ["Milik DPMD"]


def test_camat_sees_its_offices_followup_outside_its_kecamatan(
    make_user, make_agency, make_followup
):
    # given a regency-level follow-up owned by the Tenggarong district office
    office = make_agency("kec-64-02-06", region_code="64.02.06")
    f = make_followup(office, title="Laporan lahan kecamatan", region_code="64.02")
    make_followup(make_agency("dpmd"), title="Bukan urusan camat", region_code="64.02")
    camat = make_user(Role.CAMAT, "64.02.06", username="camat", agency=office)
    # then the camat sees it (and may update it), but not the regency's other follow-ups
    assert list(selectors.followup_list(user=camat)) == [f]
    services.followup_set_status(actor=camat, followup=f, status="dikerjakan")


def test_failed_report_leaves_no_file_behind(
    media, settings, make_user, make_agency, make_followup, pdf_file
):
    # given an agency member who may not cancel
    dpmd = make_agency("dpmd")
    member = make_user(Role.SATGAS, "64.02", username="m", agency=dpmd)
    f = make_followup(dpmd)
    # when evidence is attached together with a refused status change
    with pytest.raises(PermissionDenied):
        services.followup_report(actor=member, followup=f, status="dibatalkan", file=pdf_file())
    # then neither the evidence row nor its file remain
    assert f.evidence.count() == 0
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))


def test_region_filter_by_kecamatan_and_village(admin_user, make_agency, make_followup):
    dpmd = make_agency("dpmd")
    village = make_followup(dpmd, title="desa", region_code="64.02.06.1001")
    make_followup(dpmd, title="kabupaten", region_code="64.02")
    make_followup(dpmd, title="lain", region_code="64.02.05")
    assert list(selectors.followup_list(user=admin_user, region="64.02.06")) == [village]
    assert list(selectors.followup_list(user=admin_user, region="64.02.06.1001")) == [village]
    assert selectors.followup_list(user=admin_user, region="64").count() == 3
    assert not selectors.followup_list(user=admin_user, region="junk").exists()


# --- who runs the programme (Cap.MANAGE) vs who merely edits a village (Cap.EDIT) -------------

VILLAGE = "64.02.06.1001"


@pytest.fixture
def board(make_user, make_cooperative):
    """The board of the Tenggarong village cooperative: Cap.EDIT on its own village."""
    make_cooperative(VILLAGE)
    return make_user(Role.PENGURUS, VILLAGE, username="pengurus")


@pytest.fixture
def mentor(make_user, make_cooperative):
    """A mentor assigned to the village cooperative: Cap.EDIT there through the assignment."""
    from kawal.core.scope import can
    from kawal.mentoring.models import Assignment

    coop = make_cooperative(VILLAGE)
    user = make_user(Role.PENDAMPING, "64.02.06", username="pendamping")
    Assignment.objects.create(mentor=user, cooperative=coop, started_on=TODAY)
    assert can(user, "edit", VILLAGE)  # the premise: the assignment gives Cap.EDIT
    return user


@pytest.fixture(params=["board", "mentor"])
def village_editor(request):
    return request.getfixturevalue(request.param)


def test_village_editor_cannot_cancel_dinas_followup_through_the_page(
    client, village_editor, make_agency, make_followup
):
    # given a DPMD-owned follow-up about the village, visible to the board or the mentor
    f = make_followup(make_agency("dpmd"), region_code=VILLAGE)
    client.force_login(village_editor)
    assert client.get(f"/tindak-lanjut/{f.pk}/").status_code == 200
    # when they post a cancellation (or any report) on the detail page
    for data in ({"status": "dibatalkan", "version": f.version}, {"status": "dikerjakan"}):
        response = client.post(f"/tindak-lanjut/{f.pk}/", data)
        # then it is refused and nothing changes
        assert response.status_code == 403
    f.refresh_from_db()
    assert f.status == "baru" and f.version == 1


def test_village_editor_cannot_cancel_reopen_or_replan_through_services(
    admin_user, village_editor, make_agency, make_followup
):
    dpmd = make_agency("dpmd")
    f = make_followup(dpmd, region_code=VILLAGE)
    with pytest.raises(PermissionDenied):
        services.followup_set_status(actor=village_editor, followup=f, status="dibatalkan")
    with pytest.raises(PermissionDenied):
        services.followup_update(
            actor=village_editor, followup=f, due_date=TODAY + datetime.timedelta(days=90)
        )
    with pytest.raises(PermissionDenied):
        services.followup_update(
            actor=village_editor, followup=f, owner_agency=make_agency("bpkad")
        )
    services.followup_set_status(actor=admin_user, followup=f, status="dibatalkan")
    with pytest.raises(PermissionDenied):
        services.followup_set_status(actor=village_editor, followup=f, status="baru")
    f.refresh_from_db()
    assert f.status == "dibatalkan" and f.owner_agency == dpmd


def test_village_editor_cannot_open_edit_or_create_pages(
    client, village_editor, make_agency, make_followup
):
    dpmd = make_agency("dpmd")
    f = make_followup(dpmd, region_code=VILLAGE)
    client.force_login(village_editor)
    assert client.get(f"/tindak-lanjut/{f.pk}/ubah/").status_code == 403
    response = client.post(
        f"/tindak-lanjut/{f.pk}/ubah/",
        {
            "title": "diubah",
            "owner_agency": dpmd.pk,
            "due_date": "2030-01-01",
            "region_code": VILLAGE,
            "version": f.version,
        },
    )
    assert response.status_code == 403
    assert client.get("/tindak-lanjut/baru/").status_code == 403
    response = client.post(
        "/tindak-lanjut/baru/",
        {"title": "x", "owner_agency": dpmd.pk, "due_date": "2030-01-01", "region_code": VILLAGE},
    )
    assert response.status_code == 403
    f.refresh_from_db()
    assert f.title == "Kirim data lahan" and FollowUp.objects.count() == 1
    # and neither the "new" button nor the "edit" link is shown to them
    assert b"/tindak-lanjut/baru/" not in client.get("/tindak-lanjut/").content
    assert (
        f"/tindak-lanjut/{f.pk}/ubah/".encode() not in client.get(f"/tindak-lanjut/{f.pk}/").content
    )


def test_village_editor_cannot_create_a_followup_by_hand(village_editor, make_agency):
    with pytest.raises(PermissionDenied):
        services.followup_create(
            actor=village_editor,
            title="x",
            owner_agency=make_agency("dpmd"),
            due_date=TODAY,
            region_code=VILLAGE,
        )
    assert FollowUp.objects.count() == 0


def test_mentor_still_creates_followups_from_a_source(mentor, make_agency):
    # given a source record (a cooperative stands in for a visit or consultation)
    from kawal.cooperatives.models import Cooperative

    coop = Cooperative.objects.get(village_id=VILLAGE)
    # when the mentoring service creates a follow-up on the mentor's behalf
    f = services.followup_create(
        actor=mentor,
        title="Rekomendasi kunjungan",
        owner_agency=make_agency("dpmd"),
        due_date=TODAY,
        region_code=VILLAGE,
        cooperative=coop,
        source=coop,
    )
    # then it is created and audited with the mentor as actor
    assert AuditEvent.objects.get(action="followup_create", object_id=str(f.pk)).actor == mentor


def test_camat_manages_followups_in_its_kecamatan_only(make_user, make_agency, make_followup):
    dpmd = make_agency("dpmd")
    here = make_followup(dpmd, region_code=VILLAGE)
    there = make_followup(dpmd, region_code="64.02.05.2006")
    camat = make_user(Role.CAMAT, "64.02.06", username="camat")
    services.followup_set_status(actor=camat, followup=here, status="dibatalkan")
    services.followup_update(actor=camat, followup=here, title="Diganti camat")
    with pytest.raises(Http404):
        services.followup_update(actor=camat, followup=there, title="x")


def test_owner_agency_still_reports_progress_through_the_page(
    client, make_user, make_agency, make_followup
):
    dpmd = make_agency("dpmd")
    f = make_followup(dpmd, region_code=VILLAGE)
    member = make_user(Role.SATGAS, "64.02", username="staf.dpmd", agency=dpmd)
    client.force_login(member)
    response = client.post(
        f"/tindak-lanjut/{f.pk}/",
        {"status": "dikerjakan", "evidence_note": "Surat terkirim", "version": f.version},
    )
    assert response.status_code == 302
    f.refresh_from_db()
    assert f.status == "dikerjakan" and f.evidence.get().note == "Surat terkirim"
    # but it may not cancel nor re-plan its own follow-up
    assert client.get(f"/tindak-lanjut/{f.pk}/ubah/").status_code == 403
    response = client.post(f"/tindak-lanjut/{f.pk}/", {"status": "dibatalkan"})
    f.refresh_from_db()
    assert f.status == "dikerjakan"


# --- the owner agency must serve the region --------------------------------------------------


def test_owner_agency_of_another_regency_is_refused(admin_user, make_agency):
    # given an agency of Kota Samarinda (64.72) and a Kukar village
    samarinda_region()
    samarinda = make_agency("dpmd-smd", region_code="64.72")
    # when the Dinas makes it the owner of a Kukar follow-up, then it is refused in Indonesian
    with pytest.raises(ValidationError) as error:
        services.followup_create(
            actor=admin_user,
            title="x",
            owner_agency=samarinda,
            due_date=TODAY,
            region_code=VILLAGE,
        )
    assert "owner_agency" in error.value.message_dict
    assert FollowUp.objects.count() == 0


def test_owner_agency_check_applies_to_edits_and_the_form(
    client, admin_user, make_user, make_agency, make_followup
):
    samarinda_region()
    samarinda = make_agency("dpmd-smd", short_name="DPMD Samarinda", region_code="64.72")
    f = make_followup(make_agency("dpmd"))
    with pytest.raises(ValidationError):
        services.followup_update(actor=admin_user, followup=f, owner_agency=samarinda)
    # (a provincial administrator sees both regencies' agencies in the form)
    client.force_login(make_user(Role.ADMIN_DINAS, "64", username="dinas-prov"))
    with translation_id():
        response = client.post(
            "/tindak-lanjut/baru/",
            {
                "title": "x",
                "owner_agency": samarinda.pk,
                "due_date": "2030-01-01",
                "region_code": "64.02",
            },
        )
    assert response.status_code == 200
    assert "tidak melayani wilayah ini" in response.content.decode()
    assert FollowUp.objects.count() == 1


def test_kecamatan_office_may_own_regency_and_own_kecamatan_followups(admin_user, make_agency):
    office = make_agency("kec-64-02-06", region_code="64.02.06")
    for code in ("64.02", "64.02.06", VILLAGE):
        services.followup_create(
            actor=admin_user, title=code, owner_agency=office, due_date=TODAY, region_code=code
        )
    assert services.agency_serves(office, "64.02.05.2006")  # same regency
    assert not services.agency_serves(office, "64.72")
    assert not services.agency_serves(office, "64")


def translation_id():
    from django.utils import translation

    return translation.override("id")


def samarinda_region():
    from kawal.regions.models import Region

    Region.objects.get_or_create(
        code="64.72",
        defaults={
            "name": "Kota Samarinda",
            "level": 2,
            "kind": "kota",
            "parent_id": "64",
            "province_code": "64",
            "regency_code": "64.72",
        },
    )


def test_a_camat_in_a_kecamatan_office_counts_its_kecamatan_and_sees_what_its_office_owes(
    make_user, make_agency, make_followup, rf
):
    # given a camat sitting in its kecamatan office, which owes one follow-up, while the DPMD
    # owes two in the same kecamatan and one elsewhere
    from kawal.followups.contributions import home_panel

    office, dpmd = make_agency("kec-tgr", region_code="64.02.06"), make_agency("dpmd")
    make_followup(office, title="Rekap lahan desa", region_code="64.02.06.1001")
    make_followup(dpmd, region_code="64.02.06.1002")
    make_followup(dpmd, region_code="64.02.06.1003")
    make_followup(dpmd, region_code="64.02.05.2001")
    camat = make_user(Role.CAMAT, "64.02.06", agency=office)
    request = rf.get("/")
    request.user = camat
    # when its home page is drawn
    panel = home_panel(request)
    # then the counts are its kecamatan's (three open), not only its office's (one)
    assert not panel["leads"]
    assert panel["counts"]["open"] == 3
    assert "instansi=" not in panel["open_url"]
    # and what its office owes is listed
    assert [f.title for f in panel["owed"]] == ["Rekap lahan desa"]
