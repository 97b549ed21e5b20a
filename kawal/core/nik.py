"""NIK (16-digit personal ID) and mobile phone numbers: validation and masking.

Both are personal data: shown masked unless a role needs them, never logged.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# The 38 provinces (Kemendagri codes), incl. the 2022 Papua splits 93–96.
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    ]
)
FEMALE_DAY_OFFSET = 40  # women's NIKs carry the birth day + 40


@dataclass(frozen=True)
class NikInfo:
    """What a valid NIK encodes."""

    nik: str
    region_code: str  # "PP.KK.CC": province, regency, district of issue
    birth_date: datetime.date
    is_female: bool


def validate_nik(value: str, *, today: datetime.date | None = None) -> NikInfo:
    """Check a NIK's structure and decode it; raise ValidationError naming the broken rule."""
    nik = re.sub(r"\s", "", str(value or ""))
    if not re.fullmatch(r"\d{16}", nik):
        raise ValidationError(_("NIK must be exactly 16 digits."), code="nik_length")
    if nik[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("NIK does not start with a valid province code."), code="nik_province"
        )
    if nik[2:4] == "00":
        raise ValidationError(_("NIK regency code (digits 3–4) cannot be 00."), code="nik_regency")
    if nik[4:6] == "00":
        raise ValidationError(
            _("NIK district code (digits 5–6) cannot be 00."), code="nik_district"
        )

    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    is_female = day > FEMALE_DAY_OFFSET
    if is_female:
        day -= FEMALE_DAY_OFFSET
    if not 1 <= day <= 31:
        raise ValidationError(
            _("NIK birth day (digits 7–8) must be 01–31 for men or 41–71 for women."),
            code="nik_birth_day",
        )
    if not 1 <= month <= 12:
        raise ValidationError(
            _("NIK birth month (digits 9–10) must be 01–12."), code="nik_birth_month"
        )
    # Two-digit year: 20YY unless that birthday is still to come, then 19YY.
    today = today or datetime.date.today()
    year = (
        2000 + yy if (2000 + yy, month, day) <= (today.year, today.month, today.day) else 1900 + yy
    )
    try:
        birth_date = datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("NIK birth date (digits 7–12) is not a real date."), code="nik_birth_date"
        ) from None
    if nik[12:] == "0000":
        raise ValidationError(
            _("NIK serial number (digits 13–16) cannot be 0000."), code="nik_serial"
        )
    return NikInfo(nik, f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}", birth_date, is_female)


def mask_nik(value: str | None) -> str:
    """`6402********0001`: first 4 (the regency) and last 4 digits only."""
    nik = re.sub(r"\s", "", str(value or ""))
    if len(nik) <= 8:  # too short to show anything safely
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


@deconstructible
class NikValidator:
    """Field validator: `validators=[NikValidator()]`."""

    def __call__(self, value: str) -> None:
        validate_nik(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NikValidator)


def normalize_phone(value: str) -> str:
    """`0812-3456-789`, `+62 812 3456 7890`, `62812…` -> `+62812…` (Indonesian mobiles only)."""
    digits = re.sub(r"[\s\-.()/]", "", str(value or ""))
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    # Mobile numbers are 08 + 8–11 digits; landlines (e.g. 0541…) are not accepted.
    if not re.fullmatch(r"08\d{8,11}", digits):
        raise ValidationError(
            _("Enter an Indonesian mobile number, e.g. 0812 3456 7890."), code="phone"
        )
    return "+62" + digits[1:]


def mask_phone(value: str | None) -> str:
    """`+62812****7890`: country code + 3 digits and the last 4 stay visible."""
    raw = str(value or "").strip()
    if not raw:
        return ""
    try:
        phone = normalize_phone(raw)
    except ValidationError:
        # Not a number we understand: reveal at most the last 4 characters.
        return "*" * len(raw) if len(raw) <= 8 else "*" * (len(raw) - 4) + raw[-4:]
    return phone[:6] + "*" * (len(phone) - 10) + phone[-4:]


@deconstructible
class PhoneValidator:
    """Field validator: `validators=[PhoneValidator()]`; blank is left to `blank=`."""

    def __call__(self, value: str) -> None:
        if value:
            normalize_phone(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PhoneValidator)
