"""The demo data set: every app loads, every printed login works, and it is labelled as demo."""

import io
import re

import pytest
from django.core.management import call_command

from kawal.core.demo import DEMO_PASSWORD


@pytest.mark.django_db
def test_demo_fills_kukar_and_every_printed_login_works(
    kukar, client, django_assert_max_num_queries
):
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    printed = re.findall(r"^  (\S+)\s{2,}", out.getvalue().split("Demo logins", 1)[1], re.M)

    from kawal.cooperatives.models import Cooperative

    assert Cooperative.objects.filter(village__regency_code="64.02").count() == 237
    assert {"dinas", "camat.tenggarong", "pendamping", "pengurus.tanahdatar"} <= set(printed)
    for username in printed:
        client.logout()
        home = client.post(
            "/akun/masuk/", {"username": username, "password": DEMO_PASSWORD}, follow=True
        )
        assert home.context["user"].username == username
        assert home.status_code == 200, username
        assert b"DATA DEMO" in home.content  # synthetic data is labelled on every page

    # The home page gathers every app's panel; on the full demo it stays within the page budget.
    client.logout()
    client.post("/akun/masuk/", {"username": "dinas", "password": DEMO_PASSWORD})
    with django_assert_max_num_queries(20):
        assert client.get("/").status_code == 200

    again = io.StringIO()
    call_command("demo_data", "--if-empty", stdout=again)
    assert "already present" in again.getvalue()
    assert Cooperative.objects.count() == 237
