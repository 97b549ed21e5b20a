"""SIMKOPDES exports, read and written in the ministry's own column names.

Import: one row per cooperative, placed on its village by region reconciliation (codes,
names of province/regency/kecamatan/village, or SIMKOPDES ids via the crosswalk). The status
SIMKOPDES holds only as flags (NPWP, NIB, bank account, RAT) is stored as reported facts
(`ReportedStatus`, with source and report date) beside our own step data, never in it.
Reconciliation: per kecamatan, where the reported flags and our steps disagree.
Export: our data in the same columns.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.cooperatives.models import Cooperative
from kawal.core import spreadsheets as sp
from kawal.core.audit import audit_many
from kawal.core.scope import Cap, require
from kawal.formation.models import ReportedStatus, StepRecord
from kawal.regions import reconcile
from kawal.regions import selectors as region_selectors
from kawal.regions import services as region_services

FLAG_TRUE = {"sudah", "ada", "punya", "memiliki", "terdaftar", "sudah ada", "lengkap"}
FLAG_FALSE = {"belum", "belum ada", "tidak punya", "tidak memiliki", "belum terdaftar"}


def as_flag(value) -> bool | None:
    text = sp.as_text(value).lower()
    if text in FLAG_TRUE:
        return True
    if text in FLAG_FALSE:
        return False
    return sp.as_bool(value)


# flag column → (ReportedStatus field, our step, label)
FLAGS = {
    "has_npwp": ("has_npwp", "npwp", gettext_lazy("NPWP")),
    "has_nib": ("has_nib", "nib", gettext_lazy("NIB")),
    "has_account": ("has_account", "rekening", gettext_lazy("bank account")),
    "rat_held": ("rat_held", None, gettext_lazy("RAT")),
}

COLUMNS = [
    sp.Column("cooperative_id", gettext_lazy("SIMKOPDES cooperative id")),
    sp.Column("name", gettext_lazy("cooperative name"), aliases=("nama_koperasi",)),
    *reconcile.PLACE_COLUMNS,
    sp.Column("npwp_number", gettext_lazy("NPWP number")),
    sp.Column("nib_number", gettext_lazy("NIB number")),
    sp.Column("sk_number", gettext_lazy("SK AHU number")),
    sp.Column("sk_date", gettext_lazy("SK AHU date"), sp.as_date),
    sp.Column("registration_status", gettext_lazy("registration status")),
    sp.Column(
        "has_npwp", gettext_lazy("has NPWP (Ya/Tidak)"), as_flag, aliases=("status_npwp", "npwp")
    ),
    sp.Column(
        "has_nib", gettext_lazy("has NIB (Ya/Tidak)"), as_flag, aliases=("status_nib", "nib")
    ),
    sp.Column(
        "has_account",
        gettext_lazy("has a bank account (Ya/Tidak)"),
        as_flag,
        aliases=("status_rekening", "rekening", "has_bank_account"),
    ),
    sp.Column(
        "rat_held", gettext_lazy("RAT held (Ya/Tidak)"), as_flag, aliases=("status_rat", "rat")
    ),
    sp.Column(
        "tanggal_laporan",
        gettext_lazy("date of the export (default: today)"),
        sp.as_date,
        aliases=("report_date", "updated_at"),
    ),
]
EXPORT_COLUMNS = [
    "cooperative_id",
    "name",
    "kode_desa",
    "provinsi",
    "kabupaten",
    "kecamatan",
    "desa",
    "npwp_number",
    "nib_number",
    "sk_number",
    "sk_date",
    "akta_number",
    "akta_date",
    "has_npwp",
    "has_nib",
    "has_account",
]


def simkopdes_rows(preview, user) -> list[tuple]:
    """Place, find the cooperative (its village, or its SIMKOPDES id in the crosswalk) and
    collect the reported facts; every row's problem listed."""
    villages = region_services.place_villages(preview, user=user, source="simkopdes")
    cooperatives = {
        c.village_id: c for c in Cooperative.objects.filter(village_id__in=list(villages))
    }
    preview.check_unique("kode_desa")
    preview.check_unique("cooperative_id")
    today = timezone.localdate()
    out = []

    def rule(row):
        cooperative = cooperatives.get(row.values["kode_desa"])
        if cooperative is None:
            return [
                _("no cooperative registered for this village, or outside your area: %(code)s")
                % {"code": row.values["kode_desa"]}
            ]
        facts = {
            "reported_on": row.values.get("tanggal_laporan") or today,
            **{field: row.values.get(column) for column, (field, _s, _l) in FLAGS.items()},
            "npwp_number": row.values.get("npwp_number") or "",
            "nib_number": row.values.get("nib_number") or "",
            "sk_number": row.values.get("sk_number") or "",
            "registration_status": (row.values.get("registration_status") or "")[:60],
        }
        if (
            cooperative.simkopdes_id
            and row.values.get("cooperative_id")
            and (cooperative.simkopdes_id != str(row.values["cooperative_id"]))
        ):
            return [
                _("cooperative_id %(id)s differs from the SIMKOPDES id on record (%(ours)s)")
                % {"id": row.values["cooperative_id"], "ours": cooperative.simkopdes_id}
            ]
        out.append((cooperative, facts))
        return None

    preview.check(rule)
    crosswalk = region_services.crosswalk_entries_for(preview)
    return _Prepared(out, crosswalk)


