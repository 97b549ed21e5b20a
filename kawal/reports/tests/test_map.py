"""The map's colours: one value per child region, aggregated, inside the user's scope."""

import pytest
from django.urls import reverse

from kawal.reports import selectors
from kawal.reports.tests.conftest import M_VILLAGES, MUARA_BADAK, T_VILLAGES, TENGGARONG

pytestmark = pytest.mark.django_db


def test_regency_map_colours_each_kecamatan_by_its_share(world, sekda, client):
    client.force_login(sekda)
    data = client.get(reverse("reports:map_data"), {"wilayah": "64.02", "ukuran": "beroperasi"})
    values = data.json()["values"]
    # Tenggarong: 2 of 6 operating (33%); Muara Badak: 0 of 3; kecamatan without KMP: absent
    assert values[TENGGARONG]["text"] == "33% (2/6 KMP)"
    assert values[MUARA_BADAK]["text"] == "0% (0/3 KMP)"
    assert len(values) == 2
    assert data.json()["legend"][-1]["label"] == "tidak ada KMP"


def test_village_map_shows_the_phase_of_each_kmp(world, camat):
    data = selectors.map_figures(user=camat, root=TENGGARONG, measure="fase")
    # Jahab reached growing (the last phase); Panji only formed
    assert data["values"][T_VILLAGES[0]]["text"] == "Berkembang (status bulanan)"
    assert data["values"][T_VILLAGES[5]]["text"] == "Terbentuk (KMP terdaftar)"


def test_bumdes_overlap_measure(world, sekda):
    from kawal.potential.models import Bumdes, BumdesUnit

    bumdes = Bumdes.objects.create(village_id=T_VILLAGES[0], name="BUMDes Jahab")
    BumdesUnit.objects.create(bumdes=bumdes, name="Toko desa", category="sembako")
    data = selectors.map_figures(user=sekda, root=TENGGARONG, measure="tumpang_tindih")
    assert data["values"][T_VILLAGES[0]]["text"] == "100% (1/1 KMP)"
    assert data["values"][T_VILLAGES[1]]["text"] == "0% (0/1 KMP)"


def test_map_scope_and_query_ceiling(world, camat, client, django_assert_max_num_queries):
    client.force_login(camat)
    assert client.get(reverse("reports:map_data"), {"wilayah": MUARA_BADAK}).status_code == 404
    assert client.get(reverse("reports:map"), {"wilayah": "64.02"}).status_code == 404
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reports:map"), {"ukuran": "tanpa_kontak_60"})
    assert page.status_code == 200
    assert 'data-values="/dasbor/peta/data.json?ukuran=tanpa_kontak_60&amp;wilayah=64.02.06"' in (
        page.content.decode()
    )
    with django_assert_max_num_queries(20):
        data = client.get(reverse("reports:map_data"), {"wilayah": TENGGARONG, "ukuran": "siap"})
    assert set(data.json()["values"]) == set(T_VILLAGES)
    assert M_VILLAGES[0] not in data.json()["values"]
