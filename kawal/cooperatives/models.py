from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import VersionedModel
from kawal.core.nik import NikValidator, PhoneValidator

LATITUDE = [MinValueValidator(-11), MaxValueValidator(6.5)]  # Indonesia's bounding box
LONGITUDE = [MinValueValidator(94.5), MaxValueValidator(141.5)]
MIN_LAND_M2 = 1000  # docs/DOMAIN.md §3 step 12: an outlet site of at least 1,000 m²


class Cooperative(VersionedModel):
    """A Koperasi Desa/Kelurahan Merah Putih: one per desa/kelurahan, keyed on its village.

    A joint cooperative (koperasi bersama) keeps its main village in `village` and lists the
    other villages it covers in `joint_villages`.
    """

    class Scheme(models.TextChoices):
        PENDIRIAN_BARU = "pendirian_baru", _("new establishment (pendirian baru)")
        PENGEMBANGAN = "pengembangan", _("development of an existing cooperative (pengembangan)")
        REVITALISASI = "revitalisasi", _("revitalisation (revitalisasi)")

    class BusinessType(models.TextChoices):
        KONSUMEN = "konsumen", _("consumer (konsumen)")
        PRODUSEN = "produsen", _("producer (produsen)")

    village = models.OneToOneField(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="cooperative",
        verbose_name=_("village"),
    )
    joint_villages = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="joint_cooperatives",
        verbose_name=_("other villages covered (joint cooperative)"),
    )
    name = models.CharField(_("name"), max_length=200)
    is_syariah = models.BooleanField(_("sharia (syariah)"), default=False)
    scheme = models.CharField(
        _("scheme"), max_length=20, choices=Scheme.choices, default=Scheme.PENDIRIAN_BARU
    )
    business_type = models.CharField(
        _("type"), max_length=10, choices=BusinessType.choices, default=BusinessType.KONSUMEN
    )
    address = models.TextField(_("address"), blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=LATITUDE)
    lng = models.FloatField(_("longitude"), null=True, blank=True, validators=LONGITUDE)
    # The Nomor Induk Koperasi; ministry data also calls it "NIK", which is not a person's NIK.
    registration_number = models.CharField(_("Nomor Induk Koperasi"), max_length=40, blank=True)
    simpanan_pokok = models.PositiveBigIntegerField(_("simpanan pokok (Rp)"), default=0)
    simpanan_wajib = models.PositiveBigIntegerField(_("simpanan wajib (Rp)"), default=0)
    hibah = models.PositiveBigIntegerField(_("grants (hibah, Rp)"), default=0)
    members_male = models.PositiveIntegerField(_("male members"), default=0)
    members_female = models.PositiveIntegerField(_("female members"), default=0)
    simkopdes_id = models.CharField(_("SIMKOPDES id"), max_length=64, blank=True)

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")

    def __str__(self) -> str:
        return self.name

    @property
    def member_count(self) -> int:
        return self.members_male + self.members_female


class Sex(models.TextChoices):
    MALE = "L", _("male")
    FEMALE = "P", _("female")


