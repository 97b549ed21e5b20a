"""Events (the launch, sosialisasi, a training session, a RAT, an outlet opening), their venues and
watch points (titik nobar), who is registered, and who attended.

One registration and attendance mechanism serves every kind of event: a training session or a RAT
is an event whose `subject` points at the batch or cooperative it belongs to (by id, so this app
imports nothing above it). Attendance is one row per registrant, guarded by a unique key, so a
check-in repeated any number of times, even concurrently, counts once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import TimeStampedModel, VersionedModel
from kawal.core.nik import PhoneValidator


class Event(VersionedModel):
    class Kind(models.TextChoices):
        LAUNCH = "launch", _("launch")
        SOSIALISASI = "sosialisasi", _("sosialisasi")
        TRAINING = "training", _("training session")
        RAT = "rat", _("annual members' meeting (RAT)")
        OUTLET_OPENING = "outlet_opening", _("outlet opening")

    class Format(models.TextChoices):
        OFFLINE = "offline", _("in person")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid (video + watch points)")

    class Zone(models.TextChoices):
        WIB = "WIB", "WIB"
        WITA = "WITA", "WITA"
        WIT = "WIT", "WIT"

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    # The region that runs the event: the regency for the launch, a village for a RAT.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The zone the time was announced in (national events: WIB); shown beside local time.
    announced_zone = models.CharField(
        _("announced in time zone"), max_length=4, choices=Zone.choices, default=Zone.WITA
    )
    checkin_opens_minutes = models.PositiveIntegerField(
        _("check-in opens (minutes before the start)"), default=120
    )
    organiser = models.CharField(_("organiser"), max_length=200)
    # Server-side only: never rendered; the personal link redirects to it after recording.
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    # The budget app is built in parallel: a plain reference (account code or line name).
    budget_ref = models.CharField(_("budget line"), max_length=200, blank=True)
    delegates_per_cooperative = models.PositiveSmallIntegerField(
        _("delegates per cooperative"), default=3
    )
    public_code = models.CharField(
        _("registration code"), max_length=16, unique=True, editable=False
    )
    self_registration = models.BooleanField(_("public self-registration open"), default=False)
    # What the event belongs to (a training batch, a cooperative's RAT): by app label and id.
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title


class Venue(TimeStampedModel):
    """The main venue or a watch point (titik nobar), with its seats."""

    class Kind(models.TextChoices):
        MAIN = "main", _("main venue")
        WATCH_POINT = "watch_point", _("watch point (nobar)")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="venues")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kecamatan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (seats)"))
    # Kept by the door check-in in the same statement that guards the capacity.
    checked_in = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["kind", "district_id", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name


class Registrant(TimeStampedModel):
    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("cooperative delegate")
        AGENCY = "agency", _("agency (OPD)")
        OFFICIAL = "official", _("official")
        PUBLIC = "public", _("self-registered")

    class Via(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        SELF = "self", _("self-registration")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrants")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    via = models.CharField(_("registered by"), max_length=10, choices=Via.choices)
    name = models.CharField(_("name"), max_length=120)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[PhoneValidator()])
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Where the person comes from: counts per kecamatan read this copied code (no joins).
    district_code = models.CharField(_("kecamatan"), max_length=8, blank=True, db_index=True)
    # The watch point or venue where the person attends; empty = joins by video.
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("attends at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrants",
    )
    # One person once per event: the normalised phone, else the invitation slot.
    person_key = models.CharField(max_length=80)
    # The personal code (unguessable, typed at the door): 12 characters, see services.new_code.
    code = models.CharField(_("code"), max_length=12, unique=True)

    class Meta:
        ordering = ["district_code", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person_key"], name="events_one_person")
        ]
        indexes = [models.Index(fields=["event", "district_code"])]
        verbose_name = _("registrant")
        verbose_name_plural = _("registrants")

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """One row per registrant who came: the primary key is the registrant, so never twice."""

    class Method(models.TextChoices):
        LINK = "link", _("personal link")
        DOOR = "door", _("at the door")

    registrant = models.OneToOneField(
        Registrant, primary_key=True, on_delete=models.CASCADE, related_name="attendance"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    venue = models.ForeignKey(Venue, null=True, on_delete=models.CASCADE, related_name="+")
    district_code = models.CharField(max_length=8, blank=True)
    method = models.CharField(_("method"), max_length=4, choices=Method.choices)
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["event", "district_code"])]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.registrant_id} @ {self.checked_in_at:%Y-%m-%d %H:%M}"


class PlatformTier(models.Model):
    """A video platform's capacity tier and its price for one event (a region's editable table)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(_("platform"), max_length=80)
    tier = models.CharField(_("tier"), max_length=80)
    max_participants = models.PositiveIntegerField(_("maximum participants"))
    cost = models.PositiveBigIntegerField(_("licence cost per event (Rp)"), default=0)
    interactive = models.BooleanField(_("participants can speak"), default=True)

    class Meta:
        ordering = ["max_participants", "cost"]
        verbose_name = _("platform tier")
        verbose_name_plural = _("platform tiers")

    def __str__(self) -> str:
        return f"{self.platform} {self.tier}"


class UnitCost(models.Model):
    """Editable unit costs of a region's planner, in whole Rupiah."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40)
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="events_unit_cost_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.region_id}"


class TransportRate(models.Model):
    """Return transport per person from a kecamatan to the regency's main venue (Rp)."""

    district = models.OneToOneField(
        "regions.Region", primary_key=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("transport per person (Rp)"))

    def __str__(self) -> str:
        return f"{self.district_id}: {self.amount}"
