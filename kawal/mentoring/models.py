from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kawal.core.models import TimeStampedModel, VersionedModel
from kawal.core.uploads import UploadValidator, safe_filename

PHOTO_KINDS = ("jpeg", "png")


class Mentor(VersionedModel):
    """A person who escorts cooperatives: Dinas staff, business assistant, PMO, village facilitator."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Dinas staff (penyuluh/pengawas koperasi)")
        BA = "ba", _("Business Assistant (BA)")
        PMO = "pmo", _("PMO")
        PENDAMPING_DESA = "pendamping_desa", _("Village facilitator (pendamping desa)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentor_profile",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # The area the mentor works in; lists of mentors are scoped through it.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("work area")
    )
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__first_name", "user__username"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")

    def __str__(self) -> str:
        return str(self.user)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            raise ValidationError({"contract_end": _("The contract cannot end before it starts.")})


class Assignment(TimeStampedModel):
    """A mentor (pendamping, business assistant) assigned to a cooperative; history is kept."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("mentor"),
    )
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.PROTECT, related_name="assignments"
    )
    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("end"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "cooperative"],
                condition=Q(ended_on__isnull=True),
                name="assignment_one_active_per_mentor_cooperative",
            )
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.mentor} → {self.cooperative}"


class ChecklistItem(TimeStampedModel):
    """One line of the field-visit checklist; the Dinas edits the list for its region."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    label = models.CharField(_("item"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=10)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.label


class Visit(TimeStampedModel):
    """A field visit to a cooperative. `created_at` is the server timestamp of the record."""

    class Answer(models.TextChoices):
        YA = "ya", _("yes")
        TIDAK = "tidak", _("no")
        NA = "na", _("not applicable")

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("cooperative"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("visited by"),
    )
    visit_date = models.DateField(_("visit date"))
    purpose = models.CharField(_("purpose"), max_length=300)
    # Snapshot of the checklist as answered: [{"item": id, "label": str, "answer": ya|tidak|na}]
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    gps_accuracy_m = models.FloatField(_("GPS accuracy (m)"), null=True, blank=True)
    distance_km = models.FloatField(
        _("distance from the village centre (km)"), null=True, blank=True
    )
    flag_far = models.BooleanField(_("far from the village"), default=False)
    flag_late = models.BooleanField(_("entered late"), default=False)

    class Meta:
        ordering = ["-visit_date", "-id"]
        indexes = [
            models.Index(fields=["cooperative", "-visit_date"]),
            models.Index(fields=["mentor", "visit_date"]),
            models.Index(fields=["visit_date"]),
        ]
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.visit_date}"

    @property
    def flagged(self) -> bool:
        return self.flag_far or self.flag_late


def _photo_path(instance, filename: str) -> str:
    return f"pendampingan/kunjungan/{instance.visit_id}/{safe_filename(filename)}"


class VisitPhoto(TimeStampedModel):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("photo"), upload_to=_photo_path, validators=[UploadValidator(kinds=PHOTO_KINDS)]
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return self.image.name


class Recommendation(VersionedModel):
    """The cooperative's log of official recommendations, with the board's (pengurus) response."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("cooperative"),
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="recommendations"
    )
    text = models.CharField(_("recommendation"), max_length=500)
    owner_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible agency"),
    )
    due_date = models.DateField(_("due date"))
    followup = models.OneToOneField(
        "followups.FollowUp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendation",
    )
    board_response = models.TextField(_("board's response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:80]


class Consultation(TimeStampedModel):
    """A walk-in consultation at the Dinas front desk (klinik konsultasi)."""

    class Topic(models.TextChoices):
        LEGALITAS = "legalitas", _("legal status (legalitas)")
        KELEMBAGAAN = "kelembagaan", _("institutions (kelembagaan)")
        USAHA = "usaha", _("business (usaha)")
        KEUANGAN = "keuangan", _("finance (keuangan)")
        PERMODALAN = "permodalan", _("capital (permodalan)")
        PERIZINAN = "perizinan", _("licences (perizinan)")
        SIMKOPDES = "simkopdes", _("SIMKOPDES")
        PAJAK = "pajak", _("tax (pajak)")
        LAINNYA = "lainnya", _("other (lainnya)")

    class VisitorRole(models.TextChoices):
        KETUA = "ketua", _("chair (ketua)")
        PENGURUS = "pengurus", _("board member (pengurus)")
        PENGAWAS = "pengawas", _("supervisor (pengawas)")
        ANGGOTA = "anggota", _("member (anggota)")
        KEPALA_DESA = "kepala_desa", _("village head / village office")
        PENDAMPING = "pendamping", _("mentor (pendamping)")
        LAINNYA = "lainnya", _("other")

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("cooperative"),
    )
    date = models.DateField(_("date"))
    visitor_name = models.CharField(_("visitor's name"), max_length=120)
    visitor_role = models.CharField(_("visitor's role"), max_length=20, choices=VisitorRole.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    question = models.TextField(_("question"))
    advice = models.TextField(_("advice given"), blank=True)
    referral_agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referred to"),
    )
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations_served",
        verbose_name=_("served by"),
    )
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["date"]),
            models.Index(fields=["cooperative", "-date"]),
            models.Index(fields=["served_by", "date"]),
        ]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return f"{self.visitor_name} · {self.get_topic_display()}"

    @property
    def is_waiting(self) -> bool:
        return self.served_at is None


def _report_path(instance, filename: str) -> str:
    return f"pendampingan/laporan/{instance.mentor_id}/{safe_filename(filename)}"


class MonthlyReport(VersionedModel):
    """A business assistant's monthly report: draft → submitted → accepted or returned."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned")

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="monthly_reports",
        verbose_name=_("mentor"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    activities = models.TextField(_("activities"))
    cooperatives_reached = models.ManyToManyField(
        "cooperatives.Cooperative",
        blank=True,
        related_name="+",
        verbose_name=_("cooperatives reached"),
    )
    issues = models.TextField(_("issues"), blank=True)
    attachment = models.FileField(
        _("attached file"), upload_to=_report_path, blank=True, validators=[UploadValidator()]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)

    class Meta:
        ordering = ["-month", "mentor_id"]
        constraints = [
            models.UniqueConstraint(fields=["mentor", "month"], name="report_one_per_mentor_month")
        ]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self) -> str:
        return f"{self.mentor} · {self.month:%Y-%m}"

    @property
    def deadline(self):
        from kawal.mentoring.rules import report_deadline

        return report_deadline(self.month)

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        if self.first_submitted_at is None:
            return False
        return timezone.localdate(self.first_submitted_at) > self.deadline
