from django.conf import settings
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


class Crosswalk(models.Model):
    """An outside system's identifier for one of our regions (or a cooperative's village),
    kept once an officer or a matching import confirmed it.

    `source` names the system (`simkopdes`, or `name` for a spelling confirmed by an officer);
    `entity` what the id points at (province, district, subdistrict, village, cooperative);
    `external_id` the outside id, or for `name` the normalised parent-code|name key.
    """

    class Entity(models.TextChoices):
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("regency")
        SUBDISTRICT = "subdistrict", _("district (kecamatan)")
        VILLAGE = "village", _("village")
        COOPERATIVE = "cooperative", _("cooperative")

    source = models.CharField(_("source"), max_length=20)
    entity = models.CharField(_("entity"), max_length=12, choices=Entity.choices)
    external_id = models.CharField(_("external id"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="crosswalk", verbose_name=_("region")
    )
    label = models.CharField(_("name as given"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["source", "entity", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "entity", "external_id"], name="crosswalk_unique_external_id"
            )
        ]
        verbose_name = _("crosswalk entry")
        verbose_name_plural = _("crosswalk")

    def __str__(self) -> str:
        return f"{self.source}:{self.entity}:{self.external_id} → {self.region_id}"


class ReviewItem(models.Model):
    """A row an import could not place: it waits here until an officer picks a candidate."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting")
        RESOLVED = "resolved", _("resolved")

    class Source(models.TextChoices):
        COOPERATIVES = "cooperatives", _("cooperative import")
        OFFICERS = "officers", _("pengurus import")
        STEPS = "steps", _("step import")
        NOTARIES = "notaries", _("NPAK notary import")
        SIMKOPDES = "simkopdes", _("SIMKOPDES import")
        POTENTIAL = "potential", _("village potential import")
        CASELOAD = "caseload", _("mentor caseload import")
        OPERATIONS = "operations", _("operations import")
        BUSINESS = "business", _("business report import")

    key = models.CharField(max_length=300, unique=True)  # source|where|what was given
    source = models.CharField(_("import"), max_length=40, choices=Source.choices)
    given = models.JSONField(_("given in the file"), default=dict)
    problem = models.CharField(_("problem"), max_length=300)
    candidates = models.JSONField(_("candidates"), default=list)  # [[code, label], ...]
    # The deepest region the row certainly lies in (else the importer's own region): scopes
    # the queue like any record.
    scope_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["status", "-updated_at"]
        indexes = [models.Index(fields=["status", "updated_at"])]
        verbose_name = _("review item")
        verbose_name_plural = _("review queue")

    def __str__(self) -> str:
        return self.key

    @property
    def given_label(self) -> str:
        """What the file said, as the officer reads it: 'Desa X, Kec. Y, Kab. Z'."""
        parts = [self.given.get(k) for k in ("desa", "kecamatan", "kabupaten", "provinsi")]
        named = ", ".join(p for p in parts if p)
        return named or self.given.get("kode_desa") or self.given.get("villageId") or "?"