class _Prepared(list):
    def __init__(self, rows, crosswalk):
        super().__init__(rows)
        self.crosswalk = crosswalk


def simkopdes_apply(*, actor, rows) -> dict:
    """Store the reported facts (one per cooperative and report date: a re-import of the same
    export changes nothing) and confirm the SIMKOPDES ids in the crosswalk."""
    created = updated = unchanged = 0
    audits_new, audits_changed = [], []
    for cooperative, _facts in rows:
        require(actor, Cap.MANAGE, cooperative.village_id)
    for cooperative, facts in rows:
        current = ReportedStatus.objects.filter(
            cooperative=cooperative, source="simkopdes", reported_on=facts["reported_on"]
        ).first()
        if current is None:
            current = ReportedStatus.objects.create(
                cooperative=cooperative, source="simkopdes", **facts
            )
            created += 1
            audits_new.append((current, {k: str(v) for k, v in facts.items() if v is not None}))
            continue
        changes = {
            k: [getattr(current, k), v] for k, v in facts.items() if getattr(current, k) != v
        }
        if not changes:
            unchanged += 1
            continue
        for key, value in facts.items():
            setattr(current, key, value)
        current.save()
        updated += 1
        audits_changed.append((current, {k: [str(a), str(b)] for k, (a, b) in changes.items()}))
    region = None
    if rows:
        region = region_selectors.import_scope_code(user=actor)
    audit_many(actor=actor, action="reported_status_create", items=audits_new, region_code=region)
    audit_many(
        actor=actor, action="reported_status_update", items=audits_changed, region_code=region
    )
    region_services.crosswalk_confirm(actor=actor, entries=getattr(rows, "crosswalk", []))
    return {"created": created, "updated": updated, "unchanged": unchanged}


def reconciliation(*, cooperatives) -> list[dict]:
    """Per cooperative: the latest reported flags beside our steps, and where they disagree.
    Two queries whatever the number of cooperatives."""
    cooperatives = list(cooperatives)
    ids = [c.pk for c in cooperatives]
    latest: dict[int, ReportedStatus] = {}
    for report in ReportedStatus.objects.filter(cooperative_id__in=ids).order_by(
        "cooperative_id", "-reported_on"
    ):
        latest.setdefault(report.cooperative_id, report)
    done = set(
        StepRecord.objects.filter(
            cooperative_id__in=ids,
            step__in=[s for _f, s, _l in FLAGS.values() if s],
            status=StepRecord.Status.SELESAI,
        ).values_list("cooperative_id", "step")
    )
    out = []
    for cooperative in cooperatives:
        report = latest.get(cooperative.pk)
        checks = []
        for _column, (field, step, label) in FLAGS.items():
            reported = getattr(report, field) if report else None
            ours = ((cooperative.pk, step) in done) if step else None
            disagree = reported is not None and ours is not None and reported != ours
            checks.append(
                {"label": label, "reported": reported, "ours": ours, "disagree": disagree}
            )
        out.append(
            {
                "cooperative": cooperative,
                "report": report,
                "checks": checks,
                "disagree": any(c["disagree"] for c in checks),
            }
        )
    return out


def export_rows(*, cooperatives):
    """Our data in SIMKOPDES's columns (EXPORT_COLUMNS), streamed page by page."""
    cooperatives = cooperatives.select_related(
        "village", "village__parent", "village__parent__parent", "village__parent__parent__parent"
    )
    batch = []
    for cooperative in cooperatives.order_by("pk").iterator(chunk_size=2000):
        batch.append(cooperative)
        if len(batch) == 2000:
            yield from _export_batch(batch)
            batch = []
    yield from _export_batch(batch)


def _export_batch(batch):
    records: dict[tuple, StepRecord] = {
        (r.cooperative_id, r.step): r
        for r in StepRecord.objects.filter(
            cooperative_id__in=[c.pk for c in batch],
            step__in=("akta", "sk_ahu", "npwp", "nib", "rekening"),
        )
    }

    def number(c, step):
        record = records.get((c.pk, step))
        return record.document_number if record else ""

    def date(c, step):
        record = records.get((c.pk, step))
        return record.completed_on if record and record.completed_on else ""

    def flag(c, step):
        record = records.get((c.pk, step))
        return "Ya" if record and record.status == StepRecord.Status.SELESAI else "Tidak"

    for c in batch:
        village = c.village
        district = village.parent
        regency = district.parent
        yield [
            c.simkopdes_id,
            c.name,
            village.code,
            regency.parent.name,
            regency.name,
            district.name,
            village.name,
            number(c, "npwp"),
            number(c, "nib"),
            number(c, "sk_ahu"),
            date(c, "sk_ahu"),
            number(c, "akta"),
            date(c, "akta"),
            flag(c, "npwp"),
            flag(c, "nib"),
            flag(c, "rekening"),
        ]
