"""Business rules as plain functions (no database): months, deadlines, checks on a report, the
activity status and the health score. Every threshold is configurable in settings
(`KAWAL_BUSINESS`, a dict overriding DEFAULTS). All arithmetic is on whole Rupiah (int).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kawal.core.formats import MONTHS, angka, persen, rupiah

DEFAULTS = {
    "report_due_day": 10,  # the report of a month is due by this day of the next month
    "vacant_months": 2,  # an open outlet without verified revenue this long: vakum
    "growth_months": 3,  # revenue and members rising over this many months: berkembang
    "signboard_legal_months": 6,  # a legal entity older than this ...
    "signboard_report_months": 3,  # ... with no verified report for this long: signboard
    "jump_factor": 5,  # a figure more than this many times last month's is flagged
    "rat_due_months": 6,  # the RAT is due within this many months after the fiscal year
}


def config(key: str) -> int:
    return int(getattr(settings, "KAWAL_BUSINESS", {}).get(key, DEFAULTS[key]))


# --- months ------------------------------------------------------------------------------


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_label(month: datetime.date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def parse_month(text) -> datetime.date | None:
    """ "2026-03", "03/2026" or a date → the first of that month; None if unreadable."""
    if isinstance(text, datetime.datetime):
        return text.date().replace(day=1)
    if isinstance(text, datetime.date):
        return text.replace(day=1)
    text = str(text or "").strip()
    for fmt in ("%Y-%m", "%m/%Y", "%Y-%m-%d", "%m-%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date().replace(day=1)
        except ValueError:
            continue
    return None


def report_due(month: datetime.date) -> datetime.date:
    """The last day on which the report of `month` is on time."""
    return add_months(month, 1).replace(day=config("report_due_day"))


def last_due_month(today: datetime.date) -> datetime.date:
    """The latest month whose report is already due (late when missing) on `today`."""
    previous = add_months(first_of_month(today), -1)
    return previous if today > report_due(previous) else add_months(previous, -1)


def rat_due(fiscal_year: int) -> datetime.date:
    """By law within six months after the fiscal year (1 January–31 December) ends."""
    end = datetime.date(fiscal_year + 1, 1, 1)
    return add_months(end, config("rat_due_months")) - datetime.timedelta(days=1)


def rat_quorum(members_total: int) -> int:
    """More than half of the members: the smallest count that is more than half."""
    return members_total // 2 + 1


# --- checks on a report (flagged for the verifier, never refused) --------------------------


def jumped(current: int | None, previous: int | None) -> bool:
    """More than `jump_factor` times the previous month (integers only; 0 → anything is a
    jump only from a previous value above zero, so a first sale is not flagged)."""
    if current is None or not previous:
        return False
    return current > config("jump_factor") * previous


def report_flags(figures: dict, lines: list[dict], previous: dict | None) -> list[dict]:
    """Codes (with their numbers) of what the verifier should look at."""
    flags = []
    for line in lines:
        expected = line["revenue"] - line["cogs"] - line["operating_cost"]
        if line["profit"] != expected:
            flags.append(
                {
                    "code": "profit_mismatch",
                    "params": {
                        "outlet": line["label"],
                        "profit": line["profit"],
                        "expected": expected,
                    },
                }
            )
        if line["cogs"] > line["revenue"] and line["revenue"]:
            flags.append({"code": "cogs_above_revenue", "params": {"outlet": line["label"]}})
    joined, left, total = (
        figures.get("members_joined"),
        figures.get("members_left"),
        figures.get("members_total"),
    )
    if previous and None not in (joined, left, total, previous.get("members_total")):
        expected = previous["members_total"] + joined - left
        if total != expected:
            flags.append(
                {"code": "members_mismatch", "params": {"total": total, "expected": expected}}
            )
    arrears, loans = figures.get("loan_arrears"), figures.get("loan_balance")
    if arrears is not None and loans is not None and arrears > loans:
        flags.append({"code": "arrears_above_loans", "params": {}})
    if previous:
        revenue = sum(line["revenue"] for line in lines)
        if jumped(revenue, previous.get("revenue")):
            flags.append(
                {"code": "revenue_jump", "params": {"now": revenue, "before": previous["revenue"]}}
            )
        if jumped(total, previous.get("members_total")):
            flags.append(
                {
                    "code": "members_jump",
                    "params": {"now": total, "before": previous["members_total"]},
                }
            )
    return flags


def flag_text(flag: dict) -> str:
    p = flag.get("params", {})
    code = flag.get("code")
    if code == "profit_mismatch":
        return gettext(
            "%(outlet)s: profit or loss %(profit)s does not equal revenue minus costs "
            "(%(expected)s)."
        ) % {
            "outlet": p["outlet"],
            "profit": rupiah(p["profit"]),
            "expected": rupiah(p["expected"]),
        }
    if code == "cogs_above_revenue":
        return gettext("%(outlet)s: cost of goods is above revenue.") % {"outlet": p["outlet"]}
    if code == "members_mismatch":
        return gettext(
            "Total members %(total)s does not equal last month's total plus joined minus left "
            "(%(expected)s)."
        ) % {"total": angka(p["total"]), "expected": angka(p["expected"])}
    if code == "arrears_above_loans":
        return gettext("Loans in arrears are above the loans outstanding.")
    if code == "revenue_jump":
        return gettext("Revenue %(now)s is more than %(factor)s times last month's %(before)s.") % {
            "now": rupiah(p["now"]),
            "before": rupiah(p["before"]),
            "factor": config("jump_factor"),
        }
    if code == "members_jump":
        return gettext(
            "Total members %(now)s is more than %(factor)s times last month's %(before)s."
        ) % {"now": angka(p["now"]), "before": angka(p["before"]), "factor": config("jump_factor")}
    return str(code)


# --- activity status -----------------------------------------------------------------------

BELUM, VAKUM, BEROPERASI, BERKEMBANG = "belum", "vakum", "beroperasi", "berkembang"


@dataclass(frozen=True)
class MonthFacts:
    """What the status rule needs about one KMP, for the month and those before it (oldest
    first, the last entry being the month itself). None = no verified report that month."""

    open_outlets: int
    revenue: list  # verified revenue per month (int or None)
    members: list  # verified total members per month (int or None)


def activity_status(facts: MonthFacts) -> tuple[str, dict]:
    """(status, reason): the first rule that applies, in this order."""
    vacant = config("vacant_months")
    growth = config("growth_months")
    if facts.open_outlets == 0:
        return BELUM, {"rule": "no_open_outlet"}
    recent = facts.revenue[-vacant:]
    if len(recent) < vacant or not any(r for r in recent):
        return VAKUM, {"rule": "no_revenue", "months": vacant, "outlets": facts.open_outlets}
    revenue, members = facts.revenue[-growth:], facts.members[-growth:]
    if (
        len(revenue) == growth
        and None not in revenue
        and None not in members
        and all(a < b for a, b in zip(revenue, revenue[1:], strict=False))
        and all(a <= b for a, b in zip(members, members[1:], strict=False))
        and members[0] < members[-1]
    ):
        return BERKEMBANG, {
            "rule": "rising",
            "months": growth,
            "revenue_from": revenue[0],
            "revenue_to": revenue[-1],
            "members_from": members[0],
            "members_to": members[-1],
        }
    return BEROPERASI, {"rule": "revenue", "revenue": facts.revenue[-1]}


def explain(status: str, reason: dict) -> str:
    """The status in one sentence."""
    rule = reason.get("rule")
    if rule == "no_open_outlet":
        return gettext("No outlet of the cooperative is open.")
    if rule == "no_revenue":
        return gettext(
            "%(outlets)s outlet(s) open, but no verified revenue in the last %(months)s months."
        ) % {"outlets": reason["outlets"], "months": reason["months"]}
    if rule == "rising":
        return gettext(
            "Revenue rose every month for %(months)s months (%(a)s → %(b)s) and members grew "
            "from %(c)s to %(d)s."
        ) % {
            "months": reason["months"],
            "a": rupiah(reason["revenue_from"]),
            "b": rupiah(reason["revenue_to"]),
            "c": angka(reason["members_from"]),
            "d": angka(reason["members_to"]),
        }
    if rule == "revenue":
        if reason.get("revenue") is None:
            return gettext(
                "Verified revenue in the last months, but no verified report for this month yet."
            )
        return gettext("Verified revenue this month: %(revenue)s, not rising for long enough.") % {
            "revenue": rupiah(reason["revenue"])
        }
    return ""


STATUS_TONES = {BELUM: "muted", VAKUM: "bad", BEROPERASI: "info", BERKEMBANG: "ok"}


def signboard_reason(*, open_outlets: int, last_verified: datetime.date | None, months: int):
    if open_outlets == 0:
        return gettext("no outlet is open")
    if last_verified is None:
        return gettext("no verified report ever")
    return gettext("no verified report since %(month)s (%(n)s months)") % {
        "month": month_label(last_verified),
        "n": months,
    }


# --- health score (a local instrument) -----------------------------------------------------

INSTRUMENT_VERSION = 1
INSTRUMENT_TITLE = _("KMP health score of the Dinas (local instrument, version 1)")
INSTRUMENT_NOTE = _(
    "A local instrument of the Dinas, in the spirit of the four aspects of the ministry's health "
    "assessment (governance, risk profile, financial performance, capital), fitted to new KMP. "
    "It is not the official assessment. Items without data are left out, never scored 0."
)


@dataclass(frozen=True)
class Item:
    code: str
    aspect: str
    label: str
    rule: str
    points: int


ASPECTS = {
    "governance": _("governance"),
    "risk": _("risk profile"),
    "performance": _("financial performance"),
    "capital": _("capital"),
}
ITEMS = (
    Item("rat_on_time", "governance", _("RAT on time"), _("last fiscal year's RAT held by its due date: full; held late: half; due and not held: 0"), 10),
    Item("board_complete", "governance", _("board complete"), _("ketua, sekretaris and bendahara active: full; otherwise 0"), 10),
    Item("reports_on_time", "governance", _("reports on time"), _("reports of the last 3 due months submitted on time: points × share"), 15),
    Item("arrears", "risk", _("loan arrears"), _("arrears ≤ 5% of loans: full; ≤ 10%: half; above: 0"), 10),
    Item("revenue_trend", "performance", _("revenue trend"), _("verified revenue of the last 3 months rising: full; flat or mixed: half; falling: 0"), 15),
    Item("margin", "performance", _("margin"), _("profit ≥ 5% of revenue: full; above 0: half; loss: 0"), 15),
    Item("savings_growth", "capital", _("savings growth"), _("members' savings higher than 3 months before: full; equal: half; lower: 0"), 10),
    Item("member_coverage", "capital", _("member coverage"), _("members ≥ 30% of village households: full; ≥ 10%: half; below: 0"), 15),
)  # fmt: skip
ITEM_BY_CODE = {i.code: i for i in ITEMS}
MIN_ITEMS_FOR_SCORE = 3


def _half(points: int) -> int:
    return points // 2


def score_items(facts: dict) -> list[dict]:
    """Each item: {code, value (for display), points (earned, or None = no data), max}.

    `facts`: rat ("on_time"/"late"/"missing"/None), board_complete (bool/None), on_time (count,
    due) or None, arrears/loans (int/None), revenue (list of 3 verified revenues, oldest first,
    None when missing), profit/revenue_month (int/None), savings_now/savings_before (int/None),
    members/households (int/None).
    """
    out = []

    def add(code, value, earned):
        out.append(
            {"code": code, "value": value, "points": earned, "max": ITEM_BY_CODE[code].points}
        )

    full = {i.code: i.points for i in ITEMS}
    rat = facts.get("rat")
    add(
        "rat_on_time",
        rat,
        None
        if rat is None
        else {"on_time": full["rat_on_time"], "late": _half(full["rat_on_time"])}.get(rat, 0),
    )
    board = facts.get("board_complete")
    add(
        "board_complete", board, None if board is None else (full["board_complete"] if board else 0)
    )
    on_time = facts.get("on_time")
    if on_time and on_time[1]:
        count, due = on_time
        add("reports_on_time", [count, due], full["reports_on_time"] * count // due)
    else:
        add("reports_on_time", None, None)
    loans, arrears = facts.get("loans"), facts.get("arrears")
    if loans and arrears is not None:
        # ≤ 5%: arrears * 100 ≤ 5 * loans, in integers
        earned = (
            full["arrears"]
            if arrears * 100 <= 5 * loans
            else _half(full["arrears"])
            if arrears * 100 <= 10 * loans
            else 0
        )
        add("arrears", [arrears, loans], earned)
    else:
        add("arrears", None, None)
    revenue = facts.get("revenue") or []
    if len(revenue) == 3 and None not in revenue:
        a, b, c = revenue
        earned = (
            full["revenue_trend"] if a < b < c else 0 if a > b > c else _half(full["revenue_trend"])
        )
        add("revenue_trend", revenue, earned)
    else:
        add("revenue_trend", None, None)
    profit, sales = facts.get("profit"), facts.get("revenue_month")
    if profit is not None and sales:
        earned = (
            full["margin"]
            if profit * 100 >= 5 * sales
            else _half(full["margin"])
            if profit > 0
            else 0
        )
        add("margin", [profit, sales], earned)
    else:
        add("margin", None, None)
    now, before = facts.get("savings_now"), facts.get("savings_before")
    if now is not None and before is not None:
        earned = (
            full["savings_growth"]
            if now > before
            else _half(full["savings_growth"])
            if now == before
            else 0
        )
        add("savings_growth", [before, now], earned)
    else:
        add("savings_growth", None, None)
    members, households = facts.get("members"), facts.get("households")
    if members is not None and households:
        earned = (
            full["member_coverage"]
            if members * 100 >= 30 * households
            else _half(full["member_coverage"])
            if members * 100 >= 10 * households
            else 0
        )
        add("member_coverage", [members, households], earned)
    else:
        add("member_coverage", None, None)
    return out


def total_score(items: list[dict]) -> int | None:
    """0–100 over the items that have data (half rounded up), or None with too few items."""
    scored = [i for i in items if i["points"] is not None]
    if len(scored) < MIN_ITEMS_FOR_SCORE:
        return None
    earned = sum(i["points"] for i in scored)
    possible = sum(i["max"] for i in scored)
    return (200 * earned + possible) // (2 * possible)


def item_value_text(item: dict) -> str:
    """The value an item was scored on, for display."""
    v = item["value"]
    code = item["code"]
    if v is None:
        return gettext("no data")
    if code == "rat_on_time":
        return {
            "on_time": gettext("held on time"),
            "late": gettext("held late"),
            "missing": gettext("due, not held"),
        }[v]
    if code == "board_complete":
        return gettext("complete") if v else gettext("incomplete")
    if code == "reports_on_time":
        return gettext("%(n)s of %(due)s") % {"n": v[0], "due": v[1]}
    if code in ("arrears", "margin", "member_coverage"):
        a, b = v
        return f"{persen(100 * a / b, 1)} ({angka(a) if code == 'member_coverage' else rupiah(a)} / {angka(b) if code == 'member_coverage' else rupiah(b)})"
    if code == "revenue_trend":
        return " → ".join(rupiah(x) for x in v)
    if code == "savings_growth":
        return f"{rupiah(v[0])} → {rupiah(v[1])}"
    return str(v)


# The events app's `Event.subject_type` of a RAT's attendance list (services.rat_event_open).
RAT_SUBJECT = "business.rat"
