"""Budget lines in the regional budget's structure, their refocusing history, commitments and
actual spend. Amounts are whole Rupiah (integers); the remaining balance is computed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import TimeStampedModel, VersionedModel


class Source(models.TextChoices):
    APBD = "apbd", _("APBD (regional budget)")
    BTT = "btt", _("BTT (unexpected expenditure)")
    APBN = "apbn", _("APBN (state budget)")
    DANA_DESA = "dana_desa", _("village funds (dana desa)")
    LAINNYA = "lainnya", _("other")


class Purpose(models.TextChoices):
    TRAINING = "pelatihan", _("training")
    EVENTS = "acara", _("events")
    NOTARY = "notaris", _("notary fees")
    OTHER = "lainnya", _("other")


class BudgetLine(VersionedModel):
    class Status(models.TextChoices):
        USULAN = "usulan", _("proposed (usulan)")
        MENUNGGU = "menunggu_pendanaan", _("waiting for funding")
        REFOCUSING = "refocusing", _("being refocused")
        DISETUJUI = "disetujui", _("approved (disetujui)")
        TEREALISASI = "terealisasi", _("realised (terealisasi)")
        DIBATALKAN = "dibatalkan", _("cancelled (dibatalkan)")

    # The budget holder's region: the regency (or province) whose budget it is.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    program = models.CharField(_("program"), max_length=200)
    kegiatan = models.CharField(_("activity (kegiatan)"), max_length=200)
    sub_kegiatan = models.CharField(_("sub-activity (sub kegiatan)"), max_length=200)
    account_code = models.CharField(_("account code"), max_length=40)
    description = models.CharField(_("description"), max_length=200)
    purpose = models.CharField(
        _("used for"), max_length=10, choices=Purpose.choices, default=Purpose.TRAINING
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    ceiling = models.PositiveBigIntegerField(_("ceiling (Rp)"))
    original_ceiling = models.PositiveBigIntegerField(_("original ceiling (Rp)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.USULAN
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-fiscal_year", "account_code", "id"]
        indexes = [models.Index(fields=["fiscal_year", "status"])]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.account_code} · {self.description} ({self.fiscal_year})"


class Refocusing(TimeStampedModel):
    """Money moved between lines (or cut from / added to a line) by a decree."""

    from_line = models.ForeignKey(
        BudgetLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refocused_out",
        verbose_name=_("from line"),
    )
    to_line = models.ForeignKey(
        BudgetLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refocused_in",
        verbose_name=_("to line"),
    )
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    date = models.DateField(_("date"))
    decree_reference = models.CharField(_("decree reference"), max_length=120)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_line__isnull=False) | models.Q(to_line__isnull=False),
                name="refocusing_has_a_line",
            )
        ]
        verbose_name = _("refocusing")
        verbose_name_plural = _("refocusing history")

    def __str__(self) -> str:
        return f"{self.decree_reference} · {self.amount}"


class Commitment(TimeStampedModel):
    """Money promised to an activity (a training batch, an event, notary fees)."""

    class Status(models.TextChoices):
        ACTIVE = "aktif", _("active")
        CANCELLED = "batal", _("cancelled")

    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("line")
    )
    description = models.CharField(_("description"), max_length=200)
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    committed_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.ACTIVE
    )
    # What the money is for, by app label and id (budget imports none of its users).
    ref_app = models.CharField(max_length=20, blank=True)
    ref_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-committed_on", "-id"]
        indexes = [models.Index(fields=["ref_app", "ref_id"])]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.description


class Spend(TimeStampedModel):
    """Money actually paid out against a commitment."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="spends", verbose_name=_("commitment")
    )
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    spent_on = models.DateField(_("date"))
    document_reference = models.CharField(_("payment document (SP2D)"), max_length=120, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name = _("spend")
        verbose_name_plural = _("spending")

    def __str__(self) -> str:
        return f"{self.spent_on} · {self.amount}"
