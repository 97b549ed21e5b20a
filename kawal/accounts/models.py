from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.nik import PhoneValidator
from kawal.core.scope import Role


class Agency(models.Model):
    """A government agency (OPD) or office a user works for, e.g. DPMD or a kecamatan office."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("office (dinas)")
        BADAN = "badan", _("agency (badan)")
        SEKRETARIAT = "sekretariat", _("secretariat")
        KECAMATAN = "kecamatan", _("district office")
        VERTIKAL = "vertikal", _("central-government office")
        LAINNYA = "lainnya", _("other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DINAS)
    # The region the agency serves (a regency, or a kecamatan for a camat's office).
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.short_name


class User(AbstractUser):
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[PhoneValidator()])
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("agency"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Grant(models.Model):
    """A role in a region (no region = national). A grant covers everything below its region."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region"], name="grant_unique_role_region"
            )
        ]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region_id or 'nasional'}"
