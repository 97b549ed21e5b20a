"""Village potential (pemetaan potensi desa), the BUMDes registry and a standard sector list."""

from functools import cached_property

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import TimeStampedModel, VersionedModel
from kawal.core.nik import PhoneValidator


class UnitCategory(models.TextChoices):
    """Business lines shared by KMP outlets and BUMDes units, so the two can be compared."""

    SEMBAKO = "sembako", _("Groceries (sembako)")
    APOTEK = "apotek", _("Pharmacy / cheap medicine")
    KANTOR = "kantor", _("Cooperative office")
    SIMPAN_PINJAM = "simpan_pinjam", _("Savings and loans")
    KLINIK = "klinik", _("Village clinic")
    COLD_STORAGE = "cold_storage", _("Cold storage / cold chain")
    LOGISTIK = "logistik", _("Logistics / distribution")
    SAPROTAN = "saprotan", _("Farm inputs and fertiliser")
    LPG = "lpg", _("LPG base")
    PENGOLAHAN = "pengolahan", _("Processing of produce")
    WISATA = "wisata", _("Tourism")
    AIR_BERSIH = "air_bersih", _("Clean water")
    PERSEWAAN = "persewaan", _("Rentals (tools, buildings)")
    LAINNYA = "lainnya", _("other")


# The KBLI codes that identify each category (KMP codes from docs/DOMAIN.md §4, plus common others).
CATEGORY_KBLI: dict[str, tuple[str, ...]] = {
    "sembako": ("47111", "47112"),
    "apotek": ("47721", "47723", "47724", "47725", "47726", "47727", "47728", "47729"),
    "kantor": ("47415", "77394"),
    "simpan_pinjam": ("64142", "64144", "64146", "64148"),
    "klinik": ("86102", "86103", "86105", "86109"),
    "cold_storage": ("52102",),
    "logistik": ("52291", "52292", "52293", "52294", "52295", "52296", "52297"),
    "saprotan": ("46652", "47762"),
    "lpg": ("47730",),
    "pengolahan": ("10213", "10299", "10612", "10432"),
    "wisata": ("93241", "55130", "79120"),
    "air_bersih": ("36001", "36002"),
    "persewaan": ("77300", "68111"),
}


def category_of_kbli(kbli: str) -> str:
    for category, codes in CATEGORY_KBLI.items():
        if kbli in codes:
            return category
    return ""


