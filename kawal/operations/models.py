"""Operations: outlets from plan to open, partnerships, and state-bank loans.

The registry's `cooperatives.Outlet` stays the one place that says whether an outlet operates
(`Outlet.status`); this app keeps its lifecycle (dated stage events with evidence) and moves
`Outlet.status` through the cooperatives service whenever a stage changes.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import TimeStampedModel, VersionedModel
from kawal.core.uploads import UploadValidator

DEFAULT_LOAN_CEILING = 3_000_000_000  # Rp3 billion per KMP (PMK 49/2025)
PHOTO_KINDS = ("jpeg", "png")
DOCUMENT_KINDS = ("pdf", "jpeg", "png")


class Stage(models.TextChoices):
    """An outlet's lifecycle, in order; paused and closed come after opening."""

    PLANNED = "rencana", _("planned")
    LAND = "lahan", _("land secured")
    BUILDING = "bangun", _("under construction")
    EQUIPPED = "lengkap", _("equipped")
    OPEN = "buka", _("open")
    PAUSED = "jeda", _("paused")
    CLOSED = "tutup", _("closed")


class LandStatus(models.TextChoices):
    VILLAGE_ASSET = "aset_desa", _("village asset")
    GRANT = "hibah", _("grant (hibah)")
    LEASE = "sewa", _("lease (sewa)")
    LOCAL_GOVERNMENT = "pemda", _("local government land")


class Builder(models.TextChoices):
    AGRINAS = "agrinas", _("Agrinas")
    SELF = "swadaya", _("self-built (swadaya)")
    OTHER = "lainnya", _("other contractor")


class OutletLife(VersionedModel):
    """The current lifecycle state of one registry outlet (created at its first stage event)."""

    outlet = models.OneToOneField(
        "cooperatives.Outlet",
        on_delete=models.CASCADE,
        related_name="life",
        verbose_name=_("outlet"),
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices, db_index=True)
    stage_since = models.DateField(_("in this stage since"))
    land_status = models.CharField(
        _("land status"), max_length=10, choices=LandStatus.choices, blank=True
    )
    builder = models.CharField(_("builder"), max_length=8, choices=Builder.choices, blank=True)
    builder_name = models.CharField(_("builder name"), max_length=120, blank=True)
    opened_on = models.DateField(_("opening date"), null=True, blank=True, db_index=True)
    opening_days = models.CharField(_("opening days"), max_length=60, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=40, blank=True)
    staff_count = models.PositiveSmallIntegerField(_("staff"), null=True, blank=True)

    class Meta:
        verbose_name = _("outlet lifecycle")
        verbose_name_plural = _("outlet lifecycles")

    def __str__(self) -> str:
        return f"{self.outlet} · {self.get_stage_display()}"


