"""Budget writes: lines, status changes, refocusing, commitments and spend.

Every amount is a whole number of Rupiah (int); a float or a negative amount is refused. A
commitment never exceeds the line's remaining balance: the balance is read and the line's version
claimed in the same transaction, so two commitments made at once cannot both pass.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kawal.budget.models import BudgetLine, Commitment, Refocusing, Spend
from kawal.budget.selectors import line_balance
from kawal.core.audit import audit, changes_between, snapshot
from kawal.core.formats import rupiah
from kawal.core.scope import Cap, require
from kawal.core.services import bump_version

LINE_FIELDS = (
    "fiscal_year",
    "program",
    "kegiatan",
    "sub_kegiatan",
    "account_code",
    "description",
    "purpose",
    "source",
    "note",
)
# Lines whose money may be promised to an activity.
SPENDABLE = (BudgetLine.Status.DISETUJUI,)
CLOSED = (BudgetLine.Status.TEREALISASI, BudgetLine.Status.DIBATALKAN)


def rupiah_amount(value, field: str = "amount", *, allow_zero: bool = False) -> int:
    """A whole, non-negative number of Rupiah, or a ValidationError naming `field`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            {field: _("Enter the amount in whole Rupiah, without decimals.")}, code="not_integer"
        )
    if value < 0:
        raise ValidationError({field: _("The amount cannot be negative.")}, code="negative")
    if value == 0 and not allow_zero:
        raise ValidationError({field: _("The amount must be more than zero.")}, code="zero")
    return value


def _lock(line_id: int) -> BudgetLine:
    return BudgetLine.objects.select_for_update().get(pk=line_id)


@transaction.atomic
def line_create(*, actor, region_code: str, ceiling, status=BudgetLine.Status.USULAN, **fields):
    require(actor, Cap.MANAGE, region_code)
    ceiling = rupiah_amount(ceiling, "ceiling", allow_zero=True)
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    line = BudgetLine(
        region_id=region_code, ceiling=ceiling, original_ceiling=ceiling, status=status, **fields
    )
    line.full_clean()
    line.save()
    audit(
        actor=actor,
        action="budget_line_create",
        obj=line,
        region_code=region_code,
        changes={k: [None, v] for k, v in snapshot(line).items()},
    )
    return line


@transaction.atomic
def line_update(*, actor, line: BudgetLine, expected_version: int, ceiling=None, **fields):
    """Edit a line's description fields (and, before approval, its ceiling).

    A stale copy (someone saved in between) is refused. Once approved, the ceiling changes only
    through refocusing, so that every change of money has a decree behind it.
    """
    require(actor, Cap.MANAGE, line.region_id)
    line = _lock(line.pk)
    bump_version(line, expected_version)
    before = snapshot(line)
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    for name, value in fields.items():
        setattr(line, name, value)
    if ceiling is not None and ceiling != line.ceiling:
        ceiling = rupiah_amount(ceiling, "ceiling", allow_zero=True)
        if line.status not in (BudgetLine.Status.USULAN, BudgetLine.Status.MENUNGGU):
            raise ValidationError(
                {
                    "ceiling": _(
                        "The ceiling of an approved line changes only through refocusing, "
                        "with its decree."
                    )
                }
            )
        line.ceiling = ceiling
        line.original_ceiling = ceiling
    line.full_clean()
    line.save()
    audit(
        actor=actor,
        action="budget_line_update",
        obj=line,
        region_code=line.region_id,
        changes=changes_between(before, snapshot(line)),
    )
    return line


