"""Partnerships: stages forward only, documents, blocked reasons, and the waiting-on-partners page."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kawal.core.models import AuditEvent
from kawal.operations import selectors, services
from kawal.operations.models import Partnership, PartnershipStep

from .conftest import MUARA_BADAK, TENGGARONG

D = datetime.date


@pytest.mark.django_db
def test_a_partnership_for_an_outlet_of_another_kmp_is_refused(
    legal_coop, make_outlet, partner, admin_user
):
    other_outlet = make_outlet(legal_coop(MUARA_BADAK))

    with pytest.raises(ValidationError) as error:
        services.partnership_create(
            actor=admin_user,
            cooperative=legal_coop(TENGGARONG),
            partner=partner(),
            covers="beras",
            outlet=other_outlet,
            started_on=D(2025, 9, 1),
        )

    assert "outlet" in error.value.message_dict
    assert not Partnership.objects.exists()


@pytest.mark.django_db
def test_a_partnership_moves_forward_and_becomes_active_only_after_signing(
    legal_coop, partner, admin_user, pdf_file
):
    item = services.partnership_create(
        actor=admin_user,
        cooperative=legal_coop(),
        partner=partner(),
        covers="beras",
        started_on=D(2025, 9, 1),
    )
    with pytest.raises(ValidationError):
        services.partnership_step(
            actor=admin_user, partnership=item, stage="aktif", happened_on=D(2025, 9, 10)
        )
    with pytest.raises(ValidationError):  # PKS without the signed document
        services.partnership_step(
            actor=admin_user, partnership=item, stage="pks", happened_on=D(2025, 9, 10)
        )
    services.partnership_step(
        actor=admin_user,
        partnership=item,
        stage="pks",
        happened_on=D(2025, 9, 10),
        document=pdf_file("pks.pdf"),
    )
    with pytest.raises(ValidationError):
        services.partnership_step(
            actor=admin_user, partnership=item, stage="diajukan", happened_on=D(2025, 9, 11)
        )
    services.partnership_step(
        actor=admin_user, partnership=item, stage="aktif", happened_on=D(2025, 9, 20)
    )

    item.refresh_from_db()
    assert item.stage == "aktif"
    assert item.stage_since == D(2025, 9, 20)
    assert PartnershipStep.objects.filter(partnership=item).count() == 3
    assert AuditEvent.objects.filter(action="partnership_step", object_id=str(item.pk)).count() == 2


@pytest.mark.django_db
def test_a_stale_partnership_step_is_refused(legal_coop, partner, admin_user):
    item = services.partnership_create(
        actor=admin_user,
        cooperative=legal_coop(),
        partner=partner(),
        covers="beras",
        started_on=D(2025, 9, 1),
    )
    version = item.version
    services.partnership_step(
        actor=admin_user,
        partnership=item,
        stage="diajukan",
        happened_on=D(2025, 9, 5),
        expected_version=version,
    )
    stale = Partnership.objects.get(pk=item.pk)
    stale.version = version
    with pytest.raises(ValidationError):
        services.partnership_step(
            actor=admin_user,
            partnership=stale,
            stage="verifikasi",
            happened_on=D(2025, 9, 6),
            expected_version=version,
        )
    assert Partnership.objects.get(pk=item.pk).stage == "diajukan"


@pytest.mark.django_db
def test_the_waits_page_counts_kmp_per_partner_stage_and_kecamatan(
    legal_coop, partner, admin_user, client, django_assert_max_num_queries
):
    bulog, pertamina = partner(), partner("Pertamina", "lpg")
    for village in (TENGGARONG, "64.02.06.1002"):
        services.partnership_create(
            actor=admin_user,
            cooperative=legal_coop(village),
            partner=bulog,
            covers="beras",
            started_on=D(2025, 9, 1),
        )
    services.partnership_create(
        actor=admin_user,
        cooperative=legal_coop(MUARA_BADAK),
        partner=pertamina,
        covers="LPG 3 kg",
        started_on=D(2025, 10, 1),
    )

    waits = selectors.partner_waits(user=admin_user)
    assert [(r["name"], r["total"]) for r in waits["rows"]] == [
        ("Perum Bulog", 2),
        ("Pertamina", 1),
    ]
    assert waits["rows"][0]["districts"][0]["code"] == "64.02.06"
    assert waits["rows"][0]["since"] == D(2025, 9, 1)

    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        page = client.get("/operasional/menunggu-mitra/")
    body = page.content.decode()
    assert f"/operasional/kemitraan/?mitra={bulog.pk}&tahap=penjajakan" in body
    listing = client.get(
        f"/operasional/kemitraan/?mitra={bulog.pk}&tahap=menunggu&kecamatan=64.02.06"
    )
    assert len(listing.context["page"].object_list) == 2
