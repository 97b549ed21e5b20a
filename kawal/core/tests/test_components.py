from django.template.loader import render_to_string


def test_table_component_renders_rows_or_an_empty_state():
    html = render_to_string(
        "components/table.html",
        {"headers": ["Kecamatan", "KMP"], "rows": [["Tenggarong", 14]], "caption": "Rekap"},
    )
    assert '<th scope="col">Kecamatan</th>' in html and "<td>14</td>" in html
    empty = render_to_string("components/table.html", {"headers": ["A"], "rows": []})
    assert "<table>" not in empty and 'class="empty"' in empty


def test_stat_card_links_when_given_a_url():
    html = render_to_string(
        "components/stat_card.html", {"label": "KMP", "value": 237, "url": "/koperasi/"}
    )
    assert 'href="/koperasi/"' in html and "237" in html
