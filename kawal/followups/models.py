from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import VersionedModel


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
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.title