class Sector(models.Model):
    """A sector of the standard list (food crops, palm oil, fisheries, ...), editable by the Dinas.

    `serving_units` lists the business lines (UnitCategory values, comma-separated) that serve
    producers of this sector: the overlap analysis uses them to spot untapped potential.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    serving_units = models.CharField(
        _("business lines that serve it"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated codes, e.g. cold_storage,logistik"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name

    @cached_property
    def serving_list(self) -> list[str]:
        return [u.strip() for u in self.serving_units.split(",") if u.strip()]


class CommodityType(models.Model):
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="commodities", verbose_name=_("sector")
    )
    name = models.CharField(_("name"), max_length=120)
    default_unit = models.CharField(_("usual unit"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sector__order", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "name"], name="commodity_type_once")
        ]
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")

    def __str__(self) -> str:
        return self.name


class IdmStatus(models.TextChoices):
    """Indeks Desa Membangun status (desa only)."""

    MANDIRI = "mandiri", _("Mandiri")
    MAJU = "maju", _("Maju")
    BERKEMBANG = "berkembang", _("Berkembang")
    TERTINGGAL = "tertinggal", _("Tertinggal")
    SANGAT_TERTINGGAL = "sangat_tertinggal", _("Sangat Tertinggal")


class Access(models.TextChoices):
    ROAD = "jalan", _("road")
    RIVER = "sungai", _("river")
    BOTH = "keduanya", _("road and river")
    LIMITED = "terbatas", _("limited")


class VillageProfile(VersionedModel):
    village = models.OneToOneField(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="potential_profile",
        verbose_name=_("village"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households (KK)"), null=True, blank=True)
    idm_status = models.CharField(
        _("IDM status"), max_length=20, choices=IdmStatus.choices, blank=True
    )
    idm_year = models.PositiveSmallIntegerField(
        _("IDM year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2015), MaxValueValidator(2100)],
    )
    has_market = models.BooleanField(_("market"), default=False)
    has_health_facility = models.BooleanField(_("health facility (puskesmas/pustu)"), default=False)
    has_internet = models.BooleanField(_("internet"), default=False)
    has_electricity = models.BooleanField(_("electricity (PLN)"), default=False)
    access = models.CharField(_("access"), max_length=10, choices=Access.choices, blank=True)
    land_available_m2 = models.PositiveIntegerField(
        _("land available for outlets (m²)"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("village profile")
        verbose_name_plural = _("village profiles")

    def __str__(self) -> str:
        return str(self.village_id)

    def clean(self):
        from django.core.exceptions import ValidationError

        kind = getattr(self.village, "kind", "") if self.village_id else ""
        if self.idm_status and kind == "kelurahan":
            raise ValidationError({"idm_status": _("IDM status applies to desa, not kelurahan.")})
        if self.idm_status and not self.idm_year:
            raise ValidationError({"idm_year": _("Give the year of the IDM status.")})
        if (
            self.population is not None
            and self.households is not None
            and self.households > self.population
        ):
            raise ValidationError(
                {"households": _("There cannot be more households than inhabitants.")}
            )


class Commodity(TimeStampedModel):
    """A commodity the village produces, with volume, unit and estimated value per year."""

    village = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="commodities",
        verbose_name=_("village"),
    )
    commodity = models.ForeignKey(
        CommodityType, on_delete=models.PROTECT, related_name="+", verbose_name=_("commodity")
    )
    volume = models.DecimalField(
        _("volume per year"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0, message=_("The volume cannot be negative."))],
    )
    unit = models.CharField(_("unit"), max_length=20)
    estimated_value = models.PositiveBigIntegerField(_("estimated value per year (Rp)"), default=0)
    is_main = models.BooleanField(_("main commodity"), default=False)

    class Meta:
        ordering = ["village_id", "-estimated_value"]
        constraints = [
            models.UniqueConstraint(fields=["village", "commodity"], name="commodity_once"),
            models.CheckConstraint(
                condition=models.Q(volume__gte=0), name="commodity_volume_not_negative"
            ),
        ]
        verbose_name = _("village commodity")
        verbose_name_plural = _("village commodities")

    def __str__(self) -> str:
        return f"{self.commodity} ({self.village_id})"


class Bumdes(VersionedModel):
    """The village-owned enterprise of a desa (kelurahan have none)."""

    class LegalStatus(models.TextChoices):
        BELUM = "belum", _("no legal entity yet")
        PROSES = "proses", _("registration in process")
        BERBADAN_HUKUM = "badan_hukum", _("legal entity (registered)")

    village = models.OneToOneField(
        "regions.Region", on_delete=models.PROTECT, related_name="bumdes", verbose_name=_("desa")
    )
    name = models.CharField(_("name"), max_length=200)
    legal_status = models.CharField(
        _("legal status"), max_length=12, choices=LegalStatus.choices, default=LegalStatus.BELUM
    )
    legal_number = models.CharField(_("registration number"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    yearly_revenue = models.PositiveBigIntegerField(_("yearly revenue (Rp)"), null=True, blank=True)
    revenue_year = models.PositiveSmallIntegerField(_("revenue year"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[PhoneValidator()]
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("BUMDes")
        verbose_name_plural = _("BUMDes")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.village_id and getattr(self.village, "kind", "") == "kelurahan":
            raise ValidationError(_("A kelurahan has no BUMDes; BUMDes belong to desa."))
        if self.legal_status == self.LegalStatus.BERBADAN_HUKUM and not self.legal_number:
            raise ValidationError(
                {"legal_number": _("Give the registration number of the legal entity.")}
            )


class BumdesUnit(TimeStampedModel):
    bumdes = models.ForeignKey(
        Bumdes, on_delete=models.CASCADE, related_name="units", verbose_name=_("BUMDes")
    )
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=UnitCategory.choices)
    kbli = models.CharField(_("KBLI code"), max_length=5, blank=True)
    is_active = models.BooleanField(_("running"), default=True)
    runs_well = models.BooleanField(
        _("runs well"),
        default=False,
        help_text=_("Profitable and serving the village: the KMP stays out of this line."),
    )

    class Meta:
        ordering = ["bumdes_id", "category", "id"]
        verbose_name = _("BUMDes business unit")
        verbose_name_plural = _("BUMDes business units")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kbli and not (self.kbli.isdigit() and len(self.kbli) == 5):
            raise ValidationError({"kbli": _("A KBLI code has five digits.")})
