"""Formation reads: timelines, the progress matrix, stuck and overdue steps, notaries, reminders.

"Overdue" (a target passed and the step not done) and "stuck" (an open step with no movement
for N days) are computed here from the records and targets, never stored.
"""

import datetime
import statistics
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from kawal.cooperatives.models import Cooperative, Officer
from kawal.core.codes import ANCESTOR_FIELD
from kawal.core.scope import Cap, can, get_scoped_or_404, granted_regions, is_board_only, scoped
from kawal.formation import steps as pipeline
from kawal.formation.models import Notary, Reminder, StepDocument, StepRecord, StepTarget
from kawal.regions.models import Region

Status = StepRecord.Status
OPEN = (Status.PROSES, Status.BERMASALAH)
REMIND_DAYS = 7
# Region polygons are large; rows that show a village never need them.


def stuck_days() -> int:
    """N: an open step with no movement for N days is "stuck" (KAWAL_STUCK_DAYS, default 14)."""
    return int(getattr(settings, "KAWAL_STUCK_DAYS", 14))


def today() -> datetime.date:
    return timezone.localdate()


def targets() -> dict[tuple[str, str], datetime.date]:
    return {(t.scheme, t.step): t.due_date for t in StepTarget.objects.all()}


def target_rows() -> list[dict]:
    """Every step of every scheme with its target (for the target page)."""
    current = targets()
    return [
        {
            "scheme": scheme,
            "step": step,
            "due_date": current.get((scheme, step.code)),
        }
        for scheme, steps in pipeline.STEPS_BY_SCHEME.items()
        for step in steps
    ]


# --- Filters on cooperatives (registered on the cooperative list) ---------------------------


def overdue_q(*, on: datetime.date | None = None) -> Q:
    """Cooperatives with at least one step whose target has passed and that is not done."""
    on = on or today()
    q = Q(pk__in=[])
    for (scheme, step), due in targets().items():
        if due < on:
            done = StepRecord.objects.filter(
                cooperative=OuterRef("pk"), step=step, status=Status.SELESAI
            )
            q |= Q(scheme=scheme) & ~Exists(done)
    return q


def stuck_records(*, user):
    """Open steps (in process or with a problem) that have not moved for N days."""
    limit = timezone.now() - datetime.timedelta(days=stuck_days())
    return scoped(
        StepRecord.objects.filter(status__in=OPEN, moved_at__lt=limit),
        user,
        Cap.VIEW,
        path="cooperative__village",
    )


def stuck_q() -> Q:
    """Cooperatives with an open step that has not moved for N days. Uncorrelated IN sets like
    this one are built once per query, not probed per cooperative (docs/performance.md)."""
    limit = timezone.now() - datetime.timedelta(days=stuck_days())
    return Q(
        pk__in=StepRecord.objects.filter(status__in=OPEN, moved_at__lt=limit).values(
            "cooperative_id"
        )
    )


def steps_done(codes_by_scheme: dict):
    """Completed records of the step each scheme names ({scheme: step code})."""
    which = Q(pk__in=[])
    for scheme, code in codes_by_scheme.items():
        which |= Q(step=code, cooperative__scheme=scheme)
    return StepRecord.objects.filter(which, status=Status.SELESAI)


def step_status_q(step: str, status: str) -> Q:
    """Cooperatives whose record of `step` has `status` ("belum" includes no record at all)."""
    if status == Status.BELUM:
        started = StepRecord.objects.filter(cooperative=OuterRef("pk"), step=step).exclude(
            status=Status.BELUM
        )
        return ~Q(Exists(started))
    return Q(
        Exists(StepRecord.objects.filter(cooperative=OuterRef("pk"), step=step, status=status))
    )


# --- One cooperative -----------------------------------------------------------------------


