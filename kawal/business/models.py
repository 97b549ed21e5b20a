"""Business reports, annual members' meetings (RAT) and the monthly status of every KMP.

All money is Rupiah in whole numbers (BigInteger); an empty figure (None) means "not reported",
never zero.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import TimeStampedModel, VersionedModel
from kawal.core.uploads import UploadValidator


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")


class ReportSource(models.TextChoices):
    FORM = "form", _("entered on the form")
    IMPORT = "import", _("spreadsheet import")
    BOOK = "book", _("the cooperative's Excel book")


class BusinessReport(VersionedModel):
    """One KMP's monthly report: the cooperative's own figures plus one line per open outlet."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.PROTECT,
        related_name="business_reports",
        verbose_name=_("cooperative"),
    )
    month = models.DateField(_("month"))  # always the first day of the month
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    source = models.CharField(
        _("source"), max_length=8, choices=ReportSource.choices, default=ReportSource.FORM
    )
    members_joined = models.PositiveIntegerField(_("members joined"), null=True, blank=True)
    members_left = models.PositiveIntegerField(_("members left"), null=True, blank=True)
    members_total = models.PositiveIntegerField(_("total members"), null=True, blank=True)
    households = models.PositiveIntegerField(
        _("households in the village (KK)"), null=True, blank=True
    )
    savings_pokok = models.PositiveBigIntegerField(_("simpanan pokok (Rp)"), null=True, blank=True)
    savings_wajib = models.PositiveBigIntegerField(_("simpanan wajib (Rp)"), null=True, blank=True)
    savings_sukarela = models.PositiveBigIntegerField(
        _("simpanan sukarela (Rp)"), null=True, blank=True
    )
    total_assets = models.PositiveBigIntegerField(_("total assets (Rp)"), null=True, blank=True)
    liabilities = models.PositiveBigIntegerField(_("liabilities (Rp)"), null=True, blank=True)
    loan_balance = models.PositiveBigIntegerField(
        _("loans outstanding to members (Rp)"), null=True, blank=True
    )
    loan_arrears = models.PositiveBigIntegerField(_("loans in arrears (Rp)"), null=True, blank=True)
    # Checks for the verifier (a jump, figures that do not add up): [{"code": .., "params": ..}]
    flags = models.JSONField(_("flags"), default=list, blank=True)
    corrections = models.PositiveSmallIntegerField(_("corrections"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    verified_at = models.DateTimeField(_("checked"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        ordering = ["-month", "cooperative_id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "month"], name="business_report_once"),
        ]
        indexes = [models.Index(fields=["month", "status"])]
        verbose_name = _("business report")
        verbose_name_plural = _("business reports")

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.month:%Y-%m}"

    @property
    def savings_total(self) -> int | None:
        parts = (self.savings_pokok, self.savings_wajib, self.savings_sukarela)
        return None if all(p is None for p in parts) else sum(p or 0 for p in parts)


class OutletLine(models.Model):
    """The month's figures of one open outlet (gerai)."""

    report = models.ForeignKey(
        BusinessReport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("report")
    )
    outlet = models.ForeignKey(
        "cooperatives.Outlet",
        on_delete=models.PROTECT,
        related_name="business_lines",
        verbose_name=_("outlet"),
    )
    revenue = models.PositiveBigIntegerField(_("revenue (omzet, Rp)"), default=0)
    cogs = models.PositiveBigIntegerField(_("cost of goods sold (HPP, Rp)"), default=0)
    operating_cost = models.PositiveBigIntegerField(_("operating cost (Rp)"), default=0)
    profit = models.BigIntegerField(_("profit or loss (Rp)"), default=0)
    transactions = models.PositiveIntegerField(_("transactions"), default=0)
    stock_value = models.PositiveBigIntegerField(_("stock value (Rp)"), null=True, blank=True)

    class Meta:
        ordering = ["report_id", "outlet_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "outlet"], name="business_line_once"),
        ]
        verbose_name = _("outlet line")
        verbose_name_plural = _("outlet lines")

    def __str__(self) -> str:
        return f"{self.report} {self.outlet_id}"


class Rat(VersionedModel):
    """Rapat Anggota Tahunan: the members' annual meeting for one fiscal year."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.PROTECT,
        related_name="rats",
        verbose_name=_("cooperative"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    due_on = models.DateField(_("due date"))
    scheduled_on = models.DateField(_("planned date"), null=True, blank=True)
    held_on = models.DateField(_("date held"), null=True, blank=True)
    members_total = models.PositiveIntegerField(
        _("members on the meeting day"), null=True, blank=True
    )
    members_present = models.PositiveIntegerField(_("members present"), null=True, blank=True)
    minutes = models.FileField(
        _("minutes (PDF)"),
        upload_to="business/rat/%Y/",
        blank=True,
        validators=[UploadValidator(kinds=("pdf",))],
    )
    statement_approved = models.BooleanField(_("financial statement approved"), default=False)
    shu = models.BigIntegerField(_("SHU (Rp)"), null=True, blank=True)
    shu_members = models.PositiveBigIntegerField(_("SHU to members (Rp)"), null=True, blank=True)
    shu_reserve = models.PositiveBigIntegerField(
        _("SHU to the reserve fund (Rp)"), null=True, blank=True
    )
    shu_other = models.PositiveBigIntegerField(_("SHU to other uses (Rp)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-fiscal_year", "cooperative_id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "fiscal_year"], name="rat_once_a_year"),
        ]
        indexes = [models.Index(fields=["held_on", "due_on"])]
        verbose_name = _("annual members' meeting (RAT)")
        verbose_name_plural = _("annual members' meetings (RAT)")

    def __str__(self) -> str:
        return f"RAT {self.fiscal_year} {self.cooperative_id}"


class MonthlyStatus(TimeStampedModel):
    """The computed activity status and health score of one KMP for one month (history).

    Recomputed from the reports whenever one is verified, and every day for the current month.
    `reason` and `score_items` keep the codes and numbers; the sentence is written when shown,
    in the reader's language.
    """

    class Status(models.TextChoices):
        BELUM = "belum", _("not operating yet (belum beroperasi)")
        VAKUM = "vakum", _("dormant (vakum)")
        BEROPERASI = "beroperasi", _("operating (beroperasi)")
        BERKEMBANG = "berkembang", _("growing (berkembang)")

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.CASCADE,
        related_name="business_statuses",
        verbose_name=_("cooperative"),
    )
    month = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.JSONField(_("reason"), default=dict)
    revenue = models.BigIntegerField(_("verified revenue (Rp)"), null=True)
    score = models.PositiveSmallIntegerField(_("health score"), null=True)
    score_version = models.PositiveSmallIntegerField(_("instrument version"), default=1)
    score_items = models.JSONField(_("score items"), default=list)

    class Meta:
        ordering = ["-month", "cooperative_id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "month"], name="business_status_once"),
        ]
        indexes = [
            models.Index(fields=["month", "status"]),
            models.Index(fields=["month", "score"]),
        ]
        verbose_name = _("monthly status")
        verbose_name_plural = _("monthly statuses")

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.month:%Y-%m} {self.status}"


class ReportReminder(models.Model):
    """One line of the daily reminder list: a report that is missing after its due day."""

    run_on = models.DateField(_("day"), db_index=True)
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))

    class Meta:
        ordering = ["-run_on", "cooperative_id"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")

    def __str__(self) -> str:
        return f"{self.run_on} {self.cooperative_id} {self.month:%Y-%m}"
