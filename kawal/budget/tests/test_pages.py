import pytest
from django.urls import reverse

from kawal.budget.models import BudgetLine
from kawal.core.scope import Role


def test_lines_of_another_regency_are_invisible(client, make_user, make_line):
    mine = make_line(ceiling=1, description="Garis Kukar")
    province = make_user(Role.ADMIN_DINAS, "64")
    other = make_line(ceiling=1, description="Garis Provinsi", region="64", actor=province)
    client.force_login(make_user(Role.ADMIN_DINAS, "64.02"))

    page = client.get(reverse("budget:index")).content.decode()

    assert mine.description in page
    assert other.description not in page
    assert client.get(reverse("budget:line_detail", args=[other.pk])).status_code == 404


def test_htmx_gets_only_the_rows(client, admin_user, make_line):
    make_line(ceiling=5, description="Baris satu")
    client.force_login(admin_user)

    full = client.get(reverse("budget:index"))
    partial = client.get(reverse("budget:index"), headers={"HX-Request": "true"})

    assert b"<html" in full.content and b"Baris satu" in full.content
    assert b"<html" not in partial.content and b"Baris satu" in partial.content


def test_budget_overview_query_count_does_not_grow(
    client, admin_user, make_line, django_assert_max_num_queries
):
    for _ in range(30):
        make_line(ceiling=7)
    client.force_login(admin_user)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("budget:index")).status_code == 200


def test_commit_form_refuses_an_over_commitment_with_a_clear_message(client, admin_user, make_line):
    line = make_line(ceiling=1_000_000)
    client.force_login(admin_user)
    response = client.post(
        reverse("budget:line_detail", args=[line.pk]),
        {
            "action": "commit",
            "amount": "Rp1.000.001",
            "description": "x",
            "committed_on": "2025-11-01",
        },
    )
    assert response.status_code == 200
    assert "Rp1.000.000" in response.content.decode()
    assert not line.commitments.exists()


def test_commit_form_refuses_a_negative_amount(client, admin_user, make_line):
    line = make_line(ceiling=1_000_000)
    client.force_login(admin_user)
    response = client.post(
        reverse("budget:line_detail", args=[line.pk]),
        {"action": "commit", "amount": "-5.000", "description": "x", "committed_on": "2025-11-01"},
    )
    assert response.status_code == 200
    assert not line.commitments.exists()


@pytest.mark.parametrize("text,expected", [("1.250.000", 1_250_000), ("Rp 75000", 75_000)])
def test_rupiah_field_reads_office_notation(text, expected):
    from kawal.budget.forms import RupiahField

    assert RupiahField().clean(text) == expected


def test_line_status_badge_and_stale_edit_message(client, admin_user, make_line):
    line = make_line(ceiling=10, status=BudgetLine.Status.USULAN)
    client.force_login(admin_user)
    data = {
        "version": line.version - 1 if line.version > 1 else 0,
        "fiscal_year": 2025,
        "program": "p",
        "kegiatan": "k",
        "sub_kegiatan": "s",
        "account_code": "5.1",
        "description": "d",
        "purpose": "pelatihan",
        "source": "apbd",
        "ceiling": "10",
    }
    response = client.post(reverse("budget:line_edit", args=[line.pk]), data)
    assert response.status_code == 200
    line.refresh_from_db()
    assert line.description != "d"
