"""Event writes: events and venues, invitations and self-registration, check-in, planner costs.

Check-in is the hot path (a national launch: 80,000–100,000 people within minutes). It is one
indexed lookup of the personal code and one `INSERT ... ON CONFLICT DO NOTHING` keyed on the
registrant, so concurrent repeats count once and nothing needs a lock. The attendance row is its
own record (who, when, how, by whom), so no audit row is written per check-in.
"""

import datetime
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kawal.core.audit import audit, changes_between, snapshot
from kawal.core.nik import normalize_phone
from kawal.core.scope import Cap, require
from kawal.core.services import bump_version
from kawal.events.models import (
    Attendance,
    Event,
    PlatformTier,
    Registrant,
    TransportRate,
    UnitCost,
    Venue,
)

# Personal codes: 12 characters of Crockford's base32 (no I, L, O, U), 60 random bits, typed at
# the door as XXXX-XXXX-XXXX. Guessing one of 100,000 codes takes ~10^13 tries on average.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
EVENT_CODE_LENGTH = 8


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_code(raw: str) -> str | None:
    """A typed or scanned code (or a personal link containing it) as stored; None if malformed."""
    text = str(raw or "").strip()
    if len(text) > 300:
        return None
    if "/" in text:  # a scanned QR holds the whole personal link
        parts = [p for p in urlparse(text).path.split("/") if p]
        text = parts[-1] if parts else ""
    text = text.upper().replace("-", "").replace(" ", "").translate(_TYPO)
    if len(text) != CODE_LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# --- events and venues ----------------------------------------------------------------------

EVENT_FIELDS = (
    "title",
    "kind",
    "format",
    "region_id",
    "starts_at",
    "ends_at",
    "announced_zone",
    "checkin_opens_minutes",
    "organiser",
    "video_url",
    "budget_ref",
    "delegates_per_cooperative",
    "self_registration",
    "subject_type",
    "subject_id",
)


def _validate_event(event: Event) -> None:
    if event.ends_at and event.starts_at and event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if event.format in (Event.Format.ONLINE, Event.Format.HYBRID) and not event.video_url:
        raise ValidationError({"video_url": _("An online or hybrid event needs a video link.")})
    event.full_clean()


@transaction.atomic
def event_create(*, actor, **fields) -> Event:
    require(actor, Cap.MANAGE, fields.get("region_id"))
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    event = Event(public_code=new_code(EVENT_CODE_LENGTH), **fields)
    _validate_event(event)
    event.save()
    audit(
        actor=actor,
        action="event_create",
        obj=event,
        region_code=event.region_id,
        changes={k: [None, v] for k, v in snapshot(event, _audited()).items()},
    )
    return event


def _audited() -> list[str]:
    return [f.removesuffix("_id") for f in EVENT_FIELDS if f != "video_url"]


@transaction.atomic
def event_update(*, actor, event: Event, version: int | None, **fields) -> Event:
    require(actor, Cap.MANAGE, event.region_id)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    if "region_id" in fields:
        require(actor, Cap.MANAGE, fields["region_id"])
    before = snapshot(event, _audited())
    for name, value in fields.items():
        setattr(event, name, value)
    _validate_event(event)
    bump_version(event, version)
    event.save()
    after = snapshot(event, _audited())
    audit(
        actor=actor,
        action="event_update",
        obj=event,
        region_code=event.region_id,
        changes=changes_between(before, after),
    )
    return event


@transaction.atomic
def venue_save(
    *,
    actor,
    event: Event,
    venue: Venue | None = None,
    kind: str,
    name: str,
    capacity: int,
    district_code: str | None = None,
    address: str = "",
) -> Venue:
    require(actor, Cap.MANAGE, event.region_id)
    if district_code and not district_code.startswith(event.region_id[:5]):
        raise ValidationError(
            {"district_code": _("The kecamatan lies outside the event's region.")}
        )
    venue = venue or Venue(event=event)
    before = snapshot(venue) if venue.pk else {}
    venue.kind, venue.name, venue.capacity = kind, name, capacity
    venue.district_id, venue.address = district_code or None, address
    venue.full_clean()
    venue.save()
    audit(
        actor=actor,
        action="venue_save",
        obj=venue,
        region_code=event.region_id,
        changes=changes_between(before, snapshot(venue)),
    )
    return venue