ALLOWED_STATUS = {
    BudgetLine.Status.USULAN: {
        BudgetLine.Status.MENUNGGU,
        BudgetLine.Status.DISETUJUI,
        BudgetLine.Status.DIBATALKAN,
    },
    BudgetLine.Status.MENUNGGU: {
        BudgetLine.Status.REFOCUSING,
        BudgetLine.Status.DISETUJUI,
        BudgetLine.Status.DIBATALKAN,
    },
    BudgetLine.Status.REFOCUSING: {
        BudgetLine.Status.MENUNGGU,
        BudgetLine.Status.DISETUJUI,
        BudgetLine.Status.DIBATALKAN,
    },
    BudgetLine.Status.DISETUJUI: {
        BudgetLine.Status.REFOCUSING,
        BudgetLine.Status.TEREALISASI,
        BudgetLine.Status.DIBATALKAN,
    },
    BudgetLine.Status.TEREALISASI: set(),
    BudgetLine.Status.DIBATALKAN: set(),
}


@transaction.atomic
def line_set_status(*, actor, line: BudgetLine, status: str, expected_version: int, note=""):
    require(actor, Cap.MANAGE, line.region_id)
    line = _lock(line.pk)
    bump_version(line, expected_version)
    if status not in ALLOWED_STATUS.get(line.status, set()):
        label = BudgetLine.Status(status).label if status in BudgetLine.Status.values else status
        raise ValidationError(
            {
                "status": _("A line that is “%(old)s” cannot become “%(new)s”.")
                % {"old": line.get_status_display(), "new": label}
            }
        )
    balance = line_balance(line)
    if status == BudgetLine.Status.DIBATALKAN and balance.committed:
        raise ValidationError(
            {"status": _("Cancel this line's active commitments before cancelling the line.")}
        )
    old = line.status
    line.status = status
    line.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="budget_line_status",
        obj=line,
        region_code=line.region_id,
        changes={"status": [old, status]},
        note=note,
    )
    return line


@transaction.atomic
def refocusing_record(
    *,
    actor,
    amount,
    date: datetime.date,
    decree_reference: str,
    reason: str,
    from_line: BudgetLine | None = None,
    to_line: BudgetLine | None = None,
) -> Refocusing:
    """Move `amount` from one line to another (or cut it from / add it to one line).

    The money taken must be free: a line never gives away what is already committed.
    """
    amount = rupiah_amount(amount)
    if from_line is None and to_line is None:
        raise ValidationError(_("Choose the line the money leaves, the line it goes to, or both."))
    if from_line is not None and to_line is not None and from_line.pk == to_line.pk:
        raise ValidationError({"to_line": _("Money cannot be moved to the same line.")})
    if not decree_reference.strip():
        raise ValidationError({"decree_reference": _("Refocusing needs its decree reference.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the money was moved.")})
    locked = {}
    for line in sorted([x for x in (from_line, to_line) if x is not None], key=lambda x: x.pk):
        require(actor, Cap.MANAGE, line.region_id)
        locked[line.pk] = _lock(line.pk)
    source = locked.get(from_line.pk) if from_line else None
    target = locked.get(to_line.pk) if to_line else None
    for line in locked.values():
        if line.status in CLOSED:
            raise ValidationError(
                _("The line “%(line)s” is %(status)s; its money cannot be moved.")
                % {"line": line.description, "status": line.get_status_display()}
            )
    if source is not None:
        free = line_balance(source).remaining
        if amount > free:
            raise ValidationError(
                {
                    "amount": _(
                        "Only %(free)s of “%(line)s” is not yet committed; %(amount)s cannot "
                        "be moved out of it."
                    )
                    % {"free": rupiah(free), "line": source.description, "amount": rupiah(amount)}
                }
            )
    if target is not None and source is not None and target.fiscal_year != source.fiscal_year:
        raise ValidationError({"to_line": _("Refocusing moves money within one fiscal year.")})
    entry = Refocusing(
        from_line=source,
        to_line=target,
        amount=amount,
        date=date,
        decree_reference=decree_reference.strip(),
        reason=reason.strip(),
        actor=actor if getattr(actor, "pk", None) else None,
    )
    entry.full_clean()
    entry.save()
    for line, sign in ((source, -1), (target, 1)):
        if line is None:
            continue
        bump_version(line, line.version)
        old = line.ceiling
        line.ceiling = old + sign * amount
        line.save(update_fields=["ceiling", "updated_at"])
        audit(
            actor=actor,
            action="budget_refocusing",
            obj=line,
            region_code=line.region_id,
            changes={"ceiling": [old, line.ceiling]},
            note=f"{entry.decree_reference}: {entry.reason}"[:1000],
        )
    return entry