class OutletEvent(TimeStampedModel):
    """One dated step of an outlet's lifecycle (or a progress report within a stage)."""

    outlet = models.ForeignKey(
        "cooperatives.Outlet",
        on_delete=models.CASCADE,
        related_name="stage_events",
        verbose_name=_("outlet"),
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    happened_on = models.DateField(_("date"))
    progress_pct = models.PositiveSmallIntegerField(
        _("construction progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    note = models.TextField(_("note"), blank=True)
    photo = models.FileField(
        _("photo"),
        upload_to="operations/outlets/%Y/%m/",
        blank=True,
        validators=[UploadValidator(kinds=PHOTO_KINDS)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["outlet_id", "happened_on", "id"]
        verbose_name = _("outlet stage event")
        verbose_name_plural = _("outlet stage events")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.happened_on}"


class Partner(VersionedModel):
    """A supplier, offtaker, builder or bank that KMP work with (editable registry)."""

    class Kind(models.TextChoices):
        BULOG = "bulog", _("Bulog (rice and staples)")
        FERTILISER = "pupuk", _("Pupuk Indonesia (subsidised fertiliser)")
        LPG = "lpg", _("Pertamina (LPG)")
        POST = "pos", _("PT Pos (logistics)")
        BUILDER = "agrinas", _("Agrinas (construction)")
        BANK = "bank", _("Himbara bank")
        BUMDES = "bumdes", _("village BUMDes")
        OFFTAKER = "offtaker", _("local offtaker")
        OTHER = "lainnya", _("other")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    contact = models.CharField(_("contact person / office"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="partner_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class MustAct(models.TextChoices):
    KMP = "kmp", _("the cooperative (pengurus)")
    PARTNER = "mitra", _("the partner")
    DINAS = "dinas", _("the Dinas")
    VILLAGE = "desa", _("the village government")
    BANK = "bank", _("the bank")


class Partnership(VersionedModel):
    """One KMP working with one partner on one thing (a commodity or a service)."""

    class Stage(models.TextChoices):
        EXPLORING = "penjajakan", _("exploring (penjajakan)")
        SUBMITTED = "diajukan", _("documents submitted")
        VERIFYING = "verifikasi", _("partner verification")
        SIGNED = "pks", _("PKS/MoU signed")
        ACTIVE = "aktif", _("active")
        STOPPED = "berhenti", _("stopped")

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.CASCADE,
        related_name="partnerships",
        verbose_name=_("cooperative"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("partner")
    )
    covers = models.CharField(_("what it covers"), max_length=120)
    outlet = models.ForeignKey(
        "cooperatives.Outlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("outlet"),
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.EXPLORING
    )
    stage_since = models.DateField(_("in this stage since"))
    blocked_reason = models.CharField(_("what blocks it"), max_length=300, blank=True)
    must_act = models.CharField(
        _("who must act"), max_length=6, choices=MustAct.choices, blank=True
    )

    class Meta:
        ordering = ["cooperative_id", "partner__name", "id"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        indexes = [models.Index(fields=["stage", "partner"])]

    def __str__(self) -> str:
        return f"{self.partner} · {self.covers}"

    @property
    def is_pending(self) -> bool:
        return self.stage not in (self.Stage.ACTIVE, self.Stage.STOPPED)


PENDING_PARTNERSHIP = [
    Partnership.Stage.EXPLORING,
    Partnership.Stage.SUBMITTED,
    Partnership.Stage.VERIFYING,
    Partnership.Stage.SIGNED,
]


class PartnershipStep(TimeStampedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="steps", verbose_name=_("partnership")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Partnership.Stage.choices)
    happened_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    document = models.FileField(
        _("document"),
        upload_to="operations/partnerships/%Y/%m/",
        blank=True,
        validators=[UploadValidator(kinds=DOCUMENT_KINDS)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["partnership_id", "happened_on", "id"]
        verbose_name = _("partnership step")
        verbose_name_plural = _("partnership steps")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.happened_on}"


class LoanCeiling(TimeStampedModel):
    """The most a KMP may borrow, from a date on (a regulation may change it)."""

    amount = models.PositiveBigIntegerField(_("ceiling (Rp)"))
    valid_from = models.DateField(_("valid from"), unique=True)
    basis = models.CharField(_("legal basis"), max_length=120, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("loan ceiling")
        verbose_name_plural = _("loan ceilings")

    def __str__(self) -> str:
        return f"{self.amount} ({self.valid_from})"


class Loan(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "diajukan", _("submitted")
        VERIFIED = "diverifikasi", _("verified by the bank")
        APPROVED = "disetujui", _("approved")
        DISBURSED = "dicairkan", _("disbursed")
        REPAYING = "angsuran", _("repaying")
        PAID = "lunas", _("paid off")
        REJECTED = "ditolak", _("rejected")

    class Approver(models.TextChoices):
        VILLAGE_HEAD = "kades", _("kepala desa")
        REGENT = "bupati", _("bupati")

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.CASCADE,
        related_name="loans",
        verbose_name=_("cooperative"),
    )
    bank = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="loans", verbose_name=_("bank")
    )
    amount_requested = models.PositiveBigIntegerField(_("amount requested (Rp)"))
    amount_approved = models.PositiveBigIntegerField(
        _("amount approved (Rp)"), null=True, blank=True
    )
    interest_pct = models.DecimalField(
        _("interest per year (%)"),
        max_digits=5,
        decimal_places=2,
        default=6,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), default=36, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    outlet = models.ForeignKey(
        "cooperatives.Outlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("for outlet"),
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    business_plan = models.FileField(
        _("business plan"),
        upload_to="operations/loans/%Y/%m/",
        blank=True,
        validators=[UploadValidator(kinds=("pdf",))],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_since = models.DateField(_("in this status since"))
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    approver = models.CharField(
        _("approved by"), max_length=6, choices=Approver.choices, blank=True
    )
    approver_name = models.CharField(_("approver's name"), max_length=120, blank=True)
    approval_on = models.DateField(_("approval date"), null=True, blank=True)
    approval_document = models.FileField(
        _("approval document"),
        upload_to="operations/loans/%Y/%m/",
        blank=True,
        validators=[UploadValidator(kinds=DOCUMENT_KINDS)],
    )
    rejected_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)

    class Meta:
        ordering = ["cooperative_id", "id"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")

    def __str__(self) -> str:
        return f"{self.bank} · {self.amount_requested}"


PENDING_LOAN = [
    Loan.Status.DRAFT,
    Loan.Status.SUBMITTED,
    Loan.Status.VERIFIED,
    Loan.Status.APPROVED,
]


class Disbursement(TimeStampedModel):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="disbursements")
    tranche = models.PositiveSmallIntegerField(_("tranche"))
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    disbursed_on = models.DateField(_("date"))

    class Meta:
        ordering = ["loan_id", "tranche"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "tranche"], name="disbursement_unique_tranche")
        ]

    def __str__(self) -> str:
        return f"{self.tranche}: {self.amount}"


class Installment(models.Model):
    """One line of the repayment schedule; `paid` is what payments have covered so far."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="installments")
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    principal = models.PositiveBigIntegerField(_("principal (Rp)"))
    interest = models.PositiveBigIntegerField(_("interest (Rp)"))
    paid = models.PositiveBigIntegerField(_("paid (Rp)"), default=0)
    paid_principal = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["loan_id", "number"]
        indexes = [models.Index(fields=["loan", "due_on"])]

    def __str__(self) -> str:
        return f"{self.number}: {self.due_on}"

    @property
    def amount(self) -> int:
        return self.principal + self.interest


class Repayment(TimeStampedModel):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="repayments")
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    paid_on = models.DateField(_("date"))

    class Meta:
        ordering = ["loan_id", "paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.paid_on}: {self.amount}"