# --- registration ---------------------------------------------------------------------------


def _person_key(*, phone: str, slot: str) -> str:
    return f"phone:{phone}" if phone else slot


def _insert_registrants(rows: list[Registrant]) -> list[Registrant]:
    """Insert rows with fresh codes; a person already registered is left out (not an error)."""
    if not rows:
        return []
    event_id = rows[0].event_id
    keys = {r.person_key for r in rows}
    taken = set(
        Registrant.objects.filter(event_id=event_id, person_key__in=keys).values_list(
            "person_key", flat=True
        )
    )
    fresh, seen = [], set()
    for row in rows:
        if row.person_key in taken or row.person_key in seen:
            continue
        seen.add(row.person_key)
        row.code = new_code()
        fresh.append(row)
    Registrant.objects.bulk_create(fresh, batch_size=2000)
    return fresh


def _venue_for_district(event: Event) -> dict[str, int]:
    """The watch point of each kecamatan (hybrid), or the main venue for everyone (offline)."""
    venues = list(event.venues.all())
    if event.format == Event.Format.OFFLINE:
        main = next((v for v in venues if v.kind == Venue.Kind.MAIN), None)
        return {"*": main.pk} if main else {}
    if event.format == Event.Format.HYBRID:
        by_district = {}
        for v in venues:
            if v.kind == Venue.Kind.WATCH_POINT and v.district_id:
                by_district.setdefault(v.district_id, v.pk)
        return by_district
    return {}


def _pick(venues: dict[str, int], district_code: str) -> int | None:
    return venues.get("*") or venues.get(district_code)


DELEGATE_POSITIONS = ("ketua", "sekretaris", "bendahara", "wakil_ketua_usaha", "ketua_pengawas")


@transaction.atomic
def invite_cooperatives(*, actor, event: Event, cooperatives, delegates: int | None = None) -> int:
    """Invite every cooperative given (already scoped by the caller): its ketua and the next
    officers up to `delegates` (default: the event's), by name and phone where the registry
    knows them, otherwise as a named slot ("Ketua KMP …") to be filled in."""
    require(actor, Cap.MANAGE, event.region_id)
    from kawal.cooperatives.models import Officer

    delegates = delegates or event.delegates_per_cooperative
    cooperatives = list(cooperatives)
    officers: dict[int, list] = {}
    for officer in (
        Officer.objects.filter(
            cooperative__in=cooperatives, is_active=True, position__in=DELEGATE_POSITIONS
        )
        .only("cooperative_id", "name", "position", "phone")
        .order_by("cooperative_id", "id")
    ):
        officers.setdefault(officer.cooperative_id, []).append(officer)
    venues = _venue_for_district(event)
    rows = []
    for coop in cooperatives:
        district = coop.village_id[:8]
        people = sorted(
            officers.get(coop.pk, []), key=lambda o: DELEGATE_POSITIONS.index(o.position)
        )
        for n in range(delegates):
            officer = people[n] if n < len(people) else None
            phone = ""
            if officer and officer.phone:
                try:
                    phone = normalize_phone(officer.phone)
                except ValidationError:
                    phone = ""
            position = (
                officer.get_position_display() if officer else _("Delegate %(n)s") % {"n": n + 1}
            )
            rows.append(
                Registrant(
                    event=event,
                    kind=Registrant.Kind.COOPERATIVE,
                    via=Registrant.Via.INVITATION,
                    name=officer.name if officer else f"{position} {coop.name}",
                    position=position,
                    phone=phone,
                    cooperative=coop,
                    district_code=district,
                    venue_id=_pick(venues, district),
                    person_key=_person_key(phone=phone, slot=f"coop:{coop.pk}:{n}"),
                )
            )
    created = _insert_registrants(rows)
    audit(
        actor=actor,
        action="event_invite_cooperatives",
        obj=event,
        region_code=event.region_id,
        note=_("%(n)s invitations to %(c)s cooperatives")
        % {"n": len(created), "c": len(cooperatives)},
    )
    return len(created)


