import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kawal.core.models import TimeStampedModel, VersionedModel
from kawal.core.uploads import UploadValidator, safe_filename


class Letterhead(TimeStampedModel):
    """Kop surat of the secretariat (the Dinas), per regency; editable by the Dinas."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    government = models.CharField(
        _("government line"), max_length=120, default="PEMERINTAH KABUPATEN KUTAI KARTANEGARA"
    )
    office = models.CharField(
        _("office line"), max_length=120, default="DINAS KOPERASI DAN USAHA KECIL MENENGAH"
    )
    address = models.CharField(
        _("address"),
        max_length=200,
        default="Jl. Wolter Monginsidi No. 1, Tenggarong, Kutai Kartanegara, Kalimantan Timur 75512",
    )
    contact = models.CharField(
        _("telephone, email, website"),
        max_length=200,
        blank=True,
        default="Telp. (0541) 661000 · diskopukm@kukarkab.go.id",
    )
    city = models.CharField(_("city of signing"), max_length=60, default="Tenggarong")
    signer_title = models.CharField(
        _("signer's title"),
        max_length=160,
        default="Kepala Dinas Koperasi dan UKM selaku Sekretaris Satgas KMP",
    )
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    signer_nip = models.CharField(_("signer's NIP"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self) -> str:
        return f"{self.office} ({self.region_id})"


def decree_path(instance, filename: str) -> str:
    return f"taskforce/sk/{instance.region_id}/{safe_filename(filename)}"


class Decree(VersionedModel):
    """The Bupati's decree (SK) forming the Satgas. An amendment is a new decree that
    `amends` the earlier one; the earlier one stays, as history."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    number = models.CharField(_("decree number"), max_length=100)
    title = models.CharField(_("about"), max_length=300)
    signed_on = models.DateField(_("signed on"))
    signed_by = models.CharField(_("signed by"), max_length=120, default="Bupati Kutai Kartanegara")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(
        _("signed file (PDF)"),
        upload_to=decree_path,
        blank=True,
        max_length=255,
        validators=[UploadValidator(kinds=("pdf",))],
    )
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("amends"),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("decree")
        verbose_name_plural = _("decrees")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("taskforce:decree_detail", args=[self.pk])


class DecreeAgency(models.Model):
    """An agency's place in the Satgas under one decree: its duties, leading sector or not."""

    decree = models.ForeignKey(Decree, on_delete=models.CASCADE, related_name="agencies")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    duties = models.TextField(_("duties in the Satgas"), blank=True)
    is_leading_sector = models.BooleanField(_("leading sector"), default=False)

    class Meta:
        ordering = ["-is_leading_sector", "agency__kind", "agency__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["decree", "agency"], name="decree_agency_once")
        ]
        verbose_name = _("Satgas agency")
        verbose_name_plural = _("Satgas agencies")

    def __str__(self) -> str:
        return f"{self.agency} · {self.decree}"


class DecreeMember(models.Model):
    class Position(models.TextChoices):
        PEMBINA = "pembina", _("patron (pembina)")
        KETUA = "ketua", _("chair (ketua)")
        WAKIL_KETUA = "wakil_ketua", _("vice chair (wakil ketua)")
        SEKRETARIS = "sekretaris", _("secretary (sekretaris)")
        ANGGOTA = "anggota", _("member (anggota)")
        KOORDINATOR_KECAMATAN = "koordinator_kecamatan", _("kecamatan coordinator")

    ORDER = list(Position.values)

    decree = models.ForeignKey(Decree, on_delete=models.CASCADE, related_name="members")
    position = models.CharField(_("Satgas position"), max_length=24, choices=Position.choices)
    office_title = models.CharField(
        _("office held"), max_length=160, help_text=_("E.g. Sekretaris Daerah, Camat Tenggarong.")
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user account"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("Satgas member")
        verbose_name_plural = _("Satgas members")

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.office_title}"


class MeetingSeries(models.Model):
    """Meetings scheduled together, e.g. a rakor every two weeks."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    interval_days = models.PositiveSmallIntegerField(_("every (days)"), default=14)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return self.title


class Meeting(VersionedModel):
    """A coordination meeting (rakor) of the Satgas."""

    class Status(models.TextChoices):
        DIJADWALKAN = "dijadwalkan", _("scheduled")
        SELESAI = "selesai", _("held")
        DIBATALKAN = "dibatalkan", _("cancelled")

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DIJADWALKAN
    )
    letter_number = models.CharField(_("invitation letter number"), max_length=100, blank=True)
    chair = models.CharField(_("chaired by"), max_length=160, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("taskforce:meeting_detail", args=[self.pk])


class Invitee(models.Model):
    """An invited agency or person, and (once held) their attendance."""

    class Attendance(models.TextChoices):
        HADIR = "hadir", _("present")
        DIWAKILI = "diwakili", _("represented")
        TIDAK_HADIR = "tidak_hadir", _("absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    attendance = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, blank=True
    )
    represented_by = models.CharField(_("represented by"), max_length=120, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agency"],
                condition=Q(user__isnull=True),
                name="invitee_agency_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="invitee_person_once",
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(user__isnull=False),
                name="invitee_agency_or_person",
            ),
        ]
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")

    def __str__(self) -> str:
        if self.user_id:
            return str(self.user)
        return self.agency.name if self.agency_id else "—"

    @property
    def attended(self) -> bool:
        return self.attendance in (self.Attendance.HADIR, self.Attendance.DIWAKILI)


class Decision(models.Model):
    """A decision of a meeting; each one is followed up by one or more follow-ups."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_once")
        ]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.number}"

    def get_absolute_url(self) -> str:
        return (
            reverse("taskforce:meeting_detail", args=[self.meeting_id])
            + f"#keputusan-{self.number}"
        )
