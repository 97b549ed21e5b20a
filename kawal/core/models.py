from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """Records that several people edit: a stale save is refused (see core.services)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One row per service write: who did what to which object, where, and what changed."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    # The region the object belongs to, as its code plus copied ancestor codes (core sits below
    # the regions app, so no foreign key): the audit list is scoped by one indexed equality.
    region_code = models.CharField(_("region"), max_length=13, null=True, blank=True)
    province_code = models.CharField(max_length=2, blank=True)
    regency_code = models.CharField(max_length=5, blank=True)
    district_code = models.CharField(max_length=8, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"]),
            models.Index(fields=["region_code", "-created_at"], name="audit_region_recent"),
            models.Index(fields=["district_code", "-created_at"], name="audit_district_recent"),
            models.Index(fields=["regency_code", "-created_at"], name="audit_regency_recent"),
            models.Index(fields=["province_code", "-created_at"], name="audit_province_recent"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    # The column holding the region's ancestor of each level (scope.region_q `columns`).
    REGION_COLUMNS = {
        1: "province_code",
        2: "regency_code",
        3: "district_code",
        4: "region_code",
    }

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
