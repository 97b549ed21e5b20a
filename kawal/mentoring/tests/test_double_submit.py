"""A double-clicked create form saves one record."""

from kawal.core.scope import Role
from kawal.mentoring.models import Consultation


def test_a_consultation_form_sent_twice_is_saved_once(client, make_user, coop):
    client.force_login(make_user(Role.CAMAT, "64.02.06"))
    form = client.get(f"/pendampingan/konsultasi/baru/?koperasi={coop.pk}").context["form"]
    token = form.initial["form_token"]
    assert token
    data = {
        "cooperative": coop.pk,
        "visitor_name": "Budi",
        "visitor_role": "ketua",
        "topic": "simkopdes",
        "question": "Bagaimana?",
        "advice": "Saran",
        "form_token": token,
    }
    first = client.post("/pendampingan/konsultasi/baru/", data)
    second = client.post("/pendampingan/konsultasi/baru/", data)
    assert first.status_code == 302 and second.status_code == 302
    assert Consultation.objects.count() == 1