class Officer(VersionedModel):
    """A pengurus (board) or pengawas (supervisor) of a cooperative, for one term."""

    class Body(models.TextChoices):
        PENGURUS = "pengurus", _("pengurus (board)")
        PENGAWAS = "pengawas", _("pengawas (supervisors)")

    class Position(models.TextChoices):
        KETUA = "ketua", _("chair (ketua)")
        WAKIL_KETUA_USAHA = "wakil_ketua_usaha", _("vice chair for business")
        WAKIL_KETUA_ANGGOTA = "wakil_ketua_anggota", _("vice chair for membership")
        SEKRETARIS = "sekretaris", _("secretary (sekretaris)")
        BENDAHARA = "bendahara", _("treasurer (bendahara)")
        KETUA_PENGAWAS = "ketua_pengawas", _("chair of the pengawas")
        ANGGOTA = "anggota", _("member")

    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.CASCADE,
        related_name="officers",
        verbose_name=_("cooperative"),
    )
    body = models.CharField(_("body"), max_length=10, choices=Body.choices)
    position = models.CharField(_("position"), max_length=24, choices=Position.choices)
    name = models.CharField(_("name"), max_length=120)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[NikValidator()])
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[PhoneValidator()])
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    is_village_official = models.BooleanField(
        _("village official (kepala desa/lurah or perangkat)"), default=False
    )
    is_village_head = models.BooleanField(_("kepala desa / lurah"), default=False)
    is_bpd_member = models.BooleanField(_("BPD member"), default=False)
    # Declared first-degree family ties with other officers, by name (free text, as declared).
    family_ties = models.CharField(_("declared family ties"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["cooperative_id", "body", "id"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_position_display()})"


class Outlet(VersionedModel):
    """A business unit (gerai) of a cooperative, with its site (land)."""

    class Type(models.TextChoices):
        SEMBAKO = "sembako", _("Gerai sembako")
        APOTEK = "apotek", _("Apotek desa / obat murah")
        KANTOR = "kantor", _("Kantor koperasi")
        SIMPAN_PINJAM = "simpan_pinjam", _("Simpan pinjam (USP)")
        KLINIK = "klinik", _("Klinik desa")
        COLD_STORAGE = "cold_storage", _("Cold storage / cold chain")
        LOGISTIK = "logistik", _("Logistik / distribusi")
        LAINNYA = "lainnya", _("other")

    class Status(models.TextChoices):
        RENCANA = "rencana", _("planned (rencana)")
        PERSIAPAN = "persiapan", _("preparing (persiapan)")
        PEMBANGUNAN = "pembangunan", _("under construction (pembangunan)")
        BEROPERASI = "beroperasi", _("operating (beroperasi)")
        JEDA = "jeda", _("paused (jeda)")
        TUTUP = "tutup", _("closed (tutup)")

    class LandOwnership(models.TextChoices):
        DESA = "desa", _("village land")
        PEMDA = "pemda", _("local government land")
        LAINNYA = "lainnya", _("other")

    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.CASCADE,
        related_name="outlets",
        verbose_name=_("cooperative"),
    )
    outlet_type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    other_label = models.CharField(_("other type (name)"), max_length=100, blank=True)
    kbli = models.CharField(_("KBLI code"), max_length=5, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RENCANA
    )
    progress_pct = models.PositiveSmallIntegerField(
        _("construction progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    has_internet = models.BooleanField(_("internet"), default=False)
    has_electricity = models.BooleanField(_("electricity"), default=False)
    has_clean_water = models.BooleanField(_("clean water"), default=False)
    land_area_m2 = models.PositiveIntegerField(_("land area (m²)"), null=True, blank=True)
    land_ownership = models.CharField(
        _("land ownership"), max_length=8, choices=LandOwnership.choices, blank=True
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=LATITUDE)
    lng = models.FloatField(_("longitude"), null=True, blank=True, validators=LONGITUDE)

    class Meta:
        ordering = ["cooperative_id", "outlet_type", "id"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return self.other_label or self.get_outlet_type_display()

    @property
    def meets_land_rule(self) -> bool | None:
        """≥ 1,000 m²; None while the area is unknown."""
        return None if self.land_area_m2 is None else self.land_area_m2 >= MIN_LAND_M2


# KBLI 2020 codes of the seven standard units (docs/DOMAIN.md §4); "52292" is named by one source.
OUTLET_KBLI: dict[str, tuple[str, ...]] = {
    Outlet.Type.SEMBAKO: ("47111", "47112"),
    Outlet.Type.APOTEK: ("47721", "47723", "47724", "47725", "47726", "47727", "47728", "47729"),
    Outlet.Type.KANTOR: ("47415", "77394"),
    Outlet.Type.SIMPAN_PINJAM: ("64142", "64144", "64146", "64148"),
    Outlet.Type.KLINIK: ("86102", "86103", "86105", "86109"),
    Outlet.Type.COLD_STORAGE: ("52102",),
    Outlet.Type.LOGISTIK: ("52291", "52292", "52293", "52294", "52295", "52296", "52297"),
}