@dataclass
class TimelineItem:
    step: pipeline.Step
    record: StepRecord | None
    due_date: datetime.date | None
    documents: list

    @property
    def status(self) -> str:
        return self.record.status if self.record else Status.BELUM

    @property
    def is_done(self) -> bool:
        return self.status == Status.SELESAI

    @property
    def overdue_days(self) -> int | None:
        if self.is_done or self.due_date is None or self.due_date >= today():
            return None
        return (today() - self.due_date).days

    @property
    def stuck_for(self) -> int | None:
        if self.status not in OPEN or not self.record.moved_at:
            return None
        days = (timezone.now() - self.record.moved_at).days
        return days if days >= stuck_days() else None

    @property
    def blocked_by(self) -> list:
        return []


def timeline(*, cooperative, user=None) -> list[TimelineItem]:
    """The steps of the cooperative's scheme with their records, targets and documents."""
    records = {
        r.step: r
        for r in StepRecord.objects.filter(cooperative=cooperative).select_related("notary")
    }
    documents: dict[int, list] = {}
    for doc in StepDocument.objects.filter(record__cooperative=cooperative).select_related(
        "uploaded_by", "verified_by", "claimed_notary"
    ):
        documents.setdefault(doc.record_id, []).append(doc)
    due = {t.step: t.due_date for t in StepTarget.objects.filter(scheme=cooperative.scheme)}
    items = []
    for step in pipeline.steps_for(cooperative.scheme):
        record = records.get(step.code)
        items.append(
            TimelineItem(
                step=step,
                record=record,
                due_date=due.get(step.code),
                documents=documents.get(record.pk, []) if record else [],
            )
        )
    return items


def current_step(items: list[TimelineItem]) -> TimelineItem | None:
    """The first step of the scheme that is not done (None: all done)."""
    return next((item for item in items if not item.is_done), None)


def record_get(*, user, cooperative, step: str) -> StepRecord | None:
    return StepRecord.objects.filter(cooperative=cooperative, step=step).first()


def document_get(*, user, pk: int, cap: str = Cap.VIEW) -> StepDocument:
    return get_scoped_or_404(
        StepDocument.objects.select_related("record", "record__cooperative"),
        user,
        cap=cap,
        path="record__cooperative__village",
        pk=pk,
    )


def documents_to_verify(*, user):
    return scoped(
        StepDocument.objects.filter(status=StepDocument.Status.SUBMITTED),
        user,
        Cap.VERIFY,
        path="record__cooperative__village",
    ).select_related("record", "record__cooperative", "uploaded_by", "claimed_notary")


def stage_for_rows(*, rows) -> None:
    """Set `.stage` on cooperatives (one query for all): the current step is the first open one
    (in process or with a problem), else the step after the last one done; `stuck` when any
    open step has not moved for N days."""
    rows = list(rows)
    records: dict[int, dict] = {r.pk: {} for r in rows}
    for record in StepRecord.objects.filter(cooperative__in=rows).only(
        "cooperative_id", "step", "status", "moved_at", "document_number", "completed_on"
    ):
        records[record.cooperative_id][record.step] = record
    now = timezone.now()
    limit = datetime.timedelta(days=stuck_days())
    for row in rows:
        mine = records[row.pk]
        steps = pipeline.steps_for(row.scheme)
        open_steps = [s for s in steps if mine.get(s.code) and mine[s.code].status in OPEN]
        if open_steps:
            current = open_steps[0]
        else:
            done = [
                i
                for i, s in enumerate(steps)
                if s.code in mine and mine[s.code].status == Status.SELESAI
            ]
            after = done[-1] + 1 if done else 0
            current = steps[after] if after < len(steps) else None
        legal = mine.get(pipeline.LEGAL_ENTITY_STEP[row.scheme])
        row.steps_by_code = mine
        row.has_legal_entity = bool(legal and legal.status == Status.SELESAI)
        stuck = any(
            r.status in OPEN and r.moved_at and now - r.moved_at > limit for r in mine.values()
        )
        if current is None:
            row.stage = {
                "label": gettext("All steps done"),
                "status": Status.SELESAI,
                "stuck": stuck,
            }
        else:
            record = mine.get(current.code)
            status = record.status if record else Status.BELUM
            row.stage = {
                "label": current.label,
                "code": current.code,
                "status": status,
                "stuck": stuck,
            }


