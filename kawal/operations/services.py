"""Writes of the operations app: outlet stages, partners and partnerships, loans.

Every function checks the actor's right on the cooperative's village first, validates, writes,
and leaves an audit row in the same transaction. Messages are for the user (Indonesian via the
catalogue); a ValidationError leaves nothing half-saved.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kawal.cooperatives import services as registry
from kawal.cooperatives.models import MIN_LAND_M2, Outlet
from kawal.core.audit import audit, changes_between, snapshot
from kawal.core.formats import tanggal
from kawal.core.scope import Cap, require
from kawal.core.services import bump_version
from kawal.operations.models import (
    DEFAULT_LOAN_CEILING,
    Builder,
    Disbursement,
    Installment,
    LandStatus,
    Loan,
    LoanCeiling,
    OutletEvent,
    OutletLife,
    Partner,
    Partnership,
    PartnershipStep,
    Repayment,
    Stage,
)

# --- shared checks ---------------------------------------------------------------------------


def _check_date(value, field: str = "happened_on", *, not_before=None, before_label=""):
    if value is None:
        raise ValidationError({field: _("Enter the date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {
                field: _("The date cannot be before %(what)s (%(date)s).")
                % {"what": before_label, "date": tanggal(not_before)}
            }
        )


def _check_amount(value, field: str) -> int:
    if value is None or value == "":
        raise ValidationError({field: _("Enter the amount.")})
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("The amount must be a whole number of rupiah.")}) from None
    if value <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    return value


# --- Outlet lifecycle ------------------------------------------------------------------------

# Which stage may follow which: forward one step at a time; paused and closed after opening.
NEXT_STAGES: dict[str, tuple[str, ...]] = {
    Stage.PLANNED: (Stage.LAND, Stage.CLOSED),
    Stage.LAND: (Stage.BUILDING, Stage.CLOSED),
    Stage.BUILDING: (Stage.BUILDING, Stage.EQUIPPED, Stage.CLOSED),
    Stage.EQUIPPED: (Stage.OPEN, Stage.CLOSED),
    Stage.OPEN: (Stage.PAUSED, Stage.CLOSED),
    Stage.PAUSED: (Stage.OPEN, Stage.CLOSED),
    Stage.CLOSED: (),
}
STAGE_TO_STATUS = {
    Stage.PLANNED: Outlet.Status.RENCANA,
    Stage.LAND: Outlet.Status.PERSIAPAN,
    Stage.BUILDING: Outlet.Status.PEMBANGUNAN,
    Stage.EQUIPPED: Outlet.Status.PEMBANGUNAN,
    Stage.OPEN: Outlet.Status.BEROPERASI,
    Stage.PAUSED: Outlet.Status.JEDA,
    Stage.CLOSED: Outlet.Status.TUTUP,
}
STATUS_TO_STAGE = {
    Outlet.Status.RENCANA: Stage.PLANNED,
    Outlet.Status.PERSIAPAN: Stage.PLANNED,
    Outlet.Status.PEMBANGUNAN: Stage.BUILDING,
    Outlet.Status.BEROPERASI: Stage.OPEN,
    Outlet.Status.JEDA: Stage.PAUSED,
    Outlet.Status.TUTUP: Stage.CLOSED,
}


def current_stage(outlet) -> str:
    """The lifecycle stage: from the lifecycle row, else inferred from the registry status."""
    life = getattr(outlet, "life", None) if _has_life(outlet) else None
    if life is not None:
        return life.stage
    return STATUS_TO_STAGE.get(outlet.status, Stage.PLANNED)


def _has_life(outlet) -> bool:
    try:
        outlet.life  # noqa: B018
    except OutletLife.DoesNotExist:
        return False
    return True


def allowed_next(outlet) -> tuple[str, ...]:
    return NEXT_STAGES[current_stage(outlet)]


@transaction.atomic
def outlet_stage_record(
    *,
    actor,
    outlet,
    stage: str,
    happened_on: datetime.date,
    note: str = "",
    photo=None,
    progress_pct: int | None = None,
    land_area_m2: int | None = None,
    land_status: str = "",
    builder: str = "",
    builder_name: str = "",
    opening_days: str = "",
    opening_hours: str = "",
    staff_count: int | None = None,
    expected_version: int | None = None,
) -> OutletEvent:
    """Move an outlet to `stage` (or report construction progress) and sync `Outlet.status`."""
    region = outlet.cooperative.village_id
    require(actor, Cap.EDIT, region)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    now = current_stage(outlet)
    life = OutletLife.objects.filter(outlet=outlet).first()
    if stage not in NEXT_STAGES[now]:
        if stage == Stage.OPEN and now in (Stage.PLANNED, Stage.LAND, Stage.BUILDING):
            raise ValidationError(
                {"stage": _("An outlet can only open after it is built and equipped.")}
            )
        raise ValidationError(
            {
                "stage": _("From “%(now)s” the outlet cannot go to “%(next)s”.")
                % {"now": Stage(now).label, "next": Stage(stage).label}
            }
        )
    last = OutletEvent.objects.filter(outlet=outlet).aggregate(d=Max("happened_on"))["d"]
    _check_date(happened_on, not_before=last, before_label=_("the outlet's last recorded step"))
    registry_changes: dict = {"status": STAGE_TO_STATUS[stage]}
    if stage == Stage.LAND:
        area = land_area_m2 if land_area_m2 is not None else outlet.land_area_m2
        if not area or area <= 0:
            raise ValidationError({"land_area_m2": _("Enter the land area in m².")})
        if land_status not in LandStatus.values:
            raise ValidationError({"land_status": _("Choose the status of the land.")})
        registry_changes["land_area_m2"] = area
        registry_changes["land_ownership"] = {
            LandStatus.VILLAGE_ASSET: Outlet.LandOwnership.DESA,
            LandStatus.LOCAL_GOVERNMENT: Outlet.LandOwnership.PEMDA,
        }.get(land_status, Outlet.LandOwnership.LAINNYA)
    if stage == Stage.BUILDING:
        if builder not in Builder.values and not (life and life.builder):
            raise ValidationError({"builder": _("Choose who builds the outlet.")})
        if progress_pct is None or not 0 <= int(progress_pct) <= 100:
            raise ValidationError({"progress_pct": _("Enter the progress between 0 and 100%.")})
        registry_changes["progress_pct"] = int(progress_pct)
    if stage == Stage.EQUIPPED:
        registry_changes["progress_pct"] = 100
    if (
        stage == Stage.OPEN
        and now == Stage.EQUIPPED
        and not (opening_days.strip() and opening_hours.strip())
    ):
        raise ValidationError(
            {"opening_days": _("Enter the opening days and hours of the outlet.")}
        )
    if stage == Stage.BUILDING and not photo and now == Stage.BUILDING:
        raise ValidationError({"photo": _("A construction report needs a dated photo.")})
    if stage == Stage.LAND and registry_changes["land_area_m2"] < MIN_LAND_M2:
        note = (note + "\n" if note else "") + _("Land below the 1,000 m² rule.")

    event = OutletEvent(
        outlet=outlet,
        stage=stage,
        happened_on=happened_on,
        note=note.strip(),
        progress_pct=registry_changes.get("progress_pct") if stage == Stage.BUILDING else None,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    if photo:
        event.photo = photo
    event.full_clean()
    event.save()

    if life is None:
        life = OutletLife(outlet=outlet, stage=stage, stage_since=happened_on)
        before = {}
    else:
        bump_version(life, expected_version)
        before = snapshot(life)
    if stage != life.stage or not life.pk:
        life.stage_since = happened_on
    life.stage = stage
    if stage == Stage.LAND:
        life.land_status = land_status
    if stage == Stage.BUILDING and builder:
        life.builder = builder
        life.builder_name = builder_name.strip()
    if stage == Stage.OPEN:
        life.opened_on = life.opened_on if now == Stage.PAUSED else happened_on
        if opening_days:
            life.opening_days = opening_days.strip()
        if opening_hours:
            life.opening_hours = opening_hours.strip()
        if staff_count is not None:
            life.staff_count = staff_count
    life.full_clean()
    life.save()
    # The registry's status is the one truth other apps read; keep it in step.
    outlet.refresh_from_db()
    registry.outlet_update(actor=actor, outlet=outlet, **registry_changes)
    audit(
        actor=actor,
        action="outlet_stage_record",
        obj=life,
        region_code=region,
        changes=changes_between(before, snapshot(life)),
        note=f"{Stage(stage).label} {happened_on}",
    )
    return event


@transaction.atomic
def outlet_event_correct(
    *, actor, event: OutletEvent, happened_on: datetime.date, note: str, reason: str
) -> OutletEvent:
    """Fix the date or note of a recorded step; the old values stay in the audit trail."""
    region = event.outlet.cooperative.village_id
    require(actor, Cap.EDIT, region)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the step is corrected.")})
    neighbours = OutletEvent.objects.filter(outlet=event.outlet).exclude(pk=event.pk)
    earlier = neighbours.filter(happened_on__lte=event.happened_on, id__lt=event.pk).aggregate(
        d=Max("happened_on")
    )["d"]
    _check_date(happened_on, not_before=earlier, before_label=_("the previous step"))
    later = neighbours.filter(id__gt=event.pk).order_by("happened_on").first()
    if later and happened_on > later.happened_on:
        raise ValidationError({"happened_on": _("The date cannot be after the next step.")})
    before = snapshot(event, ["happened_on", "note"])
    event.happened_on = happened_on
    event.note = note.strip()
    event.save(update_fields=["happened_on", "note", "updated_at"])
    life = OutletLife.objects.filter(outlet=event.outlet).first()
    if life and life.stage == event.stage and later is None:
        life.stage_since = happened_on
        if event.stage == Stage.OPEN:
            life.opened_on = happened_on
        life.save(update_fields=["stage_since", "opened_on", "updated_at"])
    audit(
        actor=actor,
        action="outlet_event_correct",
        obj=event,
        region_code=region,
        changes=changes_between(before, snapshot(event, ["happened_on", "note"])),
        note=reason.strip(),
    )
    return event


# --- Partners --------------------------------------------------------------------------------

PARTNER_FIELDS = ("name", "kind", "contact", "is_active")


@transaction.atomic
def partner_save(*, actor, region_code: str, partner=None, expected_version=None, **fields):
    require(actor, Cap.MANAGE, region_code if partner is None else partner.region_id)
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    fields["name"] = (fields.get("name") or "").strip() if "name" in fields else None
    if fields["name"] is None:
        fields.pop("name")
    if partner is None:
        partner = Partner(region_id=region_code, **fields)
        before = {}
    else:
        before = snapshot(partner)
        for key, value in fields.items():
            setattr(partner, key, value)
    if Partner.objects.filter(region_id=partner.region_id, name__iexact=partner.name).exclude(
        pk=partner.pk
    ):
        raise ValidationError({"name": _("A partner with this name already exists.")})
    partner.full_clean()
    if partner.pk:
        bump_version(partner, expected_version)
    partner.save()
    audit(
        actor=actor,
        action="partner_save",
        obj=partner,
        region_code=partner.region_id,
        changes=changes_between(before, snapshot(partner)),
    )
    return partner


# --- Partnerships ----------------------------------------------------------------------------

PARTNERSHIP_ORDER = list(Partnership.Stage.values)


def _check_outlet_of(cooperative, outlet) -> None:
    if outlet is not None and outlet.cooperative_id != cooperative.pk:
        raise ValidationError({"outlet": _("This outlet belongs to another cooperative.")})


@transaction.atomic
def partnership_create(
    *,
    actor,
    cooperative,
    partner,
    covers: str,
    started_on: datetime.date,
    outlet=None,
    must_act: str = "",
    blocked_reason: str = "",
) -> Partnership:
    region = cooperative.village_id
    require(actor, Cap.EDIT, region)
    _check_outlet_of(cooperative, outlet)
    _check_date(started_on, "started_on")
    if not partner.is_active:
        raise ValidationError({"partner": _("This partner is no longer active.")})
    partnership = Partnership(
        cooperative=cooperative,
        partner=partner,
        covers=(covers or "").strip(),
        outlet=outlet,
        stage=Partnership.Stage.EXPLORING,
        stage_since=started_on,
        must_act=must_act,
        blocked_reason=(blocked_reason or "").strip(),
    )
    partnership.full_clean()
    partnership.save()
    PartnershipStep.objects.create(
        partnership=partnership,
        stage=partnership.stage,
        happened_on=started_on,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(
        actor=actor,
        action="partnership_create",
        obj=partnership,
        region_code=region,
        changes={k: [None, v] for k, v in snapshot(partnership).items()},
    )
    return partnership


@transaction.atomic
def partnership_step(
    *,
    actor,
    partnership: Partnership,
    stage: str,
    happened_on: datetime.date,
    note: str = "",
    document=None,
    blocked_reason: str | None = None,
    must_act: str | None = None,
    expected_version: int | None = None,
) -> PartnershipStep:
    """Record the partnership's next step (forward only; stopping is allowed at any time)."""
    region = partnership.cooperative.village_id
    require(actor, Cap.EDIT, region)
    if stage not in PARTNERSHIP_ORDER:
        raise ValidationError({"stage": _("Unknown stage.")})
    now = partnership.stage
    if now == Partnership.Stage.STOPPED:
        raise ValidationError({"stage": _("This partnership has stopped; start a new one.")})
    if stage != Partnership.Stage.STOPPED:
        if PARTNERSHIP_ORDER.index(stage) < PARTNERSHIP_ORDER.index(now):
            raise ValidationError({"stage": _("A partnership cannot go back a stage.")})
        if stage == Partnership.Stage.ACTIVE and now != Partnership.Stage.SIGNED:
            raise ValidationError(
                {"stage": _("A partnership becomes active only after the PKS/MoU is signed.")}
            )
    if stage == Partnership.Stage.SIGNED and now != stage and not document:
        raise ValidationError({"document": _("Attach the signed PKS/MoU.")})
    last = partnership.steps.aggregate(d=Max("happened_on"))["d"]
    _check_date(happened_on, not_before=last, before_label=_("the partnership's last step"))
    before = snapshot(partnership)
    step = PartnershipStep(
        partnership=partnership,
        stage=stage,
        happened_on=happened_on,
        note=(note or "").strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    if document:
        step.document = document
    step.full_clean()
    step.save()
    if stage != now:
        partnership.stage_since = happened_on
    partnership.stage = stage
    if blocked_reason is not None:
        partnership.blocked_reason = blocked_reason.strip()
    if must_act is not None:
        partnership.must_act = must_act
    if stage in (Partnership.Stage.ACTIVE, Partnership.Stage.STOPPED) and must_act is None:
        partnership.must_act = ""
    partnership.full_clean()
    bump_version(partnership, expected_version)
    partnership.save()
    audit(
        actor=actor,
        action="partnership_step",
        obj=partnership,
        region_code=region,
        changes=changes_between(before, snapshot(partnership)),
        note=note,
    )
    return step


# --- Loans -----------------------------------------------------------------------------------


def loan_ceiling(on: datetime.date | None = None) -> int:
    """The ceiling in force on `on` (the configured table; Rp3 billion when it is empty)."""
    on = on or timezone.localdate()
    row = LoanCeiling.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    return row.amount if row else DEFAULT_LOAN_CEILING


@transaction.atomic
def loan_ceiling_set(*, actor, amount: int, valid_from: datetime.date, basis: str = ""):
    require(actor, Cap.MANAGE, None)  # a national rule: only national administrators
    amount = _check_amount(amount, "amount")
    row, _created = LoanCeiling.objects.update_or_create(
        valid_from=valid_from, defaults={"amount": amount, "basis": basis}
    )
    audit(
        actor=actor,
        action="loan_ceiling_set",
        obj=row,
        region_code=None,
        changes={"amount": [None, amount], "valid_from": [None, str(valid_from)]},
    )
    return row


def _check_ceiling(cooperative, amount: int, on, exclude_pk=None) -> None:
    ceiling = loan_ceiling(on)
    live = Loan.objects.filter(cooperative=cooperative).exclude(
        status__in=[Loan.Status.REJECTED, Loan.Status.PAID]
    )
    if exclude_pk:
        live = live.exclude(pk=exclude_pk)
    others = live.aggregate(s=Sum("amount_requested"))["s"] or 0
    if amount + others > ceiling:
        from kawal.core.formats import rupiah

        raise ValidationError(
            {
                "amount_requested": _(
                    "The amount is above the ceiling of %(ceiling)s per cooperative"
                    " (already requested: %(others)s)."
                )
                % {"ceiling": rupiah(ceiling), "others": rupiah(others)}
            }
        )


def approver_for(cooperative) -> str:
    """Who approves the proposal: the kepala desa for a desa, the bupati for a kelurahan."""
    from kawal.regions.models import Region

    return (
        Loan.Approver.REGENT
        if cooperative.village.kind == Region.Kind.KELURAHAN
        else Loan.Approver.VILLAGE_HEAD
    )


LOAN_FIELDS = ("amount_requested", "interest_pct", "term_months", "outlet", "purpose")


@transaction.atomic
def loan_create(*, actor, cooperative, bank, amount_requested, on=None, **fields) -> Loan:
    region = cooperative.village_id
    require(actor, Cap.EDIT, region)
    if set(fields) - set(LOAN_FIELDS) - {"business_plan"}:
        raise ValueError(f"unknown fields: {sorted(set(fields) - set(LOAN_FIELDS))}")
    if bank.kind != Partner.Kind.BANK:
        raise ValidationError({"bank": _("Choose one of the state banks.")})
    amount = _check_amount(amount_requested, "amount_requested")
    on = on or timezone.localdate()
    _check_date(on, "status_since")
    _check_outlet_of(cooperative, fields.get("outlet"))
    _check_ceiling(cooperative, amount, on)
    loan = Loan(
        cooperative=cooperative,
        bank=bank,
        amount_requested=amount,
        status=Loan.Status.DRAFT,
        status_since=on,
        approver=approver_for(cooperative),
        **fields,
    )
    loan.full_clean()
    loan.save()
    audit(
        actor=actor,
        action="loan_create",
        obj=loan,
        region_code=region,
        changes={k: [None, v] for k, v in snapshot(loan).items()},
    )
    return loan


def _loan_write(actor, loan, before, action, expected_version, note=""):
    loan.full_clean()
    bump_version(loan, expected_version)
    loan.save()
    audit(
        actor=actor,
        action=action,
        obj=loan,
        region_code=loan.cooperative.village_id,
        changes=changes_between(before, snapshot(loan)),
        note=note,
    )
    return loan


@transaction.atomic
def loan_update(*, actor, loan: Loan, expected_version: int | None = None, **fields) -> Loan:
    """Change a draft or a submitted proposal (amount, term, purpose, business plan)."""
    require(actor, Cap.EDIT, loan.cooperative.village_id)
    if set(fields) - set(LOAN_FIELDS) - {"business_plan", "bank"}:
        raise ValueError("unknown fields")
    if loan.status not in (Loan.Status.DRAFT, Loan.Status.SUBMITTED):
        raise ValidationError(_("Only a draft or submitted proposal can be changed."))
    before = snapshot(loan)
    if "amount_requested" in fields:
        fields["amount_requested"] = _check_amount(fields["amount_requested"], "amount_requested")
        _check_ceiling(loan.cooperative, fields["amount_requested"], None, exclude_pk=loan.pk)
    _check_outlet_of(loan.cooperative, fields.get("outlet"))
    for key, value in fields.items():
        setattr(loan, key, value)
    return _loan_write(actor, loan, before, "loan_update", expected_version)


@transaction.atomic
def loan_local_approval(
    *, actor, loan: Loan, approver_name: str, approved_on, document=None, expected_version=None
) -> Loan:
    """The kepala desa's (desa) or bupati's (kelurahan) approval of the proposal."""
    require(actor, Cap.EDIT, loan.cooperative.village_id)
    if loan.status != Loan.Status.DRAFT:
        raise ValidationError(_("The approval is recorded before the proposal is submitted."))
    if not (approver_name or "").strip():
        raise ValidationError({"approver_name": _("Enter the approver's name.")})
    _check_date(approved_on, "approval_on")
    before = snapshot(loan)
    loan.approver = approver_for(loan.cooperative)
    loan.approver_name = approver_name.strip()
    loan.approval_on = approved_on
    if document:
        loan.approval_document = document
    return _loan_write(actor, loan, before, "loan_local_approval", expected_version)


# Moves a user may make by hand; disbursed/repaying/paid follow from tranches and payments.
LOAN_MOVES = {
    Loan.Status.DRAFT: (Loan.Status.SUBMITTED,),
    Loan.Status.SUBMITTED: (Loan.Status.VERIFIED, Loan.Status.REJECTED),
    Loan.Status.VERIFIED: (Loan.Status.APPROVED, Loan.Status.REJECTED),
}


@transaction.atomic
def loan_set_status(
    *,
    actor,
    loan: Loan,
    status: str,
    on: datetime.date,
    amount_approved: int | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Loan:
    require(actor, Cap.EDIT, loan.cooperative.village_id)
    if status not in LOAN_MOVES.get(loan.status, ()):
        raise ValidationError(
            {
                "status": _("A loan that is “%(now)s” cannot become “%(next)s”.")
                % {"now": loan.get_status_display(), "next": Loan.Status(status).label}
            }
        )
    _check_date(on, "on", not_before=loan.status_since, before_label=_("its current status"))
    before = snapshot(loan)
    if status == Loan.Status.SUBMITTED:
        if not loan.business_plan:
            raise ValidationError({"business_plan": _("Attach the business plan first.")})
        if not loan.approval_on:
            raise ValidationError(
                _("Record the approval of the %(who)s first.")
                % {"who": Loan.Approver(approver_for(loan.cooperative)).label}
            )
        loan.proposed_on = on
    if status == Loan.Status.APPROVED:
        amount = _check_amount(amount_approved, "amount_approved")
        if amount > loan.amount_requested:
            raise ValidationError(
                {"amount_approved": _("The approved amount cannot exceed the amount requested.")}
            )
        _check_ceiling(loan.cooperative, amount, on, exclude_pk=loan.pk)
        loan.amount_approved = amount
    if status == Loan.Status.REJECTED:
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for the rejection.")})
        loan.rejected_reason = reason.strip()
    loan.status = status
    loan.status_since = on
    return _loan_write(actor, loan, before, "loan_set_status", expected_version)


def _schedule(loan: Loan, principal: int, start: datetime.date, first: int) -> list[Installment]:
    """One tranche's schedule: equal principal each month plus flat interest, whole rupiah."""
    n = loan.term_months
    base = principal // n
    monthly_interest = int(
        (Decimal(principal) * loan.interest_pct / 100 / 12).quantize(Decimal(1), ROUND_HALF_UP)
    )
    rows = []
    for i in range(1, n + 1):
        index = start.year * 12 + start.month - 1 + i
        rows.append(
            Installment(
                loan=loan,
                number=first + i - 1,
                due_on=datetime.date(index // 12, index % 12 + 1, min(start.day, 28)),
                principal=base if i < n else principal - base * (n - 1),
                interest=monthly_interest,
            )
        )
    return rows


@transaction.atomic
def loan_disburse(
    *, actor, loan: Loan, amount: int, disbursed_on: datetime.date, expected_version=None
) -> Disbursement:
    """Pay out a tranche (as a balance in the KMP's account); the first one starts the schedule."""
    require(actor, Cap.EDIT, loan.cooperative.village_id)
    if loan.status not in (Loan.Status.APPROVED, Loan.Status.DISBURSED, Loan.Status.REPAYING):
        raise ValidationError(_("Only an approved loan can be disbursed."))
    amount = _check_amount(amount, "amount")
    _check_date(
        disbursed_on, "disbursed_on", not_before=loan.status_since, before_label=_("approval")
    )
    done = loan.disbursements.aggregate(s=Sum("amount"))["s"] or 0
    if done + amount > loan.amount_approved:
        from kawal.core.formats import rupiah

        raise ValidationError(
            {
                "amount": _(
                    "The disbursements would exceed the approved amount of %(approved)s"
                    " (already disbursed: %(done)s)."
                )
                % {"approved": rupiah(loan.amount_approved), "done": rupiah(done)}
            }
        )
    before = snapshot(loan)
    tranche = loan.disbursements.count() + 1
    row = Disbursement.objects.create(
        loan=loan, tranche=tranche, amount=amount, disbursed_on=disbursed_on
    )
    # Each tranche is repaid on its own schedule, from the month after it was paid out.
    first_number = (loan.installments.aggregate(n=Max("number"))["n"] or 0) + 1
    Installment.objects.bulk_create(_schedule(loan, amount, disbursed_on, first_number))
    if tranche == 1:
        loan.status = Loan.Status.DISBURSED
        loan.status_since = disbursed_on
    _loan_write(actor, loan, before, "loan_disburse", expected_version, note=f"{tranche}: {amount}")
    return row


@transaction.atomic
def loan_repay(
    *, actor, loan: Loan, amount: int, paid_on: datetime.date, expected_version=None
) -> Repayment:
    """Record a payment; it covers the oldest unpaid instalments first (interest, then principal)."""
    require(actor, Cap.EDIT, loan.cooperative.village_id)
    amount = _check_amount(amount, "amount")
    first = loan.disbursements.order_by("disbursed_on").first()
    if first is None:
        raise ValidationError(_("A repayment cannot be recorded before the loan is disbursed."))
    _check_date(
        paid_on, "paid_on", not_before=first.disbursed_on, before_label=_("the disbursement")
    )
    open_rows = [i for i in loan.installments.order_by("due_on", "number") if i.paid < i.amount]
    owed = sum(i.amount - i.paid for i in open_rows)
    if amount > owed:
        from kawal.core.formats import rupiah

        raise ValidationError(
            {
                "amount": _("The payment is more than what is still owed (%(owed)s).")
                % {"owed": rupiah(owed)}
            }
        )
    left = amount
    for row in open_rows:
        if left <= 0:
            break
        take = min(left, row.amount - row.paid)
        interest_open = max(0, row.interest - (row.paid - row.paid_principal))
        row.paid += take
        row.paid_principal += max(0, take - interest_open)
        left -= take
        row.save(update_fields=["paid", "paid_principal"])
    before = snapshot(loan)
    payment = Repayment.objects.create(loan=loan, amount=amount, paid_on=paid_on)
    new_status = Loan.Status.PAID if amount == owed else Loan.Status.REPAYING
    if loan.status != new_status:
        loan.status = new_status
        loan.status_since = paid_on
    _loan_write(actor, loan, before, "loan_repay", expected_version, note=str(amount))
    return payment