@transaction.atomic
def invite_agencies(*, actor, event: Event, agencies, per_agency: int = 2) -> int:
    require(actor, Cap.MANAGE, event.region_id)
    venues = _venue_for_district(event)
    main = next((v.pk for v in event.venues.all() if v.kind == Venue.Kind.MAIN), None)
    rows = []
    for agency in agencies:
        for n in range(per_agency):
            rows.append(
                Registrant(
                    event=event,
                    kind=Registrant.Kind.AGENCY,
                    via=Registrant.Via.INVITATION,
                    name=_("Delegate %(n)s of %(agency)s")
                    % {"n": n + 1, "agency": agency.short_name},
                    position=agency.name[:120],
                    agency=agency,
                    district_code="",
                    venue_id=venues.get("*") or main,
                    person_key=f"agency:{agency.pk}:{n}",
                )
            )
    created = _insert_registrants(rows)
    audit(
        actor=actor,
        action="event_invite_agencies",
        obj=event,
        region_code=event.region_id,
        note=_("%(n)s invitations") % {"n": len(created)},
    )
    return len(created)


def _check_seat(venue: Venue | None) -> None:
    if venue is None:
        return
    registered = Registrant.objects.filter(venue=venue).count()
    if registered >= venue.capacity:
        raise ValidationError(
            {
                "venue": _(
                    "%(venue)s is full: %(n)s of %(cap)s seats are taken. Choose another "
                    "watch point or join by video."
                )
                % {"venue": venue.name, "n": registered, "cap": venue.capacity}
            }
        )


def _check_quota(event: Event, cooperative) -> None:
    if cooperative is None:
        return
    n = Registrant.objects.filter(event=event, cooperative=cooperative).count()
    if n >= event.delegates_per_cooperative:
        raise ValidationError(
            {
                "cooperative": _(
                    "%(coop)s already has %(n)s registered delegates, the most this event allows."
                )
                % {"coop": cooperative.name, "n": n}
            }
        )


def _add_registrant(
    *,
    event: Event,
    via: str,
    kind: str,
    name,
    position,
    phone,
    venue,
    cooperative=None,
    agency=None,
    district_code="",
) -> Registrant:
    name = " ".join(str(name or "").split())
    if len(name) < 3:
        raise ValidationError({"name": _("Enter the full name.")})
    phone = normalize_phone(phone) if phone else ""
    if venue is not None and venue.event_id != event.pk:
        raise ValidationError({"venue": _("Choose a venue of this event.")})
    if cooperative is not None:
        district_code = cooperative.village_id[:8]
    key = _person_key(phone=phone, slot=f"name:{name.lower()}:{district_code}")
    if Registrant.objects.filter(event=event, person_key=key).exists():
        raise ValidationError(
            {
                "phone": _(
                    "This person is already registered for this event (one registration per person)."
                )
            }
        )
    _check_quota(event, cooperative)
    # The seat check counts under a lock on the venue row, so two last seats are not both given.
    if venue is not None:
        venue = Venue.objects.select_for_update().get(pk=venue.pk)
    _check_seat(venue)
    registrant = Registrant(
        event=event,
        via=via,
        kind=kind,
        name=name,
        position=str(position or "")[:120],
        phone=phone,
        cooperative=cooperative,
        agency=agency,
        district_code=district_code or "",
        venue=venue,
        person_key=key,
        code=new_code(),
    )
    registrant.full_clean(exclude=["code"])
    try:
        with transaction.atomic():
            registrant.save()
    except IntegrityError:
        raise ValidationError(
            {
                "phone": _(
                    "This person is already registered for this event (one registration per person)."
                )
            }
        ) from None
    return registrant


@transaction.atomic
def registrant_add(
    *,
    actor,
    event: Event,
    kind: str,
    name: str,
    position: str = "",
    phone: str = "",
    venue: Venue | None = None,
    cooperative=None,
    agency=None,
    district_code: str = "",
) -> Registrant:
    """An invitation to one person (an official, an agency's named delegate, a guest)."""
    require(actor, Cap.MANAGE, event.region_id)
    registrant = _add_registrant(
        event=event,
        via=Registrant.Via.INVITATION,
        kind=kind,
        name=name,
        position=position,
        phone=phone,
        venue=venue,
        cooperative=cooperative,
        agency=agency,
        district_code=district_code,
    )
    audit(
        actor=actor,
        action="registrant_add",
        obj=registrant,
        region_code=event.region_id,
        changes={k: [None, v] for k, v in snapshot(registrant, ["name", "kind", "phone"]).items()},
    )
    return registrant


