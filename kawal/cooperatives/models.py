from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import VersionedModel


class Cooperative(VersionedModel):
    """A Koperasi Desa/Kelurahan Merah Putih: one per desa/kelurahan, keyed on its village."""

    class Scheme(models.TextChoices):
        PENDIRIAN_BARU = "pendirian_baru", _("new establishment (pendirian baru)")
        PENGEMBANGAN = "pengembangan", _("development of an existing cooperative (pengembangan)")
        REVITALISASI = "revitalisasi", _("revitalisation (revitalisasi)")

    village = models.OneToOneField(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="cooperative",
        verbose_name=_("village"),
    )
    name = models.CharField(_("name"), max_length=200)
    scheme = models.CharField(
        _("scheme"), max_length=20, choices=Scheme.choices, default=Scheme.PENDIRIAN_BARU
    )

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")

    def __str__(self) -> str:
        return self.name
