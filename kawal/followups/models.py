import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.core.models import VersionedModel
from kawal.core.uploads import safe_filename

OPEN_STATUSES = ("baru", "dikerjakan")


def today() -> datetime.date:
    """The site's local date (WITA by default): overdue is judged against it."""
    return timezone.localdate()


def overdue_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Open and past its due date. Overdue is computed, never stored."""
    on = on or today()
    return Q(**{f"{prefix}status__in": OPEN_STATUSES, f"{prefix}due_date__lt": on})


class FollowUp(VersionedModel):
    """Tindak lanjut: the one record of what must be done, by whom, by when.

    Meeting decisions, field visits, consultations and assessments all create their follow-ups
    through `followups.services.followup_create`.
    """

    class Status(models.TextChoices):
        BARU = "baru", _("new")
        DIKERJAKAN = "dikerjakan", _("in progress")
        SELESAI = "selesai", _("done")
        DIBATALKAN = "dibatalkan", _("cancelled")

    class SourceKind(models.TextChoices):
        MANUAL = "manual", _("entered directly")
        MEETING = "meeting", _("meeting decision")
        VISIT = "visit", _("field visit")
        CONSULTATION = "consultation", _("consultation")
        ASSESSMENT = "assessment", _("assessment")
        OTHER = "other", _("other")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("owner agency"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
        verbose_name=_("owner person"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BARU
    )
    # What it concerns: always a region (scope goes through it), optionally a cooperative.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("cooperative"),
    )
    # Where it came from: a meeting decision, a visit, a consultation, an assessment.
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_kind = models.CharField(
        _("source"),
        max_length=12,
        choices=SourceKind.choices,
        default=SourceKind.MANUAL,
        db_index=True,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["owner_agency", "status"]),
        ]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue_on(self, on: datetime.date | None = None) -> bool:
        return self.is_open and self.due_date < (on or today())

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on()

    @property
    def days_overdue(self) -> int:
        return (today() - self.due_date).days if self.is_overdue else 0

    @property
    def status_tone(self) -> str:
        if self.is_overdue:
            return "bad"
        return {"baru": "info", "dikerjakan": "warn", "selesai": "ok"}.get(self.status, "muted")


def evidence_path(instance, filename: str) -> str:
    return f"followups/{instance.followup_id}/{safe_filename(filename)}"


class Evidence(models.Model):
    """Bukti: a file (validated by content) and/or a note showing the work was done."""

    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("follow-up")
    )
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True, max_length=255)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name or self.note[:60]