@transaction.atomic
def self_register(
    *,
    event: Event,
    name: str,
    phone: str,
    position: str = "",
    cooperative=None,
    venue: Venue | None = None,
) -> Registrant:
    """Public registration with the event's code (the view rate-limits per address)."""
    if not event.self_registration:
        raise ValidationError(_("Registration for this event is closed."))
    if timezone.now() >= event.ends_at:
        raise ValidationError(_("This event is over."))
    if not phone:
        raise ValidationError({"phone": _("Enter your mobile number.")})
    if event.format == Event.Format.OFFLINE and venue is None:
        venue = event.venues.filter(kind=Venue.Kind.MAIN).first()
    registrant = _add_registrant(
        event=event,
        via=Registrant.Via.SELF,
        kind=Registrant.Kind.COOPERATIVE if cooperative else Registrant.Kind.PUBLIC,
        name=name,
        position=position,
        phone=phone,
        venue=venue,
        cooperative=cooperative,
    )
    audit(
        actor=None,
        action="registrant_self_register",
        obj=registrant,
        region_code=event.region_id,
        changes={k: [None, v] for k, v in snapshot(registrant, ["name", "kind", "phone"]).items()},
    )
    return registrant


# --- check-in -------------------------------------------------------------------------------

# The exact SQL of a check-in; benchmarks/checkin runs these same statements under pgbench.
CHECKIN_LOOKUP_SQL = (
    "SELECT r.id, r.event_id, r.venue_id, r.district_code, e.format, e.video_url,"
    " e.starts_at, e.ends_at, e.checkin_opens_minutes"
    " FROM events_registrant r JOIN events_event e ON e.id = r.event_id"
    " WHERE r.code = %s"
)
CHECKIN_INSERT_SQL = (
    "INSERT INTO events_attendance"
    " (registrant_id, event_id, venue_id, district_code, method, checked_in_at, checked_in_by_id)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (registrant_id) DO NOTHING"
)
SEAT_SQL = (
    "UPDATE events_venue SET checked_in = checked_in + 1 WHERE id = %s AND checked_in < capacity"
)


@dataclass
class CheckIn:
    """What a check-in answered. `status`: recorded, repeat, unknown, malformed, early, late,
    other_event, full."""

    status: str
    registrant_id: int | None = None
    event_id: int | None = None
    video_url: str = ""
    on_site: bool = False
    opens_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    extra: dict = field(default_factory=dict)

    @property
    def counted(self) -> bool:
        return self.status in ("recorded", "repeat")


