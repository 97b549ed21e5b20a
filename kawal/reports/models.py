"""The leaders' view keeps two things of its own: weekly snapshots of the headline numbers per
region (for the trends "4 and 12 weeks ago") and the periodic reports it issued, each frozen with
the numbers of its issue time. It writes none of the other apps' data (docs/reports.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NATIONAL = ""  # region_code of the country's snapshot


class Snapshot(models.Model):
    """The headline numbers of one region (or the country) as of one Monday.

    Written once a week by the daily job (the first run of the week) and never changed: a later
    correction of the data shows in the next week's snapshot, not in this one."""

    region_code = models.CharField(_("region"), max_length=13, blank=True)
    taken_on = models.DateField(_("week of"))
    figures = models.JSONField(_("figures"), default=dict)
    is_synthetic = models.BooleanField(_("synthetic (demo)"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["region_code", "-taken_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "taken_on"], name="snapshot_once_per_region_week"
            )
        ]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")

    def __str__(self) -> str:
        return f"{self.region_code or 'ID'} {self.taken_on}"


class IssuedReport(models.Model):
    """One *Laporan Perkembangan KDKMP* of a regency or a kecamatan for one week or month.

    Its numbers are computed once, by the task that makes it, and stored in `figures`; the PDF
    and the XLSX are drawn from those stored numbers and kept; nothing is recomputed later."""

    class Kind(models.TextChoices):
        WEEKLY = "mingguan", _("weekly")
        MONTHLY = "bulanan", _("monthly")

    class Status(models.TextChoices):
        QUEUED = "antre", _("waiting for the worker")
        RUNNING = "proses", _("being made")
        DONE = "terbit", _("issued")
        FAILED = "gagal", _("failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/", blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to="reports/%Y/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "region_id", "kind"]
        constraints = [
            # Two requests of the same report at once: the database lets one in.
            models.UniqueConstraint(
                fields=["kind", "region", "period_start"], name="report_once_per_period"
            )
        ]
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")

    def __str__(self) -> str:
        return f"{self.kind} {self.region_id} {self.period_start}"

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class CachedFigures(models.Model):
    """The counts of the dashboard and the map for the country or one province, kept for a few
    minutes: summing 80,000 KMP takes seconds, which a leader should not wait for at each visit
    (docs/reports.md §Performance). Smaller regions are always counted live.

    Written by the request that finds none fresh enough, or by the worker when a stale copy was
    served; the page says how old the numbers are."""

    region_code = models.CharField(_("region"), max_length=13, unique=True, blank=True)
    counted_on = models.DateField(_("counted for the day"))
    computed_at = models.DateTimeField(_("counted at"))
    refresh_asked_at = models.DateTimeField(_("recount asked at"), null=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("cached figures")
        verbose_name_plural = _("cached figures")

    def __str__(self) -> str:
        return f"{self.region_code or 'ID'} {self.computed_at:%Y-%m-%d %H:%M}"
