"""Readiness reads, always from the user's scope."""

from collections import Counter, defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from kawal.cooperatives.models import Cooperative
from kawal.core.scope import Cap, get_scoped_or_404, regency_record_q, scoped
from kawal.readiness.models import Area, Assessment, Category, Instrument, ItemScore
from kawal.regions.models import Region

COUNTED = (Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED)
NOT_ASSESSED = "belum_dinilai"


def instrument_list(*, user):
    return Instrument.objects.filter(regency_record_q(user, Cap.VIEW, "region")).select_related(
        "region"
    )


def regencies_without_instrument(*, user) -> list[Region]:
    """Regencies the user may verify in that have no instrument yet (to create the default):
    a regency grant gives its own regency, a province grant every regency of the province."""
    regencies = scoped(Region.objects.filter(level=2), user, Cap.VERIFY, path="").exclude(
        code__in=Instrument.objects.values("region_id")
    )
    return list(regencies.order_by("code"))


def instrument_get(*, user, pk: int) -> Instrument:
    from django.http import Http404

    try:
        return instrument_list(user=user).get(pk=pk)
    except (Instrument.DoesNotExist, ValueError):
        raise Http404 from None


def instrument_current(*, region_code: str) -> Instrument | None:
    return Instrument.objects.filter(
        region_id=region_code[:5], status=Instrument.Status.PUBLISHED
    ).first()


def area_names(instrument_id: int) -> dict[str, str]:
    """Area code → name in one instrument version (an assessment names its own areas)."""
    return dict(Area.objects.filter(instrument_id=instrument_id).values_list("code", "name"))


def instrument_areas(instrument: Instrument) -> list[Area]:
    return list(instrument.areas.prefetch_related("items"))


def latest_counted():
    """Each cooperative's latest submitted or verified assessment (an anti-join: no later one).
    As an uncorrelated set it is built once per query, however many cooperatives read it."""
    later = Assessment.objects.filter(
        cooperative=OuterRef("cooperative"), status__in=COUNTED
    ).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    return Assessment.objects.filter(status__in=COUNTED).exclude(Exists(later))


def _latest_counted():
    return Assessment.objects.filter(cooperative=OuterRef("pk"), status__in=COUNTED).order_by(
        "-assessed_on", "-id"
    )


def cooperative_readiness_list(
    *,
    user,
    q: str = "",
    district: str = "",
    category: str = "",
    status: str = "",
    regency: str = "",
):
    """Cooperatives in scope with their latest submitted/verified assessment (annotated)."""
    latest = _latest_counted()
    coops = scoped(Cooperative.objects.select_related("village"), user, Cap.VIEW).annotate(
        latest_id=Subquery(latest.values("id")[:1]),
        latest_category=Subquery(latest.values("category")[:1]),
    )
    if q:
        coops = coops.filter(Q(name__icontains=q) | Q(village__name__icontains=q))
    if regency:
        coops = coops.filter(village__regency_code=regency)
    if district:
        coops = coops.filter(village__district_code=district)
    if category == NOT_ASSESSED:
        coops = coops.filter(latest_id__isnull=True)
    elif category:
        coops = coops.filter(latest_category=category)
    if status == "menunggu":
        coops = coops.filter(assessments__status=Assessment.Status.SUBMITTED).distinct()
    elif status == "draf":
        coops = coops.filter(assessments__status=Assessment.Status.DRAFT).distinct()
    return coops.order_by("village_id")


def attach_latest(cooperatives) -> list:
    """Set `.latest` (Assessment or None) on each cooperative of a page: one query."""
    cooperatives = list(cooperatives)
    ids = [c.latest_id for c in cooperatives if getattr(c, "latest_id", None)]
    found = {
        a.pk: a
        for a in Assessment.objects.filter(pk__in=ids)
        .select_related("assessor")
        .defer("area_scores")
    }
    for coop in cooperatives:
        coop.latest = found.get(getattr(coop, "latest_id", None))
    return cooperatives


def latest_for_cooperatives(cooperative_ids) -> dict[int, Assessment]:
    """cooperative id → its latest submitted or verified assessment (for other apps' pages)."""
    latest = {}
    rows = (
        Assessment.objects.filter(cooperative_id__in=list(cooperative_ids), status__in=COUNTED)
        .order_by("cooperative_id", "-assessed_on", "-id")
        .only(
            "id",
            "cooperative_id",
            "instrument_id",
            "assessed_on",
            "status",
            "score",
            "category",
            "area_scores",
        )
    )
    for row in rows:
        latest.setdefault(row.cooperative_id, row)
    return latest


