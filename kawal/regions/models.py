from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core import codes


class Region(models.Model):
    """A Kemendagri region. Retired (pemekaran, renumbering), never deleted."""

    class Kind(models.TextChoices):
        PROVINSI = codes.PROVINSI, _("province")
        KABUPATEN = codes.KABUPATEN, _("regency")
        KOTA = codes.KOTA, _("city")
        KECAMATAN = codes.KECAMATAN, _("district (kecamatan)")
        DESA = codes.DESA, _("village (desa)")
        KELURAHAN = codes.KELURAHAN, _("urban village (kelurahan)")
        DESA_ADAT = codes.DESA_ADAT, _("customary village (desa adat)")

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Copied ancestors: a subtree is one indexed equality on both databases.
    province_code = models.CharField(max_length=2)
    regency_code = models.CharField(max_length=5, blank=True)
    district_code = models.CharField(max_length=8, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["province_code", "level"]),
            models.Index(fields=["regency_code", "level"]),
            models.Index(fields=["district_code", "level"]),
        ]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_village(self) -> bool:
        return self.level == 4

    @property
    def display_name(self) -> str:
        """'Desa Tanah Datar', 'Kecamatan Muara Badak'; regencies already carry their prefix."""
        prefix = {
            codes.KECAMATAN: "Kecamatan",
            codes.DESA: "Desa",
            codes.KELURAHAN: "Kelurahan",
            codes.DESA_ADAT: "Desa Adat",
            codes.PROVINSI: "Provinsi",
        }.get(self.kind)
        return f"{prefix} {self.name}" if prefix else self.name


class RegionBoundary(models.Model):
    """A region's outline (GeoJSON geometry). Apart from Region, so that the rows every list
    joins stay small; only the map reads it (`selectors.region_boundaries`)."""

    region = models.OneToOneField(
        Region, primary_key=True, on_delete=models.CASCADE, related_name="boundary"
    )
    geometry = models.JSONField(_("boundary (GeoJSON geometry)"))

    class Meta:
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")

    def __str__(self) -> str:
        return self.region_id


class RegionCodeChange(models.Model):
    """Old → new codes (e.g. the 2021 Kukar split), so older spreadsheets can still be joined."""

    old_code = models.CharField(_("old code"), max_length=13, unique=True)
    old_name = models.CharField(_("old name"), max_length=100)
    old_district_code = models.CharField(max_length=8, blank=True)
    new_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="old_codes")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["old_code"]
        verbose_name = _("region code change")
        verbose_name_plural = _("region code changes")

    def __str__(self) -> str:
        return f"{self.old_code} → {self.new_region_id}"
