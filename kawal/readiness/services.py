"""Readiness writes: instrument versions, assessments, item scores, follow-ups for gaps."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kawal.core.audit import audit, snapshot
from kawal.core.formats import tanggal
from kawal.core.scope import Cap, may_assess, require, require_rule
from kawal.core.services import STALE_MESSAGE, bump_version
from kawal.core.uploads import safe_filename, validate_upload
from kawal.readiness import resolvers
from kawal.readiness.defaults import DEFAULT_AREAS, DEFAULT_DESCRIPTION, DEFAULT_TITLE
from kawal.readiness.models import (
    GAP_DUE_DAYS,
    GAP_THRESHOLD,
    SCALE,
    WEIGHT_TOTAL,
    Area,
    Assessment,
    Instrument,
    Item,
    ItemScore,
    category_for,
)

DINAS_AGENCY_CODE = "diskopukm"


# --- scoring (pure) ---------------------------------------------------------------------------


def _round(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def compute(areas, scores_by_item: dict) -> tuple[dict, Decimal | None]:
    """Area scores and the overall score from item scores.

    `areas` are Area rows with their items; `scores_by_item` maps item id → score or None.
    Unanswered or not-applicable items drop out of their area's weighting; an area with no
    answered item has no score (None), and so has the overall when no area has one.
    Never turns "not assessed" into 0.
    """
    area_scores: dict[str, float | None] = {}
    weighted, weights = Decimal(0), 0
    for area in areas:
        num, den = Decimal(0), 0
        for item in area.items.all():
            score = scores_by_item.get(item.pk)
            if score is None:
                continue
            num += Decimal(item.weight) * score
            den += item.weight
        if den:
            value = _round(num / den)
            area_scores[area.code] = float(value)
            weighted += Decimal(area.weight) * value
            weights += area.weight
        else:
            area_scores[area.code] = None
    overall = _round(weighted / weights) if weights else None
    return area_scores, overall


def weight_problems(instrument: Instrument) -> list[str]:
    """Clear messages for weights that do not add up (areas to 100, items per area to 100)."""
    problems = []
    areas = list(instrument.areas.prefetch_related("items"))
    if not areas:
        return [_("The instrument has no areas.")]
    total = sum(a.weight for a in areas)
    if total != WEIGHT_TOTAL:
        problems.append(
            _("The area weights add up to %(total)d%%; they must add up to 100%%.")
            % {"total": total}
        )
    for area in areas:
        items = list(area.items.all())
        if not items:
            problems.append(_("The area “%(area)s” has no items.") % {"area": area.name})
            continue
        subtotal = sum(i.weight for i in items)
        if subtotal != WEIGHT_TOTAL:
            problems.append(
                _(
                    "The item weights of “%(area)s” add up to %(total)d%%; they must add up to 100%%."
                )
                % {"area": area.name, "total": subtotal}
            )
        for item in items:
            if item.method == Item.Method.AUTO and not item.resolver:
                problems.append(
                    _("The automatic item “%(item)s” names no rule.") % {"item": item.text}
                )
    return problems


# --- instrument -------------------------------------------------------------------------------


def _require_instrument(actor, instrument: Instrument) -> None:
    require(actor, Cap.VERIFY, instrument.region_id)


def _require_draft(instrument: Instrument) -> None:
    if not instrument.is_draft:
        raise ValidationError(
            _("A published version cannot be changed. Make a new version to edit it."),
            code="published",
        )


@transaction.atomic
def instrument_create_default(*, actor, region_code: str) -> Instrument:
    """Version 1 of the default instrument for a regency, published."""
    require(actor, Cap.VERIFY, region_code)
    if Instrument.objects.filter(region_id=region_code).exists():
        raise ValidationError(_("This regency already has an instrument."), code="exists")
    instrument = Instrument.objects.create(
        region_id=region_code,
        version=1,
        title=str(DEFAULT_TITLE),
        description=str(DEFAULT_DESCRIPTION),
        created_by=actor,
    )
    for a_order, (code, name, weight, items) in enumerate(DEFAULT_AREAS):
        area = Area.objects.create(
            instrument=instrument, code=code, name=str(name), weight=weight, order=a_order
        )
        Item.objects.bulk_create(
            Item(
                area=area,
                code=i_code,
                text=str(text),
                evidence=str(evidence),
                weight=i_weight,
                method=method,
                resolver=resolver,
                order=i_order,
            )
            for i_order, (i_code, text, evidence, i_weight, method, resolver) in enumerate(items)
        )
    audit(actor=actor, action="instrument_create", obj=instrument, region_code=region_code)
    return instrument_publish(actor=actor, instrument=instrument)


@transaction.atomic
def instrument_new_version(*, actor, instrument: Instrument) -> Instrument:
    """A draft copy of `instrument` with the next version number (edits happen there)."""
    _require_instrument(actor, instrument)
    existing = Instrument.objects.filter(
        region_id=instrument.region_id, status=Instrument.Status.DRAFT
    ).first()
    if existing:
        return existing
    last = Instrument.objects.filter(region_id=instrument.region_id).order_by("-version").first()
    draft = Instrument.objects.create(
        region_id=instrument.region_id,
        version=last.version + 1,
        title=instrument.title,
        description=instrument.description,
        based_on=instrument,
        created_by=actor,
    )
    for area in instrument.areas.prefetch_related("items"):
        items = list(area.items.all())
        area.pk = None
        area.instrument = draft
        area.save()
        for item in items:
            item.pk = None
            item.area = area
        Item.objects.bulk_create(items)
    audit(
        actor=actor,
        action="instrument_new_version",
        obj=draft,
        region_code=draft.region_id,
        changes={"version": [instrument.version, draft.version]},
    )
    return draft


@transaction.atomic
def instrument_update(*, actor, instrument: Instrument, title: str, description: str):
    _require_instrument(actor, instrument)
    _require_draft(instrument)
    before = snapshot(instrument)
    instrument.title, instrument.description = title, description
    instrument.full_clean()
    instrument.save()
    audit(
        actor=actor,
        action="instrument_update",
        obj=instrument,
        region_code=instrument.region_id,
        changes={k: v for k, v in _changes(before, snapshot(instrument)).items()},
    )
    return instrument


def _changes(before, after):
    from kawal.core.audit import changes_between

    return changes_between(before, after)


@transaction.atomic
def area_save(*, actor, instrument: Instrument, area: Area | None = None, **fields) -> Area:
    _require_instrument(actor, instrument)
    _require_draft(instrument)
    # Read the stored row again: a ModelForm's is_valid() has already copied the new values onto
    # the instance it was given, and the audit must record what was there before.
    if area is not None and area.pk:
        area = Area.objects.get(pk=area.pk)
    else:
        area = Area(instrument=instrument)
    if area.instrument_id != instrument.pk:
        raise ValidationError(_("The area belongs to another instrument."))
    before = snapshot(area) if area.pk else {}
    for key, value in fields.items():
        setattr(area, key, value)
    area.full_clean()
    area.save()
    audit(
        actor=actor,
        action="area_save",
        obj=instrument,
        region_code=instrument.region_id,
        changes=_changes(before, snapshot(area)),
        note=area.name,
    )
    return area


@transaction.atomic
def item_save(*, actor, area: Area, item: Item | None = None, **fields) -> Item:
    instrument = area.instrument
    _require_instrument(actor, instrument)
    _require_draft(instrument)
    # The stored row, not the form's instance (see area_save).
    item = Item.objects.get(pk=item.pk) if item is not None and item.pk else Item(area=area)
    if item.area_id != area.pk:
        raise ValidationError(_("The item belongs to another area."))
    before = snapshot(item) if item.pk else {}
    for key, value in fields.items():
        setattr(item, key, value)
    if item.method == Item.Method.AUTO and item.resolver not in resolvers.resolvers_by_name():
        raise ValidationError(
            {"resolver": _("Choose one of the automatic rules for an automatic item.")}
        )
    if item.method == Item.Method.MANUAL:
        item.resolver = ""
    item.full_clean()
    item.save()
    audit(
        actor=actor,
        action="item_save",
        obj=instrument,
        region_code=instrument.region_id,
        changes=_changes(before, snapshot(item)),
        note=item.text,
    )
    return item


@transaction.atomic
def item_delete(*, actor, item: Item) -> None:
    instrument = item.area.instrument
    _require_instrument(actor, instrument)
    _require_draft(instrument)
    audit(
        actor=actor,
        action="item_delete",
        obj=instrument,
        region_code=instrument.region_id,
        changes={k: [v, None] for k, v in snapshot(item).items()},
        note=item.text,
    )
    item.delete()


@transaction.atomic
def area_delete(*, actor, area: Area) -> None:
    instrument = area.instrument
    _require_instrument(actor, instrument)
    _require_draft(instrument)
    audit(
        actor=actor,
        action="area_delete",
        obj=instrument,
        region_code=instrument.region_id,
        note=area.name,
    )
    area.delete()


@transaction.atomic
def instrument_publish(*, actor, instrument: Instrument) -> Instrument:
    _require_instrument(actor, instrument)
    _require_draft(instrument)
    problems = weight_problems(instrument)
    if problems:
        raise ValidationError(problems, code="weights")
    Instrument.objects.filter(
        region_id=instrument.region_id, status=Instrument.Status.PUBLISHED
    ).update(status=Instrument.Status.RETIRED)
    instrument.status = Instrument.Status.PUBLISHED
    instrument.published_at = timezone.now()
    instrument.save(update_fields=["status", "published_at", "updated_at"])
    audit(
        actor=actor,
        action="instrument_publish",
        obj=instrument,
        region_code=instrument.region_id,
        changes={"status": ["draft", "published"]},
    )
    return instrument


# --- assessments ------------------------------------------------------------------------------


def _require_assessor(actor, village_code: str) -> None:
    """A pendamping of the cooperative or the Dinas; never the KMP itself, nor a camat."""
    require(actor, Cap.EDIT, village_code)
    require_rule(
        may_assess(actor, village_code), _("Only a pendamping or the Dinas may assess readiness.")
    )


def _check_fresh(assessment: Assessment, expected_version: int | None) -> None:
    """Refuse a form read at an older version before anything else is said about it (the
    conditional UPDATE of bump_version still settles two saves racing each other)."""
    if expected_version is not None and expected_version != assessment.version:
        raise ValidationError(STALE_MESSAGE, code="stale")


def _require_editable(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(
            _("Only a draft can be changed; this assessment is %(status)s.")
            % {"status": assessment.get_status_display()},
            code="not_draft",
        )


def _instrument_items(instrument: Instrument):
    return list(instrument.areas.prefetch_related("items"))


def _fill_auto(assessment: Assessment, scores: list[ItemScore]) -> None:
    facts = resolvers.facts_for(assessment.cooperative)
    for row in scores:
        if row.item.method == Item.Method.AUTO:
            row.score, row.explanation = resolvers.resolve(row.item.resolver, facts)
            row.explanation = row.explanation[:300]


def _areas_of(assessment: Assessment) -> list:
    """The instrument's areas and items, read once per assessment object (a published
    instrument never changes, and a draft assessment always uses a published one)."""
    cached = getattr(assessment, "_areas_cache", None)
    if cached is None or cached[0] != assessment.instrument_id:
        cached = (assessment.instrument_id, _instrument_items(assessment.instrument))
        assessment._areas_cache = cached
    return cached[1]


def _recompute(assessment: Assessment) -> None:
    areas = _areas_of(assessment)
    scores = {s.item_id: s.score for s in assessment.scores.all()}
    assessment.area_scores, assessment.score = compute(areas, scores)
    assessment.category = category_for(assessment.score)


@transaction.atomic
def assessment_create(*, actor, cooperative, assessed_on: datetime.date) -> Assessment:
    _require_assessor(actor, cooperative.village_id)
    regency = cooperative.village.regency_code
    instrument = Instrument.objects.filter(
        region_id=regency, status=Instrument.Status.PUBLISHED
    ).first()
    if instrument is None:
        raise ValidationError(
            _("No readiness instrument is in use for this regency yet."), code="no_instrument"
        )
    draft = Assessment.objects.filter(
        cooperative=cooperative, status=Assessment.Status.DRAFT
    ).first()
    if draft is not None:
        raise ValidationError(
            _("A draft assessment of %(date)s is still open: finish or continue it first.")
            % {"date": tanggal(draft.assessed_on)},
            code="draft_exists",
            params={"pk": draft.pk},
        )
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    assessment = Assessment(
        cooperative=cooperative, instrument=instrument, assessed_on=assessed_on, assessor=actor
    )
    assessment.full_clean()
    assessment.save()
    rows = [
        ItemScore(assessment=assessment, item=item)
        for area in _instrument_items(instrument)
        for item in area.items.all()
    ]
    _fill_auto(assessment, rows)
    ItemScore.objects.bulk_create(rows)
    _recompute(assessment)
    assessment.save()
    audit(
        actor=actor,
        action="assessment_create",
        obj=assessment,
        region_code=cooperative.village_id,
        changes={k: [None, v] for k, v in snapshot(assessment).items()},
    )
    return assessment


@transaction.atomic
def assessment_refresh_auto(
    *, actor, assessment: Assessment, expected_version: int | None = None
) -> Assessment:
    """Read the registry again for the automatic items of a draft."""
    _require_assessor(actor, assessment.cooperative.village_id)
    _check_fresh(assessment, expected_version)
    _require_editable(assessment)
    rows = list(assessment.scores.select_related("item"))
    _fill_auto(assessment, rows)
    ItemScore.objects.bulk_update(rows, ["score", "explanation"])
    _recompute(assessment)
    bump_version(assessment, expected_version)
    assessment.save()
    audit(
        actor=actor,
        action="assessment_refresh_auto",
        obj=assessment,
        region_code=assessment.cooperative.village_id,
        changes={"score": [None, str(assessment.score)]},
    )
    return assessment


@transaction.atomic
def item_score_save(
    *,
    actor,
    assessment: Assessment,
    item_score: ItemScore,
    score,
    comment: str = "",
    evidence=None,
    expected_version: int | None = None,
) -> ItemScore:
    """The assessor's score of a manual item (0/25/50/75/100), comment and evidence.

    `evidence`: None keeps the stored file, False removes it (the form's "clear" box), a file
    replaces it. `expected_version`: the assessment's version the form was read at.
    """
    _require_assessor(actor, assessment.cooperative.village_id)
    _check_fresh(assessment, expected_version)
    _require_editable(assessment)
    if item_score.assessment_id != assessment.pk:
        raise ValidationError(_("This item belongs to another assessment."))
    if item_score.item.method != Item.Method.MANUAL:
        raise ValidationError(_("Automatic items are scored from the registry."), code="auto")
    if score is not None:
        try:
            score = int(score)
        except (TypeError, ValueError):
            score = -1
        if score not in SCALE:
            raise ValidationError(
                {"score": _("The score must be one of 0, 25, 50, 75 or 100.")}, code="range"
            )
    before = snapshot(item_score)
    item_score.score = score
    item_score.comment = comment
    if evidence is False:
        old_name = item_score.evidence.name if item_score.evidence else ""
        storage = item_score.evidence.storage
        item_score.evidence = ""
        item_score.evidence_name = ""
        if old_name:  # the file goes once the removal is committed
            transaction.on_commit(lambda: storage.delete(old_name))
    elif evidence is not None:
        validate_upload(evidence)
        item_score.evidence_name = safe_filename(evidence.name)[:200]
        evidence.name = item_score.evidence_name
        item_score.evidence = evidence
    item_score.full_clean(exclude=["evidence"])
    bump_version(assessment, expected_version)  # after every input check, before any write
    item_score.save()
    _recompute(assessment)
    assessment.save()
    audit(
        actor=actor,
        action="item_score_save",
        obj=assessment,
        region_code=assessment.cooperative.village_id,
        changes=_changes(before, snapshot(item_score)),
        note=item_score.item.text,
    )
    return item_score


@transaction.atomic
def assessment_submit(
    *,
    actor,
    assessment: Assessment,
    comment: str | None = None,
    expected_version: int | None = None,
) -> Assessment:
    _require_assessor(actor, assessment.cooperative.village_id)
    _check_fresh(assessment, expected_version)
    _require_editable(assessment)
    rows = list(assessment.scores.select_related("item"))
    _fill_auto(assessment, rows)
    ItemScore.objects.bulk_update(rows, ["score", "explanation"])
    missing = [r.item.text for r in rows if r.item.method == Item.Method.MANUAL and r.score is None]
    if missing:
        raise ValidationError(
            _("Score every item before submitting. Not scored yet: %(items)s.")
            % {"items": "; ".join(missing)},
            code="incomplete",
        )
    if comment is not None:
        assessment.comment = comment
    _recompute(assessment)
    bump_version(assessment, expected_version)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.return_reason = ""
    assessment.save()
    audit(
        actor=actor,
        action="assessment_submit",
        obj=assessment,
        region_code=assessment.cooperative.village_id,
        changes={"status": ["draft", "submitted"], "score": [None, str(assessment.score)]},
    )
    return assessment


@transaction.atomic
def assessment_return(
    *, actor, assessment: Assessment, reason: str, expected_version: int | None = None
) -> Assessment:
    require(actor, Cap.VERIFY, assessment.cooperative.village_id)
    _check_fresh(assessment, expected_version)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment can be returned."))
    if not reason.strip():
        raise ValidationError({"return_reason": _("Say why the assessment is returned.")})
    bump_version(assessment, expected_version)
    assessment.status = Assessment.Status.DRAFT
    assessment.return_reason = reason.strip()
    assessment.save()
    audit(
        actor=actor,
        action="assessment_return",
        obj=assessment,
        region_code=assessment.cooperative.village_id,
        changes={"status": ["submitted", "draft"]},
        note=reason,
    )
    return assessment


def _dinas_agency(region_code: str):
    """The Dinas Koperasi of the regency of `region_code` (it owns the gap follow-ups).

    Only an agency serving that regency: another regency's Dinas never gets the work."""
    from django.db.models import Case, IntegerField, Q, Value, When

    from kawal.accounts.models import Agency

    regency = region_code[:5]
    agency = (
        Agency.objects.filter(region_id=regency, is_active=True)
        .filter(Q(code__startswith=DINAS_AGENCY_CODE[:6]) | Q(name__icontains="koperasi"))
        .annotate(
            rank=Case(
                When(code=DINAS_AGENCY_CODE, then=Value(0)),
                When(kind=Agency.Kind.DINAS, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "code")
        .first()
    )
    if agency is None:
        raise ValidationError(
            _(
                "The Dinas Koperasi of this regency (%(code)s) is not registered as an agency; "
                "follow-ups need an owner."
            )
            % {"code": regency},
            code="no_agency",
        )
    return agency


@transaction.atomic
def assessment_verify(
    *, actor, assessment: Assessment, expected_version: int | None = None
) -> Assessment:
    """The Dinas verifies; every item below the gap threshold becomes a follow-up.

    Four eyes: whoever assessed the cooperative does not verify the assessment."""
    from kawal.followups.models import FollowUp
    from kawal.followups.services import followup_create

    village_code = assessment.cooperative.village_id
    require(actor, Cap.VERIFY, village_code)
    _check_fresh(assessment, expected_version)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError(
            _("Only a submitted assessment can be verified."), code="not_submitted"
        )
    if assessment.assessor_id == actor.pk:
        raise ValidationError(
            _("You assessed this cooperative yourself; another Dinas officer must verify it."),
            code="four_eyes",
        )
    bump_version(assessment, expected_version)
    assessment.status = Assessment.Status.VERIFIED
    assessment.verified_at = timezone.now()
    assessment.verified_by = actor
    assessment.save()
    audit(
        actor=actor,
        action="assessment_verify",
        obj=assessment,
        region_code=village_code,
        changes={"status": ["submitted", "verified"]},
    )
    gaps = [
        s
        for s in assessment.scores.select_related("item__area")
        if s.score is not None and s.score < GAP_THRESHOLD
    ]
    if gaps:
        agency = _dinas_agency(village_code)
        due = timezone.localdate() + datetime.timedelta(days=GAP_DUE_DAYS)
        for gap in gaps:
            followup_create(
                actor=actor,
                title=(_("Readiness: %(item)s") % {"item": gap.item.text})[:200],
                description=_(
                    "Scored %(score)d of 100 (%(area)s) in the assessment of %(date)s; below %(min)d. %(why)s"
                )
                % {
                    "score": gap.score,
                    "area": gap.item.area.name,
                    "date": tanggal(assessment.assessed_on),
                    "min": GAP_THRESHOLD,
                    "why": gap.explanation or gap.comment,
                },
                owner_agency=agency,
                owner_user=assessment.assessor,
                due_date=due,
                region_code=village_code,
                cooperative=assessment.cooperative,
                source=gap,
                source_kind=FollowUp.SourceKind.ASSESSMENT,
            )
    return assessment