def readiness_summary(*, user, district: str = "", regency: str = "", by: str = "district") -> dict:
    """Counts per category and per kecamatan, or per regency with `by="regency"` (a province or
    the nation); "not assessed" is counted apart, never as 0."""
    group = "village__regency_code" if by == "regency" else "village__district_code"
    # The group's name comes in the same query (a village's parent is its kecamatan).
    name = "village__parent__parent__name" if by == "regency" else "village__parent__name"
    # Counted in SQL, one row per group: the latest assessment's category is an uncorrelated
    # IN set per category (built once per query), not a subquery per cooperative with every
    # cooperative sent to Python (docs/performance.md: 1.6 s → 0.2 s with 80,000 KMP).
    coops = scoped(Cooperative.objects.all(), user, Cap.VIEW)
    if regency:
        coops = coops.filter(village__regency_code=regency)
    if district:
        coops = coops.filter(village__district_code=district)
    assessed = CATEGORY_ORDER[:-1]
    counts = _category_counts()
    totals: Counter = Counter()
    rows = []
    for row in coops.values(group, name).annotate(total=Count("pk"), **counts).order_by(group):
        per = {c: row[f"n_{i}"] for i, c in enumerate(assessed)}
        per[NOT_ASSESSED] = row["total"] - sum(per.values())
        totals.update(per)
        total = row["total"]
        rows.append(
            {
                "code": row[group],
                "name": row[name] or row[group],
                "total": total,
                "counts": [per[c] for c in CATEGORY_ORDER],
                "shares": [round(100 * per[c] / total, 1) for c in CATEGORY_ORDER],
            }
        )
    pending = scoped(
        Assessment.objects.filter(status=Assessment.Status.SUBMITTED),
        user,
        Cap.VIEW,
        path="cooperative__village",
    )
    if regency:
        pending = pending.filter(cooperative__village__regency_code=regency)
    if district:
        pending = pending.filter(cooperative__village__district_code=district)
    return {
        "totals": {c: totals.get(c, 0) for c in CATEGORY_ORDER},
        "total": sum(totals.values()),
        "rows": rows,
        "pending": pending.count(),
        "by": by,
    }


CATEGORY_ORDER = (Category.SIAP, Category.PERLU_PENGUATAN, Category.BELUM_SIAP, NOT_ASSESSED)


def _category_counts() -> dict:
    """`n_<i>`: the KMP whose latest counted assessment has the i-th category (one IN set each)."""
    return {
        f"n_{i}": Count(
            "pk",
            filter=Q(pk__in=latest_counted().filter(category=c).values("cooperative_id")),
        )
        for i, c in enumerate(CATEGORY_ORDER[:-1])
    }


def readiness_totals(*, user) -> dict:
    """{category: KMP} over the user's whole scope, "not assessed" included (one query, no
    grouping: the home page's cards, which need no row per kecamatan)."""
    coops = scoped(Cooperative.objects.all(), user, Cap.VIEW)
    row = coops.aggregate(total=Count("pk"), **_category_counts())
    per = {c: row[f"n_{i}"] for i, c in enumerate(CATEGORY_ORDER[:-1])}
    per[NOT_ASSESSED] = row["total"] - sum(per.values())
    return per


def assessment_history(*, user, cooperative: Cooperative):
    return scoped(
        Assessment.objects.filter(cooperative=cooperative).select_related(
            "assessor", "verified_by", "instrument"
        ),
        user,
        Cap.VIEW,
        path="cooperative__village",
    ).order_by("-assessed_on", "-id")


def assessment_get(*, user, pk: int) -> Assessment:
    return get_scoped_or_404(
        Assessment.objects.select_related(
            "cooperative__village", "instrument", "assessor", "verified_by"
        ),
        user,
        path="cooperative__village",
        pk=pk,
    )


def assessment_sections(assessment: Assessment) -> list[dict]:
    """Areas with their item scores, in instrument order (two queries)."""
    scores = {
        s.item_id: s for s in ItemScore.objects.filter(assessment=assessment).select_related("item")
    }
    sections = []
    for area in instrument_areas(assessment.instrument):
        sections.append(
            {
                "area": area,
                "score": assessment.area_scores.get(area.code),
                "rows": [scores[i.pk] for i in area.items.all() if i.pk in scores],
            }
        )
    return sections


def item_score_get(*, user, assessment: Assessment, pk: int) -> ItemScore:
    return get_scoped_or_404(
        ItemScore.objects.select_related("item__area", "assessment"),
        user,
        path="assessment__cooperative__village",
        pk=pk,
        assessment=assessment,
    )


def trend_points(history) -> list[tuple]:
    """(date, score) of counted assessments, oldest first, for the sparkline."""
    return [
        (a.assessed_on, float(a.score))
        for a in sorted(history, key=lambda a: (a.assessed_on, a.pk))
        if a.status in COUNTED and a.score is not None
    ]


def assessment_followups(assessment: Assessment) -> list:
    """The follow-ups its gaps became (after verification), with owner and due date."""
    from django.contrib.contenttypes.models import ContentType

    from kawal.followups.models import FollowUp

    if assessment.status != Assessment.Status.VERIFIED:
        return []
    return list(
        FollowUp.objects.filter(
            source_type=ContentType.objects.get_for_model(ItemScore),
            source_id__in=assessment.scores.values("id"),
        ).select_related("owner_agency", "owner_user")
    )


def assessment_gaps(assessment: Assessment) -> list[ItemScore]:
    """Items scored below the gap threshold, lowest first, with their reasons."""
    from kawal.readiness.models import GAP_THRESHOLD

    return list(
        ItemScore.objects.filter(assessment=assessment, score__lt=GAP_THRESHOLD)
        .select_related("item")
        .order_by("score", "item__area__order", "item__order")
    )


def gaps_for_assessments(assessment_ids) -> dict[int, list[ItemScore]]:
    """assessment id → its items scored below the gap threshold (one query, for other apps'
    pages such as training needs), each with `item` and `item.area` loaded."""
    from kawal.readiness.models import GAP_THRESHOLD

    found: dict[int, list[ItemScore]] = defaultdict(list)
    rows = (
        ItemScore.objects.filter(assessment_id__in=list(assessment_ids), score__lt=GAP_THRESHOLD)
        .select_related("item__area")
        .only(
            "id",
            "assessment_id",
            "score",
            "item__text",
            "item__code",
            "item__area__code",
            "item__area__name",
        )
        .order_by("assessment_id", "score", "item__area__order", "item__order")
    )
    for row in rows:
        found[row.assessment_id].append(row)
    return dict(found)
