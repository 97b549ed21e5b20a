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


class ImportJob(models.Model):
    """An uploaded import file kept server-side between its dry run and its commit, under an
    opaque token (no second upload), and the state of its run (in the request, or in the task
    worker for large files). The file is deleted after the commit or when the job expires."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("running")
        CHECKED = "checked", _("checked")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    flow = models.CharField(max_length=200)  # dotted path of the import kinds dict
    kind = models.CharField(max_length=50)
    # The page's fixed context (e.g. {"koperasi": 12} for one cooperative's book), resolved and
    # checked against the user's scope again by every step, the worker's included.
    context = models.JSONField(default=dict, blank=True)
    file_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    commit = models.BooleanField(default=False)  # the run asked for: dry run or commit
    in_worker = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.flow}:{self.kind} ({self.status})"


class UsedFormToken(models.Model):
    """A create form's one-time token, recorded in the transaction that saves the form: a
    second submit of the same form (double click, back and resend) finds it and saves nothing."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.token


def loaded_relations(instance) -> list[str]:
    """Foreign keys of `instance` that hold an object read from the database. Django's
    `full_clean` checks each foreign key with one query; for these the check can only pass, and
    on an import of 50,000 rows those queries were the largest single cost. Pass the result as
    `exclude` to `full_clean`."""
    return [
        field.name
        for field in instance._meta.concrete_fields
        if field.many_to_one
        and field.is_cached(instance)
        and getattr(field.get_cached_value(instance), "pk", None) is not None
        and getattr(instance, field.attname) is not None
    ]
