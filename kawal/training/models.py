"""Training programmes, their batches (dates, venue, kecamatan served, capacity, trainers), the
officers invited to them, completion and optional pre/post test scores. Each day of a batch is a
session: an event in the events app, whose registrants and check-ins are the day's participants
and attendance (one registration and attendance mechanism for events, training and RAT)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kawal.core.models import TimeStampedModel, VersionedModel


class Module(models.TextChoices):
    """The ministry's standard training modules for cooperative officers."""

    POLICY = "kebijakan", _("KMP policy")
    GOVERNANCE = "tata_kelola", _("governance")
    LEADERSHIP = "kepemimpinan", _("leadership")
    ENTREPRENEURSHIP = "kewirausahaan", _("entrepreneurship")
    BUSINESS = "manajemen_usaha", _("business management")
    FINANCE = "keuangan", _("finance")
    TAX = "pajak", _("tax")
    PROPOSAL = "proposal_usaha", _("business proposals")
    PARTNERSHIP = "kemitraan", _("partnerships and financing")
    DIGITAL = "aplikasi", _("the ministry's applications")


STANDARD_MODULES = [
    Module.POLICY,
    Module.GOVERNANCE,
    Module.LEADERSHIP,
    Module.ENTREPRENEURSHIP,
    Module.BUSINESS,
    Module.FINANCE,
    Module.TAX,
    Module.PROPOSAL,
]


class TargetGroup(models.TextChoices):
    PENGURUS = "pengurus", _("pengurus")
    PENGAWAS = "pengawas", _("pengawas")
    MANAGER = "manajer", _("manager")
    BA = "ba", _("business assistants")


class Programme(VersionedModel):
    class Method(models.TextChoices):
        OFFLINE = "luring", _("in person")
        ONLINE = "daring", _("online")
        HYBRID = "hybrid", _("hybrid")

    # The organiser's region: a regency or a province.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    title = models.CharField(_("title"), max_length=200)
    modules = models.JSONField(_("modules"), default=list)
    target_groups = models.JSONField(_("target group"), default=list)
    method = models.CharField(
        _("method"), max_length=8, choices=Method.choices, default=Method.OFFLINE
    )
    budget_line = models.ForeignKey(
        "budget.BudgetLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("funding line"),
    )
    cost_per_participant = models.PositiveBigIntegerField(_("cost per participant (Rp)"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")

    def __str__(self) -> str:
        return self.title

    def module_labels(self) -> list[str]:
        return [str(Module(m).label) for m in self.modules if m in Module.values]

    def target_labels(self) -> list[str]:
        return [str(TargetGroup(t).label) for t in self.target_groups if t in TargetGroup.values]


class Batch(VersionedModel):
    class Status(models.TextChoices):
        PLANNED = "rencana", _("planned")
        DONE = "selesai", _("finished")
        CANCELLED = "batal", _("cancelled")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="batches", verbose_name=_("programme")
    )
    # Copied from the programme: the scope of every read and write.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    number = models.PositiveSmallIntegerField(_("batch number"))
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200)
    venue_region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("venue's kecamatan"),
    )
    districts = models.ManyToManyField(
        "regions.Region", related_name="+", verbose_name=_("kecamatan served")
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    trainers = models.TextField(_("trainers"), blank=True, help_text=_("One per line."))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["start_date", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="batch_number_once"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="batch_ends_after_start",
            ),
        ]
        verbose_name = _("training batch")
        verbose_name_plural = _("training batches")

    def __str__(self) -> str:
        return f"{self.programme} · {_('batch')} {self.number}"

    @property
    def days(self) -> list:
        import datetime

        n = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=i) for i in range(n)]

    def trainer_list(self) -> list[str]:
        return [t.strip() for t in self.trainers.splitlines() if t.strip()]


class Participant(TimeStampedModel):
    """An officer invited to a batch; counted as trained once completed."""

    class Invitation(models.TextChoices):
        INVITED = "diundang", _("invited")
        CONFIRMED = "konfirmasi", _("confirmed")
        DECLINED = "menolak", _("declined")

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="participants", verbose_name=_("batch")
    )
    officer = models.ForeignKey(
        "cooperatives.Officer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cooperative"),
    )
    invitation = models.CharField(
        _("invitation"), max_length=10, choices=Invitation.choices, default=Invitation.INVITED
    )
    invited_on = models.DateField(_("invited on"))
    completed = models.BooleanField(_("completed"), default=False)
    pre_score = models.PositiveSmallIntegerField(
        _("pre-test score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    post_score = models.PositiveSmallIntegerField(
        _("post-test score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["batch_id", "cooperative_id", "officer_id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "officer"], name="participant_once")
        ]
        indexes = [models.Index(fields=["officer", "completed"])]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.officer.name} · {self.batch}"


class Session(models.Model):
    """One day of a batch: an event of kind "training session" in the events app.

    Attendance has one mechanism for events, training and RAT: the batch's participants are
    the session's registrants (each with a personal link and QR code) and a day's attendance is
    the events app's check-in of that registrant, recorded by the training phone list, the door
    page or the personal link alike.
    """

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("day"))
    event = models.OneToOneField(
        "events.Event", on_delete=models.PROTECT, related_name="+", verbose_name=_("event")
    )

    class Meta:
        ordering = ["batch_id", "day"]
        constraints = [models.UniqueConstraint(fields=["batch", "day"], name="session_once_a_day")]
        verbose_name = _("training day")
        verbose_name_plural = _("training days")

    def __str__(self) -> str:
        return f"{self.batch_id} · {self.day}"


class Seat(models.Model):
    """A participant registered for one session: the link from training to events' registrant
    (whose attendance row, if any, says the participant was present that day)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="seats")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seats")
    registrant = models.OneToOneField(
        "events.Registrant", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["participant_id", "session_id"]
        constraints = [models.UniqueConstraint(fields=["participant", "session"], name="seat_once")]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.session_id}"
