import pytest

from kawal.core.scope import Role
from kawal.followups import services


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_very_long_evidence_name_keeps_its_extension_on_download(
    media, client, make_user, make_agency, make_followup, pdf_file
):
    dpmd = make_agency("dpmd")
    f = make_followup(dpmd)
    member = make_user(Role.SATGAS, "64.02", username="m", agency=dpmd)
    e = services.evidence_add(actor=member, followup=f, file=pdf_file("laporan-" * 40 + ".pdf"))
    assert e.original_name.endswith(".pdf") and len(e.original_name) <= 200
    client.force_login(member)
    response = client.get(f"/tindak-lanjut/{f.pk}/bukti/{e.pk}/")
    assert '.pdf"' in response["Content-Disposition"]
