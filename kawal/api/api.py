"""The REST API for other systems (django-ninja; OpenAPI docs at /api/docs).

Every request carries `Authorization: Bearer <token>`; the token's service account holds one
grant in the token's region, so reads and writes go through the same selectors, services and
scope rules (`kawal.core.scope`) as the pages: out of scope = 404, a read-only token writing =
403. Lists are paged by an opaque cursor; each token is rate limited; every write is audited
by the service it calls.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from kawal.api import selectors, services
from kawal.cooperatives import selectors as coop_selectors
from kawal.core.scope import Cap, require
from kawal.formation import services as formation_services


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = services.token_authenticate(token)
        if found is None:
            return None
        if services.rate_limited(found):
            raise HttpError(429, "rate limit exceeded (120 requests per minute)")
        request.api_token = found
        request.user = found.user
        return found


api = NinjaAPI(
    title="Kawal Kopdes API",
    version="1",
    description="Regions, cooperatives with their formation steps, and the SIMKOPDES "
    "crosswalk, within the region of the token. Authorization: Bearer <token>.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "forbidden"}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "not found"}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    messages = (
        {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        if hasattr(exc, "error_dict")
        else [str(m) for m in exc.messages]
    )
    return api.create_response(request, {"detail": messages}, status=422)


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    parent_code: str | None
    is_active: bool


class RegionPage(Schema):
    items: list[RegionOut]
    next_cursor: str | None


class StepOut(Schema):
    step: str
    status: str
    started_on: datetime.date | None
    completed_on: datetime.date | None
    document_number: str
    version: int


class CooperativeOut(Schema):
    id: int
    name: str
    village_code: str
    village_name: str
    scheme: str
    simkopdes_id: str
    steps: list[StepOut]


class CooperativePage(Schema):
    items: list[CooperativeOut]
    next_cursor: str | None


class CrosswalkOut(Schema):
    source: str
    entity: str
    external_id: str
    code: str
    label: str


class CrosswalkPage(Schema):
    items: list[CrosswalkOut]
    next_cursor: str | None


class StepIn(Schema):
    status: str
    started_on: datetime.date | None = None
    completed_on: datetime.date | None = None
    document_number: str = ""
    notes: str = ""
    expected_version: int


def _region(r) -> dict:
    return {
        "code": r.code,
        "name": r.name,
        "level": r.level,
        "kind": r.kind,
        "parent_code": r.parent_id,
        "is_active": r.is_active,
    }


@api.get("/regions", response=RegionPage, tags=["regions"])
def regions(
    request,
    parent: str | None = None,
    level: int | None = None,
    cursor: str | None = None,
    limit: int = 100,
):
    """Regions inside the token's region, optionally the children of `parent` or one level."""
    found = selectors.regions(user=request.user, parent=parent, level=level)
    rows, after = selectors.page(found, key="code", cursor=cursor, limit=limit)
    return {"items": [_region(r) for r in rows], "next_cursor": after}


@api.get("/regions/{code}", response=RegionOut, tags=["regions"])
def region(request, code: str):
    return _region(selectors.region_get(user=request.user, code=code))


def _cooperative(c, steps) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "village_code": c.village_id,
        "village_name": c.village.name,
        "scheme": c.scheme,
        "simkopdes_id": c.simkopdes_id,
        "steps": steps.get(c.pk, []),
    }


@api.get("/cooperatives", response=CooperativePage, tags=["cooperatives"])
def cooperatives(request, region: str | None = None, cursor: str | None = None, limit: int = 100):
    """Cooperatives inside the token's region (or a region below it) with their step status."""
    found = selectors.cooperatives(user=request.user, region=region)
    rows, after = selectors.page(found, key="pk", cursor=cursor, limit=limit, cast=int)
    steps = selectors.step_status(cooperatives=rows)
    return {"items": [_cooperative(c, steps) for c in rows], "next_cursor": after}


@api.get("/cooperatives/{pk}", response=CooperativeOut, tags=["cooperatives"])
def cooperative(request, pk: int):
    found = coop_selectors.cooperative_get(user=request.user, pk=pk)
    return _cooperative(found, selectors.step_status(cooperatives=[found]))


@api.get("/crosswalk", response=CrosswalkPage, tags=["crosswalk"])
def crosswalk(request, source: str | None = None, cursor: str | None = None, limit: int = 100):
    """Outside ids (SIMKOPDES) confirmed against region codes, inside the token's region."""
    found = selectors.crosswalk(user=request.user, source=source)
    rows, after = selectors.page(found, key="pk", cursor=cursor, limit=limit, cast=int)
    items = [
        {
            "source": r.source,
            "entity": r.entity,
            "external_id": r.external_id,
            "code": r.region_id,
            "label": r.label,
        }
        for r in rows
    ]
    return {"items": items, "next_cursor": after}


@api.post("/cooperatives/{pk}/steps/{step}", response={200: StepOut}, tags=["cooperatives"])
def step_update(request, pk: int, step: str, payload: StepIn):
    """Record one formation step through the same service as the step form (order rules,
    evidence rules, stale-version check, audit row)."""
    found = coop_selectors.cooperative_get(user=request.user, pk=pk)
    # A read-only token's account may view but not edit: 403 from the scope module.
    require(request.user, Cap.EDIT, found.village_id)
    record = formation_services.step_update(
        actor=request.user,
        cooperative=found,
        step=step,
        status=payload.status,
        started_on=payload.started_on,
        completed_on=payload.completed_on,
        document_number=payload.document_number,
        notes=payload.notes,
        expected_version=payload.expected_version,
    )
    return {
        "step": record.step,
        "status": record.status,
        "started_on": record.started_on,
        "completed_on": record.completed_on,
        "document_number": record.document_number,
        "version": record.version,
    }
