"""Training reads, always from the user's scope: programmes, the calendar of batches, a batch's
participants and attendance, coverage per kecamatan, training needs and proposals.

Needs are computed, never stored: from the latest readiness assessment's gaps, from the topics
of walk-in consultations in the last year, from what holds the KMP back in operations (read
through the `cooperative_obstacle` extension point, not by importing operations), and from
officers who never completed a training. Each need says where it came from.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kawal.cooperatives.extension_points import Obstacle, obstacle_sources
from kawal.cooperatives.models import Cooperative, Officer
from kawal.core.formats import tanggal
from kawal.core.scope import Cap, can, get_scoped_or_404, region_q, scoped
from kawal.mentoring import selectors as mentoring_selectors
from kawal.mentoring.models import Consultation
from kawal.readiness import selectors as readiness_selectors
from kawal.regions.models import Region
from kawal.training.models import Batch, Module, Participant, Programme, Seat, Session

TRAINED_TARGET = 2  # a cooperative is covered when at least two of its officers are trained
CONSULTATION_WINDOW_DAYS = 365

# Readiness areas (default instrument) → the module that addresses a gap there.
AREA_MODULES = {
    "kelembagaan": Module.GOVERNANCE,
    "usaha": Module.BUSINESS,
    "keuangan": Module.FINANCE,
    "sinergi_bumdes": Module.PARTNERSHIP,
}
# Consultation topics → module.
TOPIC_MODULES = {
    Consultation.Topic.LEGALITAS: Module.POLICY,
    Consultation.Topic.KELEMBAGAAN: Module.GOVERNANCE,
    Consultation.Topic.USAHA: Module.BUSINESS,
    Consultation.Topic.KEUANGAN: Module.FINANCE,
    Consultation.Topic.PERMODALAN: Module.PROPOSAL,
    Consultation.Topic.PERIZINAN: Module.POLICY,
    Consultation.Topic.SIMKOPDES: Module.DIGITAL,
    Consultation.Topic.PAJAK: Module.TAX,
}
# What holds a KMP back (source key, the source's cause code) → the module that addresses it.
# Causes no training addresses (no land, construction under way) are not needs, and operations'
# "officers untrained" is already the "never trained" need below; unknown codes are ignored.
OBSTACLE_MODULES = {
    ("operations", "no_plan"): Module.PROPOSAL,
    ("operations", "partnership"): Module.PARTNERSHIP,
    ("operations", "loan"): Module.PARTNERSHIP,
    ("operations", "not_built"): Module.PARTNERSHIP,
    ("operations", "not_open"): Module.BUSINESS,
}
# Who goes first when seats are short.
POSITION_ORDER = {
    "ketua": 0,
    "bendahara": 1,
    "sekretaris": 2,
    "ketua_pengawas": 3,
    "wakil_ketua_usaha": 4,
    "wakil_ketua_anggota": 5,
    "anggota": 6,
}

SOURCE_READINESS = "kesiapan"
SOURCE_CONSULTATION = "konsultasi"
SOURCE_UNTRAINED = "belum_dilatih"
SOURCE_OPERATIONS = "operasional"


def _today() -> datetime.date:
    return timezone.localdate()


# --- programmes and batches ----------------------------------------------------------------


def programme_list(*, user):
    return scoped(
        Programme.objects.select_related("region", "budget_line"), user, Cap.VIEW, path="region"
    ).annotate(n_batches=Count("batches"))


def programme_get(*, user, pk: int, cap: str = Cap.VIEW) -> Programme:
    return get_scoped_or_404(
        Programme.objects.select_related("region", "budget_line"),
        user,
        cap=cap,
        path="region",
        pk=pk,
    )


def _with_counts(batches):
    return batches.annotate(
        n_participants=Count(
            "participants",
            filter=~Q(participants__invitation=Participant.Invitation.DECLINED),
            distinct=True,
        ),
        n_completed=Count("participants", filter=Q(participants__completed=True), distinct=True),
    )


def batch_q(user, cap: str = Cap.VIEW) -> Q:
    """Batches a user may `cap`: those its region organises; for reading, also those serving a
    kecamatan inside its region (a province session seen by the regency and the camat)."""
    q = region_q(user, cap, path="region")
    if cap == Cap.VIEW:
        served = Batch.districts.through.objects.filter(region_q(user, cap, path="region"))
        q |= Q(pk__in=served.values("batch_id"))
    return q


def batch_list(*, user, when: str = "", year: int | None = None, programme_id=None):
    batches = Batch.objects.filter(batch_q(user))
    if programme_id:
        batches = batches.filter(programme_id=programme_id)
    if year:
        batches = batches.filter(start_date__year=year)
    today = _today()
    if when == "akan":
        batches = batches.filter(end_date__gte=today).exclude(status=Batch.Status.CANCELLED)
    elif when == "lalu":
        batches = batches.filter(end_date__lt=today)
    batches = _with_counts(batches).select_related("programme", "venue_region")
    return batches.prefetch_related(
        Prefetch("districts", queryset=Region.objects.order_by("name"))
    ).order_by("start_date", "number", "id")


def calendar(batches) -> list[tuple[datetime.date, list[Batch]]]:
    """Batches grouped by the month they start in."""
    months: dict[datetime.date, list[Batch]] = defaultdict(list)
    for batch in batches:
        months[batch.start_date.replace(day=1)].append(batch)
    return sorted(months.items())


def batch_get(*, user, pk: int, cap: str = Cap.VIEW) -> Batch:
    try:
        return (
            _with_counts(
                Batch.objects.filter(batch_q(user, cap)).select_related(
                    "programme", "programme__budget_line", "venue_region", "region"
                )
            )
            .prefetch_related(Prefetch("districts", queryset=Region.objects.order_by("name")))
            .get(pk=pk)
        )
    except (Batch.DoesNotExist, ValueError):
        raise Http404 from None


def batch_participants(
    *, batch: Batch, user=None, q: str = "", kecamatan: str = ""
) -> list[Participant]:
    """The batch's participants with `.present_days` (a set of dates): two queries.

    A user who only sees the batch because it serves its region sees only its own region's
    participants."""
    rows = batch.participants.select_related(
        "officer", "cooperative", "cooperative__village", "cooperative__village__parent"
    ).order_by("cooperative__village__district_code", "cooperative__name", "officer__name")
    if user is not None and not can(user, Cap.VIEW, batch.region_id):
        rows = rows.filter(region_q(user, Cap.VIEW, path="cooperative__village"))
    if q:
        rows = rows.filter(Q(officer__name__icontains=q) | Q(cooperative__name__icontains=q))
    if kecamatan:
        rows = rows.filter(cooperative__village__district_code=kecamatan)
    rows = list(rows)
    days = present_days([p.pk for p in rows])
    for p in rows:
        p.present_days = days[p.pk]
    return rows


def present_days(participant_ids) -> dict[int, set]:
    """participant id → the days it was present: its seats (registrations for the batch's
    sessions, which are events) that have an attendance row in the events app. One query."""
    days: dict[int, set] = defaultdict(set)
    for participant_id, day in Seat.objects.filter(
        participant_id__in=list(participant_ids), registrant__attendance__isnull=False
    ).values_list("participant_id", "session__day"):
        days[participant_id].add(day)
    return days


def participant_get(*, user, pk: int, batch_pk: int, cap: str = Cap.VIEW) -> Participant:
    batch = batch_get(user=user, pk=batch_pk, cap=cap)
    try:
        participant = Participant.objects.select_related(
            "officer", "cooperative", "cooperative__village"
        ).get(pk=pk, batch=batch)
    except (Participant.DoesNotExist, ValueError):
        raise Http404 from None
    if not can(user, Cap.VIEW, batch.region_id) and not can(
        user, Cap.VIEW, participant.cooperative.village_id
    ):
        raise Http404
    participant.batch = batch
    return participant


def attendance_counts(*, batch: Batch) -> dict[datetime.date, int]:
    return dict(
        Seat.objects.filter(session__batch=batch, registrant__attendance__isnull=False)
        .values_list("session__day")
        .annotate(n=Count("pk"))
        .order_by()
    )


def session_events(*, batch: Batch) -> dict[datetime.date, int]:
    """{day: id of its training-session event in the events app}: one query."""
    return dict(Session.objects.filter(batch=batch).values_list("day", "event_id"))


def day_counts(*, batch: Batch, day: datetime.date) -> tuple[int, int]:
    """(present on `day`, participants who did not decline): two queries."""
    counted = batch.participants.exclude(invitation=Participant.Invitation.DECLINED)
    present = Seat.objects.filter(
        participant__in=counted, session__day=day, registrant__attendance__isnull=False
    ).count()
    return present, counted.count()


def export_rows(*, batch: Batch, user=None):
    """One row per participant for the attendance spreadsheet (names, days, result)."""
    days = batch.days
    for p in batch_participants(batch=batch, user=user):
        village = p.cooperative.village
        yield [
            village.parent.name if village.parent_id else "",
            village.name,
            p.cooperative.name,
            p.officer.name,
            p.officer.get_position_display(),
            p.get_invitation_display(),
            *[("Hadir" if d in p.present_days else "") for d in days],
            len(p.present_days),
            p.completed,
            p.pre_score,
            p.post_score,
        ]


# --- trained officers and coverage ---------------------------------------------------------


def covered_cooperative_ids():
    """Ids of the cooperatives with at least TRAINED_TARGET active officers who completed a
    training, as a subquery (one GROUP BY over participants, usable inside a larger query)."""
    return (
        Participant.objects.filter(completed=True, officer__is_active=True)
        .values("cooperative_id")
        .annotate(n=Count("officer_id", distinct=True))
        .filter(n__gte=TRAINED_TARGET)
        .values("cooperative_id")
    )


def officers_trained_q() -> Q:
    """A Q on Cooperative: covered by training (the `officers_trained` fact of other apps)."""
    return Q(pk__in=covered_cooperative_ids())


def _regency_for(user, regency: str) -> str:
    """The regency a per-kecamatan table is drawn for (never the whole country)."""
    from django.conf import settings

    regions = scoped(Region.objects.filter(level=2), user, Cap.VIEW, path="")
    if regency and regions.filter(code=regency).exists():
        return regency
    home = getattr(settings, "KAWAL_HOME_REGION", "")
    if home and regions.filter(code=home).exists():
        return home
    first = regions.order_by("code").values_list("code", flat=True).first()
    if first:
        return first
    # A kecamatan or village grant: its own regency (rows are still filtered by scope).
    village = scoped(Region.objects.filter(level=4), user, Cap.VIEW, path="")
    return village.values_list("regency_code", flat=True).first() or ""


def coverage_by_district(*, user, regency: str = "") -> dict:
    """Per kecamatan of one regency: cooperatives, cooperatives with ≥ 2 trained officers, the
    share, and officers never trained. A constant number of queries whatever the size."""
    regency = _regency_for(user, regency)
    coops = scoped(Cooperative.objects.all(), user, Cap.VIEW).filter(village__regency_code=regency)
    per_district = dict(
        coops.values_list("village__district_code").annotate(n=Count("pk")).order_by()
    )
    trained = (
        Participant.objects.filter(
            completed=True,
            officer__is_active=True,
            cooperative__in=coops.values("pk"),
        )
        .values("cooperative_id", "cooperative__village__district_code")
        .annotate(n=Count("officer", distinct=True))
        .order_by()
    )
    covered: Counter = Counter()
    trained_officers: Counter = Counter()
    for row in trained:
        trained_officers[row["cooperative__village__district_code"]] += row["n"]
        if row["n"] >= TRAINED_TARGET:
            covered[row["cooperative__village__district_code"]] += 1
    officers = dict(
        Officer.objects.filter(is_active=True, cooperative__in=coops.values("pk"))
        .values_list("cooperative__village__district_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    names = dict(Region.objects.filter(regency_code=regency, level=3).values_list("code", "name"))
    rows = []
    for code in sorted(per_district, key=lambda c: names.get(c, c)):
        total = per_district[code]
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "cooperatives": total,
                "covered": covered[code],
                "pct": covered[code] * 100 // total if total else 0,
                "uncovered": total - covered[code],
                "officers": officers.get(code, 0),
                "trained": trained_officers[code],
                "untrained": max(officers.get(code, 0) - trained_officers[code], 0),
            }
        )
    totals = {
        "cooperatives": sum(r["cooperatives"] for r in rows),
        "covered": sum(r["covered"] for r in rows),
        "officers": sum(r["officers"] for r in rows),
        "trained": sum(r["trained"] for r in rows),
    }
    totals["untrained"] = max(totals["officers"] - totals["trained"], 0)
    totals["pct"] = (
        totals["covered"] * 100 // totals["cooperatives"] if totals["cooperatives"] else 0
    )
    regency_name = Region.objects.filter(code=regency).values_list("name", flat=True).first()
    return {"regency": regency, "regency_name": regency_name or "", "rows": rows, "totals": totals}


# --- training needs ------------------------------------------------------------------------


@dataclass
class Need:
    module: str | None  # a Module value; None for "never trained" (the whole basic course)
    source: str
    explanation: str
    weight: int = 1
    url: str = ""  # the record behind the need, when its source has one page for it

    @property
    def module_label(self) -> str:
        return str(Module(self.module).label) if self.module else _("basic training")

    @property
    def source_label(self) -> str:
        return {
            SOURCE_READINESS: _("readiness assessment"),
            SOURCE_CONSULTATION: _("consultations"),
            SOURCE_UNTRAINED: _("never trained"),
            SOURCE_OPERATIONS: _("what holds the KMP back"),
        }[self.source]


@dataclass
class CooperativeNeeds:
    cooperative: Cooperative
    needs: list[Need] = field(default_factory=list)
    untrained: list[Officer] = field(default_factory=list)
    trained: int = 0
    next_batch: Batch | None = None
    obstacles: list[Obstacle] = field(default_factory=list)  # those a training addresses

    @property
    def modules(self) -> list[str]:
        return sorted({n.module for n in self.needs if n.module})

    @property
    def covered(self) -> bool:
        return self.trained >= TRAINED_TARGET


def obstacle_needs(*, user, cooperative_ids) -> dict[int, list[tuple[Obstacle, Need]]]:
    """cooperative id → the needs that come from what holds it back (each obstacle source, e.g.
    operations, read through the cooperative_obstacle point): at most four queries a source."""
    found: dict[int, list] = defaultdict(list)
    ids = list(cooperative_ids)
    if not ids:
        return found
    for source in obstacle_sources():
        for coop_id, obstacles in source.obstacles(user, ids).items():
            for obstacle in obstacles:
                module = OBSTACLE_MODULES.get((source.key, obstacle.code))
                if module is None:
                    continue
                need = Need(
                    module, SOURCE_OPERATIONS, _explain_obstacle(obstacle), url=obstacle.url
                )
                found[coop_id].append((obstacle, need))
    return found


def needs_for(
    *, user, cooperatives, today: datetime.date | None = None, obstacles: bool = True
) -> dict[int, CooperativeNeeds]:
    """cooperative id → its needs, each explaining its source. Six queries, plus at most four
    per obstacle source (operations), for any number of cooperatives (callers pass a page or a
    kecamatan, never the country)."""
    today = today or _today()
    cooperatives = list(cooperatives)
    ids = [c.pk for c in cooperatives]
    result = {c.pk: CooperativeNeeds(cooperative=c) for c in cooperatives}
    if not ids:
        return result

    latest = readiness_selectors.latest_for_cooperatives(ids)
    gaps = readiness_selectors.gaps_for_assessments([a.pk for a in latest.values()])
    for coop_id, assessment in latest.items():
        by_module: dict[str, list] = defaultdict(list)
        for score in gaps.get(assessment.pk, []):
            module = AREA_MODULES.get(score.item.area.code)
            if module:
                by_module[module].append(score)
        for module, scores in by_module.items():
            items = "; ".join(f"“{s.item.text}” ({s.score})" for s in scores[:3])
            result[coop_id].needs.append(
                Need(
                    module,
                    SOURCE_READINESS,
                    _("Readiness assessment of %(date)s, low scores: %(items)s")
                    % {"date": tanggal(assessment.assessed_on), "items": items},
                    weight=len(scores),
                )
            )

    since = today - datetime.timedelta(days=CONSULTATION_WINDOW_DAYS)
    topics = (
        mentoring_selectors.consultation_list(user=user)
        .filter(cooperative_id__in=ids, date__gte=since)
        .values("cooperative_id", "topic")
        .annotate(n=Count("id"), last=Max("date"))
        .order_by()
    )
    for row in topics:
        module = TOPIC_MODULES.get(row["topic"])
        if not module:
            continue
        result[row["cooperative_id"]].needs.append(
            Need(
                module,
                SOURCE_CONSULTATION,
                _("%(n)s consultation(s) on “%(topic)s” in the last year, the latest on %(date)s")
                % {
                    "n": row["n"],
                    "topic": Consultation.Topic(row["topic"]).label,
                    "date": tanggal(row["last"]),
                },
                weight=row["n"],
            )
        )

    if obstacles:  # the cooperative page fetches these apart (cooperative_obstacle_needs)
        for coop_id, pairs in obstacle_needs(user=user, cooperative_ids=ids).items():
            if coop_id in result:
                result[coop_id].obstacles += [obstacle for obstacle, _need in pairs]
                result[coop_id].needs += [need for _obstacle, need in pairs]

    # Officers and whether each completed a training, in one query.
    officers = list(
        Officer.objects.filter(cooperative_id__in=ids, is_active=True)
        .annotate(
            is_trained=Exists(Participant.objects.filter(officer_id=OuterRef("pk"), completed=True))
        )
        .order_by("cooperative_id", "id")
    )
    for officer in officers:
        entry = result[officer.cooperative_id]
        if officer.is_trained:
            entry.trained += 1
        else:
            entry.untrained.append(officer)
    for entry in result.values():
        if entry.untrained:
            entry.untrained.sort(key=lambda o: (POSITION_ORDER.get(o.position, 9), o.pk))
            names = ", ".join(f"{o.name} ({o.get_position_display()})" for o in entry.untrained[:4])
            more = len(entry.untrained) - 4
            entry.needs.append(
                Need(
                    None,
                    SOURCE_UNTRAINED,
                    (
                        _("%(n)s officer(s) never completed a training: %(names)s")
                        % {"n": len(entry.untrained), "names": names}
                    )
                    + (f" (+{more})" if more > 0 else ""),
                    weight=len(entry.untrained),
                )
            )
        entry.needs.sort(key=lambda n: (n.source == SOURCE_UNTRAINED, -n.weight))

    # The next planned batch serving each cooperative's kecamatan (one query: a row per batch
    # and kecamatan served, soonest first).
    districts = {c.village.district_code for c in cooperatives}
    upcoming = (
        Batch.objects.filter(
            status=Batch.Status.PLANNED,
            end_date__gte=today,
            districts__code__in=districts,
        )
        .filter(batch_q(user))
        .annotate(served=F("districts__code"))
        .select_related("programme")
        .order_by("start_date", "id")
    )
    first_for: dict[str, Batch] = {}
    for batch in upcoming:
        first_for.setdefault(batch.served, batch)
    for entry in result.values():
        entry.next_batch = first_for.get(entry.cooperative.village.district_code)
    return result


def _explain_obstacle(obstacle: Obstacle) -> str:
    text = _("What holds the KMP back: %(cause)s") % {"cause": obstacle.label}
    if obstacle.detail:
        text += f" ({obstacle.detail})"
    if obstacle.since:
        text += ", " + _("since %(date)s") % {"date": tanggal(obstacle.since)}
    return text


def district_needs(*, user, district: str, today=None) -> list[CooperativeNeeds]:
    """The needs of every cooperative of one kecamatan, neediest first."""
    coops = (
        scoped(Cooperative.objects.select_related("village"), user, Cap.VIEW)
        .filter(village__district_code=district)
        .order_by("name")
    )
    found = needs_for(user=user, cooperatives=coops, today=today)
    return sorted(
        found.values(),
        key=lambda e: (e.covered, -len(e.untrained), -sum(n.weight for n in e.needs)),
    )


def module_totals(entries) -> list[tuple[str, int]]:
    """(module label, cooperatives needing it) over a list of CooperativeNeeds."""
    counter: Counter = Counter()
    for entry in entries:
        for module in entry.modules:
            counter[module] += 1
    return [(str(Module(m).label), n) for m, n in counter.most_common()]


def district_choices(*, user, regency: str = "") -> list[tuple[str, str]]:
    regency = _regency_for(user, regency)
    codes = scoped(
        Region.objects.filter(level=4, regency_code=regency), user, Cap.VIEW, path=""
    ).values("district_code")
    return list(
        Region.objects.filter(code__in=codes, level=3).order_by("name").values_list("code", "name")
    )


# --- proposals: who goes to which batch ----------------------------------------------------


@dataclass
class Proposal:
    officer: Officer
    cooperative: Cooperative
    reason: str


def proposals(*, user, batch: Batch, today=None) -> list[Proposal]:
    """Officers to invite to a planned batch, as many as seats are left.

    Only active officers of cooperatives in the kecamatan served, never trained and not already
    invited to a planned batch. Cooperatives furthest from two trained officers come first, then
    those held back in operations by something the programme's modules address, then those
    whose needs match the modules most, then those with the most untrained officers; within a
    cooperative the ketua, bendahara and sekretaris first.
    """
    if batch.status != Batch.Status.PLANNED:
        return []
    seats = (
        batch.capacity
        - batch.participants.exclude(invitation=Participant.Invitation.DECLINED).count()
    )
    if seats <= 0:
        return []
    district_codes = [d.code for d in batch.districts.all()]
    coops = scoped(Cooperative.objects.select_related("village"), user, Cap.VIEW).filter(
        village__district_code__in=district_codes
    )
    found = needs_for(user=user, cooperatives=coops, today=today)
    bodies = {t for t in batch.programme.target_groups if t in ("pengurus", "pengawas")}
    busy = set(
        Participant.objects.filter(
            batch__status=Batch.Status.PLANNED,
            cooperative__in=list(found),
        )
        .exclude(invitation=Participant.Invitation.DECLINED)
        .values_list("officer_id", flat=True)
    )
    wanted = set(batch.programme.modules)

    def addressed(entry) -> list[Obstacle]:
        """What holds the KMP back that this programme's modules address."""
        return [o for o in entry.obstacles if OBSTACLE_MODULES.get((o.source, o.code)) in wanted]

    ranked = sorted(
        found.values(),
        key=lambda e: (
            e.trained,
            -len(addressed(e)),
            -len(wanted & set(e.modules)),
            -len(e.untrained),
            e.cooperative.name,
        ),
    )
    first_round, second_round = [], []
    for entry in ranked:
        candidates = [
            o for o in entry.untrained if o.pk not in busy and (not bodies or o.body in bodies)
        ]
        room = max(TRAINED_TARGET - entry.trained, 0)
        matching = [str(Module(m).label) for m in entry.modules if m in wanted]
        held_back = ", ".join(o.label for o in addressed(entry))
        for i, officer in enumerate(candidates):
            parts = [
                _("%(coop)s has %(n)s trained officer(s)")
                % {"coop": entry.cooperative.name, "n": entry.trained}
            ]
            if matching:
                parts.append(_("needs %(modules)s") % {"modules": ", ".join(matching)})
            if held_back:
                parts.append(_("held back by: %(causes)s") % {"causes": held_back})
            proposal = Proposal(officer, entry.cooperative, "; ".join(parts))
            (first_round if i < room else second_round).append(proposal)
    return (first_round + second_round)[:seats]


# --- the cooperative page ------------------------------------------------------------------


def cooperative_get(*, user, pk: int) -> Cooperative:
    return get_scoped_or_404(
        Cooperative.objects.select_related("village"),
        user,
        cap=Cap.VIEW,
        pk=pk,
    )


def cooperative_training(*, user, cooperative) -> dict:
    """What the cooperative page shows: needs, officers never trained, trainings attended.

    The needs from what holds the KMP back are fetched by htmx when the section appears
    (views.cooperative_obstacle_needs), like the operations section, so the cooperative page,
    which gathers every app's section, keeps its query budget."""
    entry = needs_for(user=user, cooperatives=[cooperative], obstacles=False)[cooperative.pk]
    history = list(
        Participant.objects.filter(cooperative=cooperative)
        .select_related("officer", "batch", "batch__programme")
        .order_by("-batch__start_date", "officer__name")[:50]
    )
    return {"entry": entry, "history": history}
