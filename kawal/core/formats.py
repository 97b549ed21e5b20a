"""Indonesian display formats: Rupiah, numbers, dates, and times in WIB/WITA/WIT."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils import timezone

EMPTY = "—"
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")  # date.weekday() order
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

Number = int | float | Decimal | str


def _decimal(value: Number | None) -> Decimal | None:
    """A Decimal, or None for empty/unparseable input (displayed as "—", never an error)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        # str() first so floats like 0.1 are not carried over with binary noise.
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _group(whole: int) -> str:
    """Dot as the thousands separator: 1250000 -> 1.250.000."""
    return f"{whole:,}".replace(",", ".")


def rupiah(value: Number | None, *, decimals: bool = False) -> str:
    """`Rp1.250.000`, `Rp1.250.000,50` with decimals, `-Rp5.000` when negative."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    # Round before taking the sign so -0.4 shows as Rp0, not -Rp0.
    amount = amount.quantize(Decimal("0.01") if decimals else Decimal("1"), ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):f}".partition(".")
    text = _group(int(whole)) + (f",{cents}" if decimals else "")
    return f"{sign}Rp{text}"


def angka(value: Number | None) -> str:
    """A whole number with dot thousands: `83.762`."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    whole = int(amount.quantize(Decimal("1"), ROUND_HALF_UP))
    return ("-" if whole < 0 else "") + _group(abs(whole))


def persen(value: Number | None, digits: int = 0) -> str:
    """`85%` or, with digits=1, `85,5%` (comma as the decimal mark)."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    # Half-up like a person would round (float formatting rounds 84.5 to 84).
    amount = amount.quantize(Decimal(1).scaleb(-int(digits)), ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, frac = f"{abs(amount):f}".partition(".")
    return f"{sign}{_group(int(whole))}" + (f",{frac}" if frac else "") + "%"


def _date(value: datetime.date | None) -> datetime.date | None:
    """The calendar date; aware datetimes are read in the site's local time first."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def tanggal(value: datetime.date | None) -> str:
    """Long date: `10 Juni 2025`."""
    d = _date(value)
    return EMPTY if d is None else f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def bulan(value: datetime.date | None) -> str:
    """Month and year: `Juni 2025` (a reporting month)."""
    d = _date(value)
    return EMPTY if d is None else f"{MONTHS[d.month - 1]} {d.year}"


def tanggal_pendek(value: datetime.date | None) -> str:
    """Short date: `10/06/2025`."""
    d = _date(value)
    return EMPTY if d is None else f"{d.day:02d}/{d.month:02d}/{d.year}"


def hari(value: datetime.date | None) -> str:
    """Weekday name: `Selasa`."""
    d = _date(value)
    return EMPTY if d is None else DAYS[d.weekday()]


def _in_zone(value: datetime.datetime, zone: str) -> datetime.datetime:
    """The moment in one of Indonesia's three zones; naive values count as site-local time."""
    try:
        tz = ZoneInfo(ZONES[zone.upper()])
    except KeyError:
        raise ValueError(f"Unknown Indonesian time zone {zone!r}; use WIB, WITA or WIT.") from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(tz)


def waktu(value: datetime.datetime | None, zone: str = "WITA") -> str:
    """Clock time with its zone: `10.00 WITA`."""
    if not isinstance(value, datetime.datetime):
        return EMPTY
    return f"{_in_zone(value, zone):%H.%M} {zone.upper()}"


def tanggal_waktu(value: datetime.datetime | None, zone: str = "WITA") -> str:
    """Date and time in one zone: `21 Juli 2025, 10.00 WIB` (the date is that zone's date)."""
    if not isinstance(value, datetime.datetime):
        return tanggal(value)
    local = _in_zone(value, zone)
    return f"{tanggal(local.date())}, {local:%H.%M} {zone.upper()}"


def koordinat(lat: Number | None, lng: Number | None, digits: int = 5) -> str:
    """`0,45123° LS · 117,01234° BT`: Indonesian decimal commas, hemispheres instead of signs,
    and a separator that cannot be mistaken for a decimal mark."""
    if lat in (None, "") or lng in (None, ""):
        return EMPTY
    try:
        Decimal(str(lat)) + Decimal(str(lng))
    except InvalidOperation:
        return EMPTY

    def part(value, positive: str, negative: str) -> str:
        amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
        text = f"{abs(amount):f}".replace(".", ",")
        return f"{text}° {positive if amount >= 0 else negative}"

    return f"{part(lat, 'LU', 'LS')} · {part(lng, 'BT', 'BB')}"
