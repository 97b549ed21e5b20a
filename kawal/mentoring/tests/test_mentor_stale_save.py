from kawal.mentoring import services
from kawal.mentoring.models import Mentor


def test_a_stale_mentor_form_does_not_overwrite_a_newer_save(client, admin_user, ba):
    mentor = Mentor.objects.get(user=ba)
    client.force_login(admin_user)
    loaded = client.get(f"/pendampingan/mentor/{mentor.pk}/ubah/").context["form"]
    assert loaded.initial["version"] == mentor.version
    # someone else saves the mentor meanwhile
    services.mentor_save(
        actor=admin_user,
        user=ba,
        kind=mentor.kind,
        region_code="64.02.06",
        organisation="PMO Kukar",
        expected_version=mentor.version,
    )
    # when the first form is sent with the version it was loaded with
    response = client.post(
        f"/pendampingan/mentor/{mentor.pk}/ubah/",
        {
            "user": ba.pk,
            "kind": mentor.kind,
            "organisation": "Lama",
            "region_code": "64.02.06",
            "is_active": "on",
            "version": loaded.initial["version"],
        },
    )
    # then it is refused and the newer save stays
    assert response.status_code == 200 and response.context["form"].errors
    mentor.refresh_from_db()
    assert mentor.organisation == "PMO Kukar"
