"""Mentoring rules as plain functions and constants (no database access)."""

import datetime
import math

# A BA escorts 7–15 cooperatives (docs/DOMAIN.md §5); above is warned, not refused.
CASELOAD_LIMIT_BA = 15
FAR_FROM_VILLAGE_KM = 5.0  # a visit logged farther than this from the village centroid is flagged
LATE_ENTRY_DAYS = 3  # a visit entered more than this many days after it happened is flagged
REPORT_DEADLINE_DAY = 5  # a monthly report is due by this day of the following month
NO_CONTACT_DAYS = (30, 60)
MAX_PHOTOS = 6

# Indonesia's bounding box (approximate): Sabang to Merauke, Miangas to Rote.
INDONESIA_LAT = (-11.0, 6.5)
INDONESIA_LNG = (94.5, 141.5)

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def inside_indonesia(lat: float, lng: float) -> bool:
    return (
        INDONESIA_LAT[0] <= lat <= INDONESIA_LAT[1] and INDONESIA_LNG[0] <= lng <= INDONESIA_LNG[1]
    )


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def report_deadline(month: datetime.date) -> datetime.date:
    """The last day on which the report of `month` is on time."""
    return next_month(month).replace(day=REPORT_DEADLINE_DAY)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of every month from `start`'s month to `end`'s month, inclusive."""
    months, month = [], first_of_month(start)
    while month <= end:
        months.append(month)
        month = next_month(month)
    return months
