from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import TimeStampedModel


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

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.mentor} → {self.cooperative}"
