"""XLSX imports of outlets, partnerships and loans, keyed by the village code (kode_desa).

Each import is declared once as an `ImportSpec`: its columns, a row rule (checked in the dry
run) and a row-apply function (called for every row inside one transaction by `commit`), so
the same definitions serve any import page flow.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.cooperatives import services as registry
from kawal.cooperatives.models import Cooperative, Outlet
from kawal.core.imports import ImportKind, each_row
from kawal.core.scope import Cap, scoped
from kawal.core.spreadsheets import (
    Column,
    Preview,
    as_choice,
    as_date,
    as_decimal,
    as_positive_int,
    as_rupiah,
    as_text,
    commit,
    read_table,
)
from kawal.operations import services
from kawal.operations.models import (
    Builder,
    LandStatus,
    Loan,
    MustAct,
    Partner,
    Partnership,
    Stage,
)
from kawal.regions import reconcile
from kawal.regions import services as region_services

MAX_ROWS = 100_000


@dataclass(frozen=True)
class ImportSpec:
    key: str
    title: str
    columns: list
    rule: Callable  # (row, ctx) -> list of errors; may put looked-up objects in row.values
    apply: Callable  # (actor, row) -> None, through the services
    unique: tuple = ("kode_desa",)  # the natural key: twice in one file is an error


def _context(user, preview: Preview) -> dict:
    villages = region_services.place_villages(preview, user=user, source="operations", cap=Cap.EDIT)
    cooperatives = scoped(Cooperative.objects.filter(village_id__in=list(villages)), user, Cap.EDIT)
    partners = Partner.objects.filter(is_active=True)
    return {
        "cooperatives": {c.village_id: c for c in cooperatives.select_related("village")},
        "partners": {p.name.lower(): p for p in scoped(partners, user, path="region")},
        "today": timezone.localdate(),
    }


def _cooperative(row, ctx, errors):
    coop = ctx["cooperatives"].get(row.values["kode_desa"])
    if coop is None:
        errors.append(
            _("kode_desa: no cooperative %(code)s that you may change")
            % {"code": row.values["kode_desa"]}
        )
    row.values["cooperative"] = coop
    date = row.values.get("tanggal")
    if date and date > ctx["today"]:
        errors.append(_("tanggal: the date cannot be in the future"))
    return coop


# --- outlets ---------------------------------------------------------------------------------

OUTLET_COLUMNS = reconcile.with_place(
    Column("jenis_gerai", parse=as_choice(Outlet.Type.choices), required=True),
    Column("tahap", parse=as_choice(Stage.choices), required=True),
    Column("tanggal", parse=as_date, required=True),
    Column("luas_lahan_m2", parse=as_positive_int),
    Column("status_lahan", parse=as_choice(LandStatus.choices)),
    Column("pembangun", parse=as_choice(Builder.choices)),
    Column("progres_persen", parse=as_positive_int),
    Column("hari_buka"),
    Column("jam_buka"),
)


def _outlet_rule(row, ctx):
    errors = []
    coop = _cooperative(row, ctx, errors)
    if coop is None:
        return errors
    outlet = (
        Outlet.objects.filter(cooperative=coop, outlet_type=row.values["jenis_gerai"])
        .exclude(status=Outlet.Status.TUTUP)
        .first()
    )
    row.values["outlet"] = outlet
    stage = row.values["tahap"]
    now = services.current_stage(outlet) if outlet else Stage.PLANNED
    if outlet is not None and stage == now and stage != Stage.BUILDING:
        row.values["skip"] = True
    elif outlet is not None and stage not in services.NEXT_STAGES[now]:
        errors.append(
            _("tahap: from “%(now)s” the outlet cannot go to “%(next)s”")
            % {"now": Stage(now).label, "next": Stage(stage).label}
        )
    elif outlet is None and stage not in (Stage.PLANNED, Stage.LAND):
        errors.append(_("tahap: a new outlet starts as planned or with its land secured"))
    pct = row.values.get("progres_persen")
    if pct is not None and pct > 100:
        errors.append(_("progres_persen: at most 100"))
    return errors


def _outlet_apply(actor, row):
    v = row.values
    outlet = v["outlet"]
    if outlet is None:
        outlet = registry.outlet_create(
            actor=actor, cooperative=v["cooperative"], outlet_type=v["jenis_gerai"]
        )
        if v["tahap"] == Stage.PLANNED:
            return
    if v.get("skip"):
        return
    services.outlet_stage_record(
        actor=actor,
        outlet=outlet,
        stage=v["tahap"],
        happened_on=v["tanggal"],
        land_area_m2=v.get("luas_lahan_m2"),
        land_status=v.get("status_lahan") or "",
        builder=v.get("pembangun") or "",
        progress_pct=v.get("progres_persen"),
        opening_days=v.get("hari_buka") or "",
        opening_hours=v.get("jam_buka") or "",
        note=_("Imported from a spreadsheet."),
        photo=None,
    )


# --- partnerships ----------------------------------------------------------------------------

PARTNERSHIP_COLUMNS = reconcile.with_place(
    Column("mitra", required=True),
    Column("cakupan", required=True),
    Column("tahap", parse=as_choice(Partnership.Stage.choices), required=True),
    Column("tanggal", parse=as_date, required=True),
    Column("hambatan"),
    Column("pihak_bertindak", parse=as_choice(MustAct.choices)),
)


def _partnership_rule(row, ctx):
    errors = []
    coop = _cooperative(row, ctx, errors)
    partner = ctx["partners"].get(as_text(row.values["mitra"]).lower())
    if partner is None:
        errors.append(_("mitra: unknown partner %(name)s") % {"name": row.values["mitra"]})
    row.values["partner"] = partner
    if coop is None or partner is None:
        return errors
    existing = Partnership.objects.filter(
        cooperative=coop, partner=partner, covers__iexact=row.values["cakupan"]
    ).first()
    row.values["partnership"] = existing
    stage = row.values["tahap"]
    if stage == Partnership.Stage.SIGNED:
        errors.append(_("tahap: a signed PKS/MoU is recorded on its page with the document"))
    elif existing is None and stage != Partnership.Stage.EXPLORING:
        errors.append(_("tahap: a new partnership starts at penjajakan"))
    return errors


def _partnership_apply(actor, row):
    v = row.values
    if v["partnership"] is None:
        services.partnership_create(
            actor=actor,
            cooperative=v["cooperative"],
            partner=v["partner"],
            covers=v["cakupan"],
            started_on=v["tanggal"],
            must_act=v.get("pihak_bertindak") or "",
            blocked_reason=v.get("hambatan") or "",
        )
        return
    partnership = v["partnership"]
    if partnership.stage == v["tahap"]:
        return
    services.partnership_step(
        actor=actor,
        partnership=partnership,
        stage=v["tahap"],
        happened_on=v["tanggal"],
        blocked_reason=v.get("hambatan") or "",
        must_act=v.get("pihak_bertindak") or "",
    )


# --- loans -----------------------------------------------------------------------------------

LOAN_COLUMNS = reconcile.with_place(
    Column("bank", required=True),
    Column("jumlah_diajukan", parse=as_rupiah, required=True),
    Column("bunga_persen", parse=as_decimal),
    Column("tenor_bulan", parse=as_positive_int),
    Column("tujuan"),
    Column("tanggal", parse=as_date),
)


def _loan_rule(row, ctx):
    errors = []
    _cooperative(row, ctx, errors)
    bank = ctx["partners"].get(as_text(row.values["bank"]).lower())
    if bank is None or bank.kind != Partner.Kind.BANK:
        errors.append(_("bank: unknown bank %(name)s") % {"name": row.values["bank"]})
    row.values["bank_obj"] = bank
    amount = row.values["jumlah_diajukan"]
    if amount is not None and amount <= 0:
        errors.append(_("jumlah_diajukan: the amount must be more than zero"))
    return errors


def _loan_apply(actor, row):
    """A KMP has at most one running proposal or loan per bank: a row finds it and updates what
    differs (nothing at all on an identical re-import), or creates the proposal."""
    v = row.values
    fields = {"purpose": v.get("tujuan") or ""}
    if v.get("bunga_persen") is not None:
        fields["interest_pct"] = v["bunga_persen"]
    if v.get("tenor_bulan"):
        fields["term_months"] = v["tenor_bulan"]
    running = (
        Loan.objects.filter(cooperative=v["cooperative"], bank=v["bank_obj"])
        .exclude(status__in=(Loan.Status.PAID, Loan.Status.REJECTED))
        .order_by("-pk")
        .first()
    )
    if running is not None:
        fields["amount_requested"] = v["jumlah_diajukan"]
        changed = {k: new for k, new in fields.items() if getattr(running, k) != new}
        if changed:
            services.loan_update(actor=actor, loan=running, **changed)
        return
    services.loan_create(
        actor=actor,
        cooperative=v["cooperative"],
        bank=v["bank_obj"],
        amount_requested=v["jumlah_diajukan"],
        on=v.get("tanggal"),
        **fields,
    )


SPECS = {
    "gerai": ImportSpec(
        "gerai",
        gettext_lazy("Outlets"),
        OUTLET_COLUMNS,
        _outlet_rule,
        _outlet_apply,
        unique=("kode_desa", "jenis_gerai"),
    ),
    "kemitraan": ImportSpec(
        "kemitraan",
        gettext_lazy("Partnerships"),
        PARTNERSHIP_COLUMNS,
        _partnership_rule,
        _partnership_apply,
        unique=("kode_desa", "mitra", "cakupan"),
    ),
    "pinjaman": ImportSpec(
        "pinjaman",
        gettext_lazy("Loans"),
        LOAN_COLUMNS,
        _loan_rule,
        _loan_apply,
        unique=("kode_desa", "bank"),
    ),
}


def import_preview(*, user, spec: ImportSpec, upload) -> Preview:
    preview = read_table(upload, spec.columns, max_rows=MAX_ROWS)
    if preview.file_errors:
        return preview
    _check(spec, preview, user)
    return preview


def _check(spec: ImportSpec, preview: Preview, user) -> None:
    ctx = _context(user, preview)
    preview.check(lambda row: spec.rule(row, ctx))
    preview.check_unique(*spec.unique)


def import_commit(*, user, spec: ImportSpec, preview: Preview) -> int:
    """Every row through the services in one transaction, or none (a row error names its line)."""

    def apply(rows):
        for row in rows:
            try:
                spec.apply(user, row)
            except ValidationError as error:
                raise ValidationError(
                    _("Line %(line)s: %(errors)s")
                    % {"line": row.line, "errors": "; ".join(error.messages)}
                ) from error
        return len(rows)

    return commit(preview, apply)


# --- The one import page (core.imports): every spec as an import kind -----------------------

NATURAL_KEYS = {
    "gerai": gettext_lazy("the village code (kode_desa) and the outlet type"),
    "kemitraan": gettext_lazy("the village code (kode_desa) and the partner"),
    "pinjaman": gettext_lazy(
        "the village code (kode_desa) and the bank: one running proposal or loan per bank"
    ),
}


def _as_kind(spec: ImportSpec) -> ImportKind:
    def check(preview, user):
        _check(spec, preview, user)
        return preview.rows

    def apply(*, actor, rows):
        each_row(rows, lambda row: spec.apply(actor, row), line=lambda row: row.line)
        return len(rows)

    return ImportKind(
        spec.key,
        spec.title,
        spec.columns,
        check,
        apply,
        natural_key=NATURAL_KEYS.get(spec.key, ""),
        max_rows=MAX_ROWS,
    )


KINDS = {key: _as_kind(spec) for key, spec in SPECS.items()}
