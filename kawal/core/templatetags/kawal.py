"""Template filters for Indonesian formats and masked personal data; loaded as a builtin."""

from django import template

from kawal.core import formats, nik
from kawal.core.scope import can as scope_can
from kawal.core.scope import has_capability as scope_has_capability

register = template.Library()

register.filter("rupiah", formats.rupiah)
register.filter("tanggal", formats.tanggal)
register.filter("tanggal_pendek", formats.tanggal_pendek)
register.filter("bulan", formats.bulan)
register.filter("angka", formats.angka)
register.filter("persen", formats.persen)
register.filter("koordinat", formats.koordinat)  # {{ lat|koordinat:lng }}
register.filter("mask_nik", nik.mask_nik)
register.filter("mask_phone", nik.mask_phone)


@register.filter
def waktu(value, zone="WITA"):
    return formats.waktu(value, zone)


@register.filter
def tanggal_waktu(value, zone="WITA"):
    return formats.tanggal_waktu(value, zone)


@register.simple_tag(takes_context=True)
def can(context, capability, region_code):
    """{% can "edit" coop.village_id as may_edit %}: show a button only when allowed."""
    return scope_can(context["request"].user, capability, region_code)


@register.simple_tag(takes_context=True)
def has_cap(context, capability):
    """{% has_cap "edit" as may %}: whether the user holds the capability anywhere (for links to
    pages that require it, so that no link offered answers "not allowed")."""
    return scope_has_capability(context["request"].user, capability)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (pagination, sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.filter
def readable(events):
    """{% for entry in events|readable %}: audit rows as Indonesian sentences (core.history)."""
    from kawal.core.history import readable as render

    return render(events)
