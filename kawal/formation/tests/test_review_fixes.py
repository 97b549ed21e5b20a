"""Fixes from the code review: personal data in reminders, order rules, board completions."""

import datetime

import pytest
from django.utils import timezone

from kawal.cooperatives import services as coop_services
from kawal.cooperatives.models import Officer
from kawal.core.scope import Role
from kawal.formation import services

LINK = "wa.me/6281234567890"


@pytest.fixture
def overdue_reminder(admin_user, coop):
    """The ketua has a phone and the musdesus target has passed."""
    coop_services.officer_create(
        actor=admin_user,
        cooperative=coop,
        body=Officer.Body.PENGURUS,
        position=Officer.Position.KETUA,
        name="Ani",
        sex="P",
        phone="081234567890",
    )
    services.target_set(
        actor=admin_user,
        scheme="pendirian_baru",
        step="musdesus",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    services.reminders_build(on=timezone.localdate())


@pytest.mark.parametrize("role", [Role.PIMPINAN, Role.AUDITOR, Role.SATGAS])
def test_readers_get_no_whatsapp_link_nor_number(client, make_user, overdue_reminder, role):
    # given a reader of the whole regency
    reader = make_user(role, "64.02")
    client.force_login(reader)
    # when it opens the reminders and the home page
    page = client.get("/pembentukan/pengingat/")
    home = client.get("/")
    # then the reminder is listed but neither the link nor the number is shown
    assert [r.step for r in page.context["rows"]] == ["musdesus"]
    for body in (page.content.decode(), home.content.decode()):
        assert LINK not in body
        assert "81234567890" not in body


def test_people_who_act_get_the_whatsapp_link(client, camat, make_user, coop, overdue_reminder):
    pengurus = make_user(Role.PENGURUS, coop.village_id)
    for user in (camat, pengurus):
        client.force_login(user)
        assert LINK in client.get("/pembentukan/pengingat/").content.decode()
        assert LINK in client.get("/").content.decode()