@transaction.atomic
def commitment_create(
    *,
    actor,
    line: BudgetLine,
    amount,
    description: str,
    committed_on: datetime.date,
    ref_app: str = "",
    ref_id: int | None = None,
) -> Commitment:
    """Promise money of an approved line to an activity; never above the remaining balance."""
    amount = rupiah_amount(amount)
    require(actor, Cap.MANAGE, line.region_id)
    line = _lock(line.pk)
    if line.status not in SPENDABLE:
        raise ValidationError(
            {
                "line": _(
                    "Money can be committed only from an approved line; “%(line)s” is %(status)s."
                )
                % {"line": line.description, "status": line.get_status_display()}
            }
        )
    remaining = line_balance(line).remaining
    if amount > remaining:
        raise ValidationError(
            {
                "amount": _(
                    "The commitment of %(amount)s is more than the remaining balance of "
                    "%(remaining)s on “%(line)s”."
                )
                % {
                    "amount": rupiah(amount),
                    "remaining": rupiah(remaining),
                    "line": line.description,
                }
            },
            code="over_commitment",
        )
    # Claim the line: a commitment made at the same moment from the same balance fails here.
    bump_version(line, line.version)
    commitment = Commitment(
        line=line,
        amount=amount,
        description=description,
        committed_on=committed_on,
        ref_app=ref_app,
        ref_id=ref_id,
    )
    commitment.full_clean()
    commitment.save()
    audit(
        actor=actor,
        action="budget_commitment_create",
        obj=commitment,
        region_code=line.region_id,
        changes={"amount": [None, amount], "line": [None, line.pk]},
    )
    return commitment


@transaction.atomic
def commitment_cancel(*, actor, commitment: Commitment, reason: str = "") -> Commitment:
    require(actor, Cap.MANAGE, commitment.line.region_id)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status == Commitment.Status.CANCELLED:
        return commitment
    if commitment.spends.exists():
        raise ValidationError(_("Money was already paid out against this commitment."))
    commitment.status = Commitment.Status.CANCELLED
    commitment.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        action="budget_commitment_cancel",
        obj=commitment,
        region_code=commitment.line.region_id,
        changes={"status": [Commitment.Status.ACTIVE, Commitment.Status.CANCELLED]},
        note=reason,
    )
    return commitment


@transaction.atomic
def spend_record(
    *,
    actor,
    commitment: Commitment,
    amount,
    spent_on: datetime.date,
    document_reference: str = "",
    description: str = "",
) -> Spend:
    """Record money paid out; the total paid never exceeds what was committed."""
    amount = rupiah_amount(amount)
    require(actor, Cap.MANAGE, commitment.line.region_id)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status != Commitment.Status.ACTIVE:
        raise ValidationError(_("This commitment was cancelled; nothing can be paid against it."))
    paid = sum(commitment.spends.values_list("amount", flat=True))
    if paid + amount > commitment.amount:
        raise ValidationError(
            {
                "amount": _(
                    "%(amount)s would bring the spending above the committed %(committed)s "
                    "(already paid: %(paid)s)."
                )
                % {
                    "amount": rupiah(amount),
                    "committed": rupiah(commitment.amount),
                    "paid": rupiah(paid),
                }
            }
        )
    spend = Spend(
        commitment=commitment,
        amount=amount,
        spent_on=spent_on,
        document_reference=document_reference,
        description=description,
    )
    spend.full_clean()
    spend.save()
    audit(
        actor=actor,
        action="budget_spend_record",
        obj=spend,
        region_code=commitment.line.region_id,
        changes={"amount": [None, amount], "commitment": [None, commitment.pk]},
    )
    return spend
