"""Budget reads, always from the user's scope. Other apps (training, events, notary fees) read
lines and balances through here."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce

from kawal.budget.models import BudgetLine, Commitment, Refocusing, Spend
from kawal.core.scope import Cap, get_scoped_or_404, scoped

WAITING = (
    BudgetLine.Status.USULAN,
    BudgetLine.Status.MENUNGGU,
    BudgetLine.Status.REFOCUSING,
)
ACTIVE = Commitment.Status.ACTIVE


@dataclass(frozen=True)
class Balance:
    ceiling: int
    committed: int
    spent: int

    @property
    def remaining(self) -> int:
        """What can still be committed: the ceiling less the active commitments."""
        return self.ceiling - self.committed

    @property
    def unspent_commitments(self) -> int:
        return self.committed - self.spent

    @property
    def spent_pct(self) -> int:
        return self.spent * 100 // self.ceiling if self.ceiling else 0

    @property
    def committed_pct(self) -> int:
        return self.committed * 100 // self.ceiling if self.ceiling else 0


def _committed_sum():
    return Coalesce(Sum("commitments__amount", filter=Q(commitments__status=ACTIVE)), Value(0))


def line_balance(line: BudgetLine) -> Balance:
    """The balance of one line (two queries, exact integers)."""
    committed = Commitment.objects.filter(line=line, status=ACTIVE).aggregate(
        n=Coalesce(Sum("amount"), Value(0))
    )["n"]
    spent = Spend.objects.filter(commitment__line=line, commitment__status=ACTIVE).aggregate(
        n=Coalesce(Sum("amount"), Value(0))
    )["n"]
    return Balance(int(line.ceiling), int(committed), int(spent))


def line_list(*, user, year: int | None = None, status: str = "", purpose: str = "", q: str = ""):
    lines = scoped(
        BudgetLine.objects.select_related("region"),
        user,
        Cap.VIEW,
        path="region",
    )
    if year:
        lines = lines.filter(fiscal_year=year)
    if status in BudgetLine.Status.values:
        lines = lines.filter(status=status)
    if purpose:
        lines = lines.filter(purpose=purpose)
    if q:
        lines = lines.filter(
            Q(description__icontains=q)
            | Q(account_code__startswith=q)
            | Q(kegiatan__icontains=q)
            | Q(sub_kegiatan__icontains=q)
        )
    return lines


def attach_balances(lines) -> list[BudgetLine]:
    """Set `.balance` on each line of a page: two grouped queries for any number of lines."""
    lines = list(lines)
    ids = [line.pk for line in lines]
    committed = dict(
        Commitment.objects.filter(line_id__in=ids, status=ACTIVE)
        .values_list("line_id")
        .annotate(n=Sum("amount"))
    )
    spent = dict(
        Spend.objects.filter(commitment__line_id__in=ids, commitment__status=ACTIVE)
        .values_list("commitment__line_id")
        .annotate(n=Sum("amount"))
    )
    for line in lines:
        line.balance = Balance(
            int(line.ceiling), int(committed.get(line.pk, 0)), int(spent.get(line.pk, 0))
        )
    return lines


def overview(*, user, year: int | None = None) -> dict:
    """Totals of the lines in scope: available (approved), committed, spent, waiting."""
    lines = line_list(user=user, year=year)
    approved_q = Q(status__in=(BudgetLine.Status.DISETUJUI, BudgetLine.Status.TEREALISASI))
    totals = lines.aggregate(
        lines=Count("pk"),
        approved=Coalesce(Sum("ceiling", filter=approved_q), Value(0)),
        waiting=Coalesce(Sum("ceiling", filter=Q(status__in=WAITING)), Value(0)),
        waiting_lines=Count("pk", filter=Q(status__in=WAITING)),
    )
    commitments = Commitment.objects.filter(line__in=lines.values("pk"), status=ACTIVE)
    committed = commitments.aggregate(n=Coalesce(Sum("amount"), Value(0)))["n"]
    spent = Spend.objects.filter(commitment__in=commitments.values("pk")).aggregate(
        n=Coalesce(Sum("amount"), Value(0))
    )["n"]
    totals = {k: int(v) for k, v in totals.items()}
    totals["committed"] = int(committed)
    totals["spent"] = int(spent)
    totals["available"] = totals["approved"] - totals["committed"]
    return totals


def fiscal_years(*, user) -> list[int]:
    return list(
        line_list(user=user)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


def line_get(*, user, pk: int, cap: str = Cap.VIEW) -> BudgetLine:
    line = get_scoped_or_404(
        BudgetLine.objects.select_related("region"),
        user,
        cap=cap,
        path="region",
        pk=pk,
    )
    line.balance = line_balance(line)
    return line


def line_commitments(*, line: BudgetLine):
    return line.commitments.annotate(paid=Coalesce(Sum("spends__amount"), Value(0))).order_by(
        "-committed_on", "-id"
    )


def line_spends(*, line: BudgetLine):
    return Spend.objects.filter(commitment__line=line).select_related("commitment")


def line_refocusing(*, line: BudgetLine):
    return (
        Refocusing.objects.filter(Q(from_line=line) | Q(to_line=line))
        .select_related("from_line", "to_line", "actor")
        .order_by("-date", "-id")
    )


def refocusing_list(*, user, year: int | None = None):
    lines = line_list(user=user, year=year).values("pk")
    return (
        Refocusing.objects.filter(Q(from_line__in=lines) | Q(to_line__in=lines))
        .select_related("from_line", "to_line")
        .order_by("-date", "-id")
    )


def commitment_get(*, user, pk: int, cap: str = Cap.VIEW) -> Commitment:
    return get_scoped_or_404(
        Commitment.objects.select_related("line"), user, cap=cap, path="line__region", pk=pk
    )


def spendable_lines(*, user, purpose: str = ""):
    """Approved lines the user may commit money from (for other apps' forms)."""
    lines = scoped(BudgetLine.objects.all(), user, Cap.MANAGE, path="region").filter(
        status=BudgetLine.Status.DISETUJUI
    )
    if purpose:
        lines = lines.filter(purpose=purpose)
    return lines.order_by("-fiscal_year", "account_code")


def lines_by_id(ids) -> dict[int, BudgetLine]:
    """Lines by id with their balance (other apps show the line their records point to)."""
    return {line.pk: line for line in attach_balances(BudgetLine.objects.filter(pk__in=list(ids)))}


def commitments_for(*, ref_app: str, ref_ids) -> dict[int, Commitment]:
    """ref_id → its active commitment (training batches, events)."""
    rows = Commitment.objects.filter(ref_app=ref_app, ref_id__in=list(ref_ids), status=ACTIVE)
    return {c.ref_id: c for c in rows.annotate(paid=Coalesce(Sum("spends__amount"), Value(0)))}
