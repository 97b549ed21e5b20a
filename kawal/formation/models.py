from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import TimeStampedModel, VersionedModel
from kawal.core.uploads import UploadValidator
from kawal.formation.steps import ALL_STEP_CODES

STEP_CHOICES = [(code, code) for code in ALL_STEP_CODES]  # labels come from steps.py per scheme


class Notary(VersionedModel):
    """A Notaris Pembuat Akta Koperasi (NPAK), as in the ministry's NPAK reference list."""

    name = models.CharField(_("name"), max_length=200)
    seat = models.CharField(_("seat (tempat kedudukan)"), max_length=120, blank=True)
    province = models.CharField(_("province"), max_length=120, blank=True)
    ahu_number = models.CharField(_("AHU number"), max_length=120, blank=True)
    appointment_decree = models.CharField(_("appointment decree (SK)"), max_length=200, blank=True)
    training_certificate = models.CharField(
        _("NPAK training certificate"), max_length=200, blank=True
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_2 = models.CharField(_("phone 2"), max_length=40, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The seat placed on a regency by region reconciliation (null when the text fits none).
    regency = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("seat (regency)"),
    )
    province_code = models.CharField(max_length=2, blank=True, db_index=True)
    # Further phones and e-mails of the ministry's list (rows of one notary merged).
    more_phones = models.JSONField(_("more phones"), default=list, blank=True)
    more_emails = models.JSONField(_("more e-mails"), default=list, blank=True)
    # Normalised name and seat: one notary per key, whatever the file's spelling or encoding.
    match_key = models.CharField(max_length=240, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "seat"], name="notary_unique_name_seat")
        ]
        indexes = [models.Index(fields=["province_code", "name"])]
        verbose_name = _("notary (NPAK)")
        verbose_name_plural = _("notaries (NPAK)")

    def __str__(self) -> str:
        return self.name


class StepRecord(VersionedModel):
    """One cooperative's progress on one formation step; no row means "belum"."""

    class Status(models.TextChoices):
        BELUM = "belum", _("not started")
        PROSES = "proses", _("in process")
        SELESAI = "selesai", _("done")
        BERMASALAH = "bermasalah", _("problem")

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("cooperative"),
    )
    step = models.CharField(_("step"), max_length=24, choices=STEP_CHOICES)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BELUM
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=120, blank=True)
    notary = models.ForeignKey(
        Notary,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="steps",
        verbose_name=_("notary"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # When the status last changed: "stuck" = no movement for N days, computed from this.
    moved_at = models.DateTimeField(_("last movement"), null=True, blank=True)

    class Meta:
        ordering = ["cooperative_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "step"], name="step_once_per_coop")
        ]
        indexes = [models.Index(fields=["step", "status"])]
        verbose_name = _("step record")
        verbose_name_plural = _("step records")

    def __str__(self) -> str:
        return f"{self.cooperative_id}:{self.step}"


class StepTarget(TimeStampedModel):
    """The Dinas's target date for a step of a scheme (e.g. SK AHU by 30 June 2025)."""

    scheme = models.CharField(_("scheme"), max_length=20)
    step = models.CharField(_("step"), max_length=24, choices=STEP_CHOICES)
    due_date = models.DateField(_("target date"))

    class Meta:
        ordering = ["scheme", "due_date"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "step"], name="target_once_per_step")
        ]
        verbose_name = _("step target")
        verbose_name_plural = _("step targets")

    def __str__(self) -> str:
        return f"{self.scheme}:{self.step} {self.due_date}"


class StepDocument(TimeStampedModel):
    """Evidence for a step (BA Musdes, attendance, akta, SK AHU, NPWP, NIB, ...).

    Uploads by a cooperative's pengurus wait for the Dinas: submitted → verified / rejected.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    record = models.ForeignKey(
        StepRecord, on_delete=models.CASCADE, related_name="documents", verbose_name=_("step")
    )
    kind = models.CharField(_("document"), max_length=60)
    file = models.FileField(_("file"), upload_to="formation/%Y/%m/", validators=[UploadValidator()])
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    reason = models.TextField(_("reason for rejection"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # A board (or mentor) does not complete a step itself: it submits the completion with this
    # document, and the Dinas's verification completes the step with these values.
    completes_step = models.BooleanField(_("submits the step's completion"), default=False)
    claimed_completed_on = models.DateField(_("claimed completion date"), null=True, blank=True)
    claimed_number = models.CharField(_("claimed document number"), max_length=120, blank=True)
    claimed_notary = models.ForeignKey(
        Notary,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("claimed notary"),
    )

    class Meta:
        ordering = ["record_id", "-created_at"]
        verbose_name = _("step document")
        verbose_name_plural = _("step documents")

    def __str__(self) -> str:
        return self.kind


class Reminder(models.Model):
    """One line of the daily reminder list: a step that passes its target within 7 days or has
    passed it, for one cooperative. Written by the daily task (`formation.tasks`), read by the
    home panels and the reminder page; `run_on` is the day of the list."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("cooperative"),
    )
    step = models.CharField(_("step"), max_length=24, choices=STEP_CHOICES)
    due_date = models.DateField(_("target date"))
    run_on = models.DateField(_("list of"), db_index=True)

    class Meta:
        ordering = ["due_date", "cooperative_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "step", "run_on"], name="reminder_once_per_day"
            )
        ]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.cooperative_id}:{self.step} {self.due_date}"


class ReportedStatus(TimeStampedModel):
    """What an outside source (SIMKOPDES) reports about a cooperative, kept as reported facts
    beside our own step data: SIMKOPDES holds some steps only as yes/no flags, without numbers
    or dates. One row per cooperative, source and report date (the date of the export)."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.CASCADE,
        related_name="reported_statuses",
        verbose_name=_("cooperative"),
    )
    source = models.CharField(_("source"), max_length=20, default="simkopdes")
    reported_on = models.DateField(_("reported on"))
    has_npwp = models.BooleanField(_("has NPWP"), null=True)
    has_nib = models.BooleanField(_("has NIB"), null=True)
    has_account = models.BooleanField(_("has a bank account"), null=True)
    rat_held = models.BooleanField(_("RAT held"), null=True)
    npwp_number = models.CharField(_("NPWP number"), max_length=40, blank=True)
    nib_number = models.CharField(_("NIB number"), max_length=40, blank=True)
    sk_number = models.CharField(_("SK AHU number"), max_length=120, blank=True)
    registration_status = models.CharField(_("registration status"), max_length=60, blank=True)

    class Meta:
        ordering = ["cooperative_id", "-reported_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "source", "reported_on"], name="reported_once_per_day"
            )
        ]
        verbose_name = _("reported status")
        verbose_name_plural = _("reported statuses")

    def __str__(self) -> str:
        return f"{self.cooperative_id}:{self.source}:{self.reported_on}"
