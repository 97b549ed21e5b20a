"""Readiness (kesiapan kelembagaan): a versioned local instrument and assessments against it.

No official readiness index exists for KDKMP (docs/DOMAIN.md §6): the instrument is the Dinas's own,
and says so. Published versions never change; editing means a new draft version.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import TimeStampedModel, VersionedModel
from kawal.core.uploads import UploadValidator

# The ministry supervision form rates effectiveness 0/25/50/75/100 (docs/DOMAIN.md §6).
SCALE = (0, 25, 50, 75, 100)
# Categories of the overall score (percent): ≥ SIAP siap, ≥ PERLU perlu penguatan, else belum siap.
THRESHOLD_SIAP = 75
THRESHOLD_PERLU = 50
# An item scored below this on a verified assessment becomes a follow-up.
GAP_THRESHOLD = 50
GAP_DUE_DAYS = 30
WEIGHT_TOTAL = 100


class Category(models.TextChoices):
    SIAP = "siap", _("ready (siap)")
    PERLU_PENGUATAN = "perlu_penguatan", _("needs strengthening (perlu penguatan)")
    BELUM_SIAP = "belum_siap", _("not ready (belum siap)")


CATEGORY_TONE = {
    Category.SIAP: "ok",
    Category.PERLU_PENGUATAN: "warn",
    Category.BELUM_SIAP: "bad",
}


def category_for(score) -> str:
    """The category of an overall score; '' when there is no score (not assessed)."""
    if score is None:
        return ""
    if score >= THRESHOLD_SIAP:
        return Category.SIAP
    if score >= THRESHOLD_PERLU:
        return Category.PERLU_PENGUATAN
    return Category.BELUM_SIAP


class Instrument(TimeStampedModel):
    """One version of the Dinas's readiness instrument for a regency."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("in use")
        RETIRED = "retired", _("replaced")

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regency")
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["region_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="instrument_version_once")
        ]
        verbose_name = _("readiness instrument")
        verbose_name_plural = _("readiness instruments")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Area(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="areas", verbose_name=_("instrument")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MaxValueValidator(WEIGHT_TOTAL)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["instrument_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="area_code_once")
        ]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    class Method(models.TextChoices):
        AUTO = "auto", _("automatic (from the registry)")
        MANUAL = "manual", _("by the assessor (0/25/50/75/100)")

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("indicator"), max_length=300)
    evidence = models.CharField(_("evidence expected"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight within the area (%)"), validators=[MaxValueValidator(WEIGHT_TOTAL)]
    )
    method = models.CharField(_("scoring"), max_length=6, choices=Method.choices)
    resolver = models.CharField(_("automatic rule"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["area_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="item_code_once")]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.text


class Assessment(VersionedModel):
    """One readiness assessment of a cooperative on a date: draft → submitted → verified."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        VERIFIED = "verified", _("verified")

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("cooperative"),
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("assessment date"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assessor"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Computed by services from the item scores; None = not (yet) scorable, never 0.
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    area_scores = models.JSONField(default=dict, blank=True)  # {area_code: score or None}
    comment = models.TextField(_("general comment"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cooperative_id", "-assessed_on", "-id"]
        indexes = [models.Index(fields=["status", "assessed_on"])]
        verbose_name = _("readiness assessment")
        verbose_name_plural = _("readiness assessments")

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.assessed_on}"

    @property
    def tone(self) -> str:
        return CATEGORY_TONE.get(self.category, "muted")


class ItemScore(TimeStampedModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    # None = not answered yet (manual) or not applicable (auto); never shown as 0.
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    explanation = models.CharField(_("how the score was found"), max_length=300, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.FileField(
        _("evidence (photo or document)"),
        upload_to="readiness/%Y/%m/",
        blank=True,
        validators=[UploadValidator()],
    )
    evidence_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["assessment_id", "item__area__order", "item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="score_once_per_item")
        ]
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")

    def __str__(self) -> str:
        return f"{self.item} = {self.score}"