# --- The progress matrix -------------------------------------------------------------------


def matrix_root(*, user, code: str = "") -> Region | None:
    """The region whose children are the matrix rows: the asked one, or the user's top region."""
    regions = Region.objects
    if code:
        return get_scoped_or_404(regions, user, cap=Cap.VIEW, path="", code=code)
    codes = set(granted_regions(user, Cap.VIEW))
    if None in codes:
        home = regions.filter(code=settings.KAWAL_HOME_REGION).first()
        return home
    tops = sorted(c for c in codes if not any(c != o and c.startswith(o + ".") for o in codes))
    return regions.filter(code=tops[0]).first() if tops else None


MATRIX_STEPS = tuple(s.code for s in pipeline.steps_for("pendirian_baru"))


def progress_matrix(*, user, root: Region) -> dict:
    """Counts of cooperatives with each step done, per child region of `root` (3 queries).

    Below a kecamatan the rows are the cooperatives themselves, with each step's status.
    """
    if root.level >= 3:
        return _village_matrix(user=user, root=root)
    child_field = ANCESTOR_FIELD[root.level + 1]
    scope_field = ANCESTOR_FIELD[root.level]
    cooperatives = scoped(Cooperative.objects.all(), user).filter(
        **{f"village__{scope_field}": root.code}
    )
    totals = dict(
        cooperatives.values_list(f"village__{child_field}")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(f"village__{child_field}", "n")
    )
    done: dict[str, dict[str, int]] = {}
    for row in (
        StepRecord.objects.filter(cooperative__in=cooperatives.values("pk"), status=Status.SELESAI)
        .values(f"cooperative__village__{child_field}", "step")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        done.setdefault(row[f"cooperative__village__{child_field}"], {})[row["step"]] = row["n"]
    children = (
        scoped(Region.objects.filter(parent_id=root.code, is_active=True), user, Cap.VIEW, path="")
        .only("code", "name", "kind")
        .order_by("name")
    )
    rows = []
    for child in children:
        total = totals.get(child.code, 0)
        counts = done.get(child.code, {})
        cells = [
            {
                "step": code,
                "n": counts.get(code, 0),
                "pct": 100 * counts.get(code, 0) / total if total else 0,
            }
            for code in MATRIX_STEPS
        ]
        rows.append({"region": child, "total": total, "cells": cells})
    grand = sum(totals.values())
    footer = [
        {
            "step": code,
            "n": sum(d.get(code, 0) for d in done.values()),
        }
        for code in MATRIX_STEPS
    ]
    for cell in footer:
        cell["pct"] = 100 * cell["n"] / grand if grand else 0
    return {
        "level": "regions",
        "rows": rows,
        "total": grand,
        "footer": footer,
        "steps": [(code, pipeline.SHORT_LABELS[code]) for code in MATRIX_STEPS],
    }


def _village_matrix(*, user, root: Region) -> dict:
    cooperatives = list(
        scoped(Cooperative.objects.select_related("village"), user)
        .filter(village__district_code=root.code if root.level == 3 else root.district_code)
        .order_by("village__name")
    )
    status: dict[int, dict] = {c.pk: {} for c in cooperatives}
    for record in StepRecord.objects.filter(cooperative__in=cooperatives).only(
        "cooperative_id", "step", "status"
    ):
        status[record.cooperative_id][record.step] = record.status
    labels = dict(Status.choices)
    rows = [
        {
            "cooperative": c,
            # A cell opens the step's form only for those who may change it; others read the
            # step on the cooperative's page.
            "may_edit": can(user, Cap.EDIT, c.village_id),
            "cells": [
                {
                    "step": code,
                    "status": status[c.pk].get(code, "belum"),
                    "label": labels.get(status[c.pk].get(code, "belum"), ""),
                }
                for code in MATRIX_STEPS
            ],
        }
        for c in cooperatives
    ]
    footer = [
        {"step": code, "n": sum(1 for c in cooperatives if status[c.pk].get(code) == "selesai")}
        for code in MATRIX_STEPS
    ]
    for cell in footer:
        cell["pct"] = 100 * cell["n"] / len(cooperatives) if cooperatives else 0
    return {
        "level": "cooperatives",
        "rows": rows,
        "total": len(cooperatives),
        "footer": footer,
        "steps": [(code, pipeline.SHORT_LABELS[code]) for code in MATRIX_STEPS],
    }


def legal_entity_summary(*, user) -> dict:
    """The regency's weekly question: how many have the legal entity, and how many are stuck.

    One query: each cooperative is counted once, by whether its scheme's legal-entity step is
    done and whether any open step has not moved for N days (stuck_q).
    """
    has_legal = Q(pk__in=steps_done(pipeline.LEGAL_ENTITY_STEP).values("cooperative_id"))
    counts = scoped(Cooperative.objects.all(), user).aggregate(
        total=Count("pk"),
        legal=Count("pk", filter=has_legal),
        stuck=Count("pk", filter=stuck_q()),
    )
    return {**counts, "without": counts["total"] - counts["legal"]}


# --- Stuck list ----------------------------------------------------------------------------


def stuck_list(*, user, kecamatan: str = ""):
    """One row per stuck cooperative: its step that has not moved the longest, with the number
    of its stuck steps (`stuck_steps`); longest first. One row per cooperative, so the list
    counts what the "stuck" card of `legal_entity_summary` counts."""
    limit = timezone.now() - datetime.timedelta(days=stuck_days())
    same_cooperative = StepRecord.objects.filter(
        cooperative=OuterRef("cooperative"), status__in=OPEN, moved_at__lt=limit
    )
    records = (
        stuck_records(user=user)
        .filter(pk=Subquery(same_cooperative.order_by("moved_at", "pk").values("pk")[:1]))
        .annotate(
            stuck_steps=Subquery(
                same_cooperative.order_by()
                .values("cooperative")
                .annotate(n=Count("pk"))
                .values("n")
            )
        )
        .select_related("cooperative", "cooperative__village", "cooperative__village__parent")
    )
    if kecamatan:
        records = records.filter(cooperative__village__district_code=kecamatan)
    return records.order_by("moved_at", "cooperative__village_id")


def with_days_stuck(records) -> list:
    now = timezone.now()
    for record in records:
        record.days_stuck = (now - record.moved_at).days
        record.step_label = pipeline.step_for(record.cooperative.scheme, record.step).label
    return records


# --- Notaries ------------------------------------------------------------------------------


def notary_list(*, user, q: str = ""):
    notaries = Notary.objects.all()
    if q:
        notaries = notaries.filter(Q(name__icontains=q) | Q(seat__icontains=q))
    return notaries


def notary_get(*, user, pk: int) -> Notary:
    try:
        return Notary.objects.get(pk=pk)
    except (Notary.DoesNotExist, ValueError):
        from django.http import Http404

        raise Http404 from None


def notary_workload(*, user, notaries) -> None:
    """Set `.deeds`, `.open_deeds` and `.median_days` (rapat pendirian → SK AHU) on notaries,
    counted over the cooperatives inside the user's scope (two queries)."""
    notaries = list(notaries)
    by_pk = {n.pk: n for n in notaries}
    for n in notaries:
        n.deeds, n.open_deeds, n.median_days, n._days = 0, 0, None, []
    deeds = scoped(
        StepRecord.objects.filter(step__in=("akta", "akta_perubahan"), notary__in=notaries),
        user,
        Cap.VIEW,
        path="cooperative__village",
    )
    coop_notary = {}
    for cooperative_id, notary_id, status in deeds.values_list(
        "cooperative_id", "notary_id", "status"
    ):
        notary = by_pk[notary_id]
        notary.deeds += 1
        if status != Status.SELESAI:
            notary.open_deeds += 1
        coop_notary[cooperative_id] = notary
    if not coop_notary:
        return
    dates: dict[int, dict] = {}
    for cooperative_id, step, completed in StepRecord.objects.filter(
        cooperative_id__in=list(coop_notary),
        step__in=("rapat_pendirian", "sk_ahu"),
        status=Status.SELESAI,
    ).values_list("cooperative_id", "step", "completed_on"):
        dates.setdefault(cooperative_id, {})[step] = completed
    for cooperative_id, pair in dates.items():
        if pair.get("rapat_pendirian") and pair.get("sk_ahu"):
            coop_notary[cooperative_id]._days.append(
                (pair["sk_ahu"] - pair["rapat_pendirian"]).days
            )
    for n in notaries:
        if n._days:
            n.median_days = statistics.median(n._days)


PICKER_LIMIT = 20


def notary_search(*, user, q: str, province_code: str = "", limit: int = PICKER_LIMIT):
    """Active notaries whose name or seat contains `q`, in a province if given; at most
    `limit` (the picker never lists the national register)."""
    notaries = Notary.objects.filter(is_active=True)
    if province_code:
        notaries = notaries.filter(province_code=province_code)
    for word in q.split()[:5]:
        notaries = notaries.filter(Q(name__icontains=word) | Q(seat__icontains=word))
    return list(notaries.only("pk", "name", "seat").order_by("name", "pk")[:limit])


def notary_choices():
    return Notary.objects.filter(is_active=True).only("pk", "name", "seat")


# --- Reminders -----------------------------------------------------------------------------


def due_steps(*, cooperatives, on: datetime.date, days: int = REMIND_DAYS) -> list[tuple]:
    """(cooperative_id, step, due_date) of steps not done whose target is within `days` of `on`
    or already passed. Queries: one for the targets, one per target step."""
    horizon = on + datetime.timedelta(days=days)
    found = []
    for target in StepTarget.objects.filter(due_date__lte=horizon):
        done = StepRecord.objects.filter(
            cooperative=OuterRef("pk"), step=target.step, status=Status.SELESAI
        )
        for pk in (
            cooperatives.filter(scheme=target.scheme)
            .filter(~Exists(done))
            .values_list("pk", flat=True)
        ):
            found.append((pk, target.step, target.due_date))
    return found


def reminder_latest_run(*, user) -> datetime.date | None:
    reminders = scoped(Reminder.objects.all(), user, Cap.VIEW, path="cooperative__village")
    return reminders.order_by("-run_on").values_list("run_on", flat=True).first()


def reminder_list(*, user, run_on: datetime.date | None = None, kecamatan: str = ""):
    run_on = run_on or reminder_latest_run(user=user)
    if run_on is None:
        return Reminder.objects.none()
    reminders = scoped(Reminder.objects.all(), user, Cap.VIEW, path="cooperative__village")
    reminders = reminders.filter(run_on=run_on).select_related(
        "cooperative", "cooperative__village", "cooperative__village__parent"
    )
    if kecamatan:
        reminders = reminders.filter(cooperative__village__district_code=kecamatan)
    return reminders.order_by("due_date", "cooperative__village_id", "step")


def reminder_per_kecamatan(*, user, run_on) -> list[dict]:
    """Per camat: how many steps are overdue and due soon in each kecamatan (one query)."""
    if run_on is None:
        return []
    reminders = scoped(Reminder.objects.all(), user, Cap.VIEW, path="cooperative__village")
    rows = (
        reminders.filter(run_on=run_on)
        .values("cooperative__village__district_code", "cooperative__village__parent__name")
        .annotate(
            overdue=Count("pk", filter=Q(due_date__lt=run_on)),
            soon=Count("pk", filter=Q(due_date__gte=run_on)),
            cooperatives=Count("cooperative", distinct=True),
        )
        .order_by("-overdue", "cooperative__village__parent__name")
    )
    return [
        {
            "code": r["cooperative__village__district_code"],
            "name": r["cooperative__village__parent__name"],
            "overdue": r["overdue"],
            "soon": r["soon"],
            "cooperatives": r["cooperatives"],
        }
        for r in rows
    ]


def ketua_phones(*, cooperative_ids) -> dict[int, str]:
    """The phone of each cooperative's active ketua (one query)."""
    return dict(
        Officer.objects.filter(
            cooperative_id__in=set(cooperative_ids),
            body=Officer.Body.PENGURUS,
            position=Officer.Position.KETUA,
            is_active=True,
        )
        .exclude(phone="")
        .values_list("cooperative_id", "phone")
    )


def whatsapp_link(*, phone: str, cooperative, step_label, due_date, on) -> str:
    """A wa.me link with a prepared Indonesian message for the ketua."""
    from kawal.core.formats import tanggal

    if due_date < on:
        when = gettext("the target was %(date)s (%(days)s days ago)") % {
            "date": tanggal(due_date),
            "days": (on - due_date).days,
        }
    else:
        when = gettext("the target is %(date)s") % {"date": tanggal(due_date)}
    text = gettext(
        "Dear Ketua of %(cooperative)s, the step “%(step)s” is not complete yet; %(when)s. "
        "Please complete it and update the data in Kawal Kopdes, or contact the Dinas Koperasi "
        "if you need help. Thank you."
    ) % {"cooperative": cooperative.name, "step": step_label, "when": when}
    digits = phone.lstrip("+")
    return f"https://wa.me/{digits}?text={quote(text)}"


def reminder_rows(*, reminders, on, user) -> list:
    """Reminders with their step label, days late and WhatsApp link (one more query).

    The link carries the ketua's full phone number, so it is built only for the people who act
    on the reminder: those who may edit the cooperative's village (Cap.EDIT). Readers (pimpinan,
    auditor, satgas) get no link and the number is not even read for them."""
    reminders = list(reminders)
    # A cooperative's own board is never handed a reminder addressed to its own ketua.
    board = is_board_only(user)
    for r in reminders:
        r.can_contact = not board and can(user, Cap.EDIT, r.cooperative.village_id)
    phones = ketua_phones(cooperative_ids=[r.cooperative_id for r in reminders if r.can_contact])
    for r in reminders:
        r.step_label = pipeline.step_for(r.cooperative.scheme, r.step).label
        r.days_late = (on - r.due_date).days
        r.days_left = -r.days_late
        phone = phones.get(r.cooperative_id) if r.can_contact else None
        r.whatsapp = (
            whatsapp_link(
                phone=phone,
                cooperative=r.cooperative,
                step_label=r.step_label,
                due_date=r.due_date,
                on=on,
            )
            if phone
            else ""
        )
    return reminders


def legal_entity_done(*, on_or_before=None):
    """Ids of the cooperatives whose legal-entity step is complete (on or before a day), as a
    set for `pk__in=` (built once per query, where `legal_entity_on()` runs per cooperative)."""
    records = steps_done(pipeline.LEGAL_ENTITY_STEP)
    if on_or_before:
        records = records.filter(completed_on__lte=on_or_before)
    return records.values("cooperative_id")


def legal_entity_on():
    """A subquery for Cooperative querysets: the day the legal-entity step of the cooperative's
    scheme was completed (None while it is not). Used as `.annotate(legal_on=legal_entity_on())`.
    """
    from django.db.models import Subquery

    legal_q = Q(pk__in=[])
    for scheme, code in pipeline.LEGAL_ENTITY_STEP.items():
        legal_q |= Q(step=code, cooperative__scheme=scheme)
    return Subquery(
        StepRecord.objects.filter(legal_q, cooperative=OuterRef("pk"), status=Status.SELESAI)
        .order_by("completed_on")
        .values("completed_on")[:1]
    )


def step_status_for(*, cooperative_ids) -> dict[int, list[dict]]:
    """{cooperative id: [{step, status, started_on, completed_on, document_number, version}]}
    for a page of cooperatives already scoped by the caller (one query)."""
    found: dict[int, list[dict]] = {}
    rows = StepRecord.objects.filter(cooperative_id__in=list(cooperative_ids)).values(
        "cooperative_id",
        "step",
        "status",
        "started_on",
        "completed_on",
        "document_number",
        "version",
    )
    for row in rows.order_by("cooperative_id", "id"):
        found.setdefault(row.pop("cooperative_id"), []).append(row)
    return found