def _aware(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite hands raw timestamps back as text
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def _run(sql: str, params: list, fetch: bool = False):
    """One statement of the check-in. On PostgreSQL it goes straight to psycopg with server-side
    binding, prepared once per pooled connection (no re-parsing, no client-side quoting); on
    SQLite through Django's cursor. Errors come out as Django's database errors either way."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        # Django's connections make client-side-binding cursors; this one binds on the server.
        from psycopg import Cursor

        with connection.wrap_database_errors, Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchone() if fetch else cursor.rowcount
    params = [
        connection.ops.adapt_datetimefield_value(p) if isinstance(p, datetime.datetime) else p
        for p in params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() if fetch else cursor.rowcount


def _lookup(code: str):
    return _run(CHECKIN_LOOKUP_SQL, [code], fetch=True)


def _window(row, now) -> CheckIn | None:
    starts, ends = _aware(row[6]), _aware(row[7])
    opens = starts - datetime.timedelta(minutes=row[8])
    if now < opens:
        return CheckIn("early", row[0], row[1], opens_at=opens, ends_at=ends)
    if now > ends:
        return CheckIn("late", row[0], row[1], opens_at=opens, ends_at=ends)
    return None


def checkin_link(*, code: str) -> CheckIn:
    """Someone opened their personal link. A video participant is recorded (once) and sent on to
    the video; a participant with a seat at a venue is shown the ticket to scan at the door."""
    normal = normalize_code(code)
    if normal is None:
        return CheckIn("malformed")
    row = _lookup(normal)
    if row is None:
        return CheckIn("unknown")
    registrant_id, event_id, venue_id, district, fmt, video = row[:6]
    if venue_id is not None or fmt == Event.Format.OFFLINE:
        return CheckIn("ticket", registrant_id, event_id, on_site=True)
    now = timezone.now()
    refused = _window(row, now)
    if refused:
        return refused
    inserted = (
        _run(
            CHECKIN_INSERT_SQL,
            [registrant_id, event_id, None, district, Attendance.Method.LINK, now, None],
        )
        == 1
    )
    return CheckIn("recorded" if inserted else "repeat", registrant_id, event_id, video_url=video)


class _Full(Exception):
    pass


def checkin_door(*, actor, event: Event, venue: Venue | None, code: str) -> CheckIn:
    """The committee scanned or typed a code at the door of `venue` (None: no seat count)."""
    require(actor, Cap.EDIT, event.region_id)
    normal = normalize_code(code)
    if normal is None:
        return CheckIn("malformed")
    row = _lookup(normal)
    if row is None:
        return CheckIn("unknown")
    registrant_id, event_id, _venue_id, district = row[:4]
    if event_id != event.pk:
        return CheckIn("other_event", registrant_id, event_id)
    now = timezone.now()
    refused = _window(row, now)
    if refused:
        return refused
    try:
        with transaction.atomic():
            inserted = _run(
                CHECKIN_INSERT_SQL,
                [
                    registrant_id,
                    event_id,
                    venue.pk if venue else None,
                    district,
                    Attendance.Method.DOOR,
                    now,
                    actor.pk,
                ],
            )
            if inserted != 1:
                return CheckIn("repeat", registrant_id, event_id)
            if venue is not None and _run(SEAT_SQL, [venue.pk]) != 1:
                raise _Full
    except _Full:
        return CheckIn("full", registrant_id, event_id)
    return CheckIn("recorded", registrant_id, event_id)


# --- sessions of another app (a training batch's days) --------------------------------------
# A training batch keeps its days as events of kind "training session" (subject: the batch) and
# its participants as their registrants, so attendance has one mechanism: the personal link and
# the door page work for a training day too, and the training app's own phone list records a
# day's attendance by hand through attendance_record (no check-in window: a register may be
# corrected after the day). None of these touch the check-in hot path above.


def _enrolment_key(key: str) -> str:
    """Person keys of enrolled people are namespaced so they never meet a phone or a slot."""
    return key if key.startswith("enrol:") else f"enrol:{key}"


@transaction.atomic
def registrants_enrol(*, actor, event: Event, people: list[dict]) -> dict[str, Registrant]:
    """Register people another app already chose (e.g. a batch's participants), as invitations.

    `people`: dicts with `key` (unique per event, e.g. "officer:12"), `name`, `position`,
    `phone`, `cooperative`. The caller has checked quota and seats; a person already enrolled is
    kept as is. Returns {key: registrant} for every key given.
    """
    require(actor, Cap.MANAGE, event.region_id)
    rows = []
    for person in people:
        cooperative = person.get("cooperative")
        phone = person.get("phone") or ""
        try:
            phone = normalize_phone(phone) if phone else ""
        except ValidationError:
            phone = ""
        rows.append(
            Registrant(
                event=event,
                via=Registrant.Via.INVITATION,
                kind=Registrant.Kind.COOPERATIVE if cooperative else Registrant.Kind.OFFICIAL,
                name=" ".join(str(person["name"]).split())[:120],
                position=str(person.get("position") or "")[:120],
                phone=phone,
                cooperative=cooperative,
                district_code=cooperative.village_id[:8] if cooperative else "",
                person_key=_enrolment_key(person["key"]),
            )
        )
    fresh = _insert_registrants(rows)
    if fresh:
        audit(
            actor=actor,
            action="registrants_enrol",
            obj=event,
            region_code=event.region_id,
            changes={"registrants": [None, len(fresh)]},
        )
    keys = [_enrolment_key(p["key"]) for p in people]
    found = Registrant.objects.filter(event=event, person_key__in=keys)
    return {r.person_key.removeprefix("enrol:"): r for r in found}


@transaction.atomic
def attendance_record(*, actor, registrant: Registrant, present: bool) -> bool:
    """Mark one registrant present or absent by hand (a committee's list, any time: no check-in
    window). Idempotent; the venue's seat counter follows. Returns whether anything changed."""
    event = registrant.event
    require(actor, Cap.EDIT, event.region_id)
    if present:
        _attendance, created = Attendance.objects.get_or_create(
            registrant=registrant,
            defaults={
                "event": event,
                "venue_id": registrant.venue_id,
                "district_code": registrant.district_code,
                "method": Attendance.Method.DOOR,
                "checked_in_at": timezone.now(),
                "checked_in_by": actor if getattr(actor, "pk", None) else None,
            },
        )
        if created and registrant.venue_id:
            Venue.objects.filter(pk=registrant.venue_id).update(checked_in=F("checked_in") + 1)
        return created
    deleted, _rows = Attendance.objects.filter(registrant=registrant).delete()
    if deleted and registrant.venue_id:
        Venue.objects.filter(pk=registrant.venue_id, checked_in__gt=0).update(
            checked_in=F("checked_in") - 1
        )
    return bool(deleted)


@transaction.atomic
def event_delete(*, actor, event: Event) -> None:
    """Delete an event nobody attended (e.g. a training day dropped when the batch's dates
    change); with attendance it is refused, since attendance is never thrown away."""
    require(actor, Cap.MANAGE, event.region_id)
    if Attendance.objects.filter(event=event).exists():
        raise ValidationError(_("Attendance was already recorded for this event."))
    audit(
        actor=actor,
        action="event_delete",
        obj=event,
        region_code=event.region_id,
        changes={"title": [event.title, None]},
    )
    Registrant.objects.filter(event=event).delete()
    event.venues.all().delete()
    event.delete()


# --- planner settings -----------------------------------------------------------------------


@transaction.atomic
def unit_costs_save(
    *, actor, region_code: str, amounts: dict[str, int], transport: dict[str, int] | None = None
) -> UnitCost:
    require(actor, Cap.MANAGE, region_code)
    if not amounts:
        raise ValidationError(_("Enter the unit costs."))
    before, after = {}, {}
    rows = {u.key: u for u in UnitCost.objects.filter(region_id=region_code)}
    for key, amount in amounts.items():
        if amount is None or int(amount) < 0:
            raise ValidationError(_("Costs are whole Rupiah, zero or more."))
        row = rows.get(key) or UnitCost(region_id=region_code, key=key, amount=0)
        before[key], after[key] = (row.amount if row.pk else None), int(amount)
        row.amount = int(amount)
        row.save()
    for district, amount in (transport or {}).items():
        if not district.startswith(region_code) or amount is None or int(amount) < 0:
            raise ValidationError(
                _("Transport costs are whole Rupiah for a kecamatan of the region.")
            )
        TransportRate.objects.update_or_create(
            district_id=district, defaults={"amount": int(amount)}
        )
        after[f"transport {district}"] = int(amount)
    audit(
        actor=actor,
        action="event_unit_costs_save",
        obj=row,
        region_code=region_code,
        changes=changes_between(before, after),
    )
    return row


@transaction.atomic
def platform_tier_save(*, actor, region_code: str, row: PlatformTier | None = None, **fields):
    """Add (or with `row`, change) a tier; `fields` are the model's (platform, tier, …)."""
    require(actor, Cap.MANAGE, region_code)
    tier = row or PlatformTier(region_id=region_code)
    if tier.region_id != region_code:
        raise ValidationError(_("This tier belongs to another region."))
    before = snapshot(tier) if tier.pk else {}
    for name, value in fields.items():
        setattr(tier, name, value)
    tier.full_clean()
    tier.save()
    audit(
        actor=actor,
        action="platform_tier_save",
        obj=tier,
        region_code=region_code,
        changes=changes_between(before, snapshot(tier)),
    )
    return tier


@transaction.atomic
def platform_tier_delete(*, actor, tier: PlatformTier) -> None:
    require(actor, Cap.MANAGE, tier.region_id)
    audit(
        actor=actor,
        action="platform_tier_delete",
        obj=tier,
        region_code=tier.region_id,
        changes={k: [v, None] for k, v in snapshot(tier).items()},
    )
    tier.delete()
