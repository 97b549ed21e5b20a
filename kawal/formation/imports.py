"""Imports of the formation app: step data (XLSX, SIMKOPDES column names) and the ministry's NPAK
notary list (CSV).

Step data: one row per cooperative, keyed by `kode_desa`. A filled date or number marks the step
done; SIMKOPDES names are used where SIMKOPDES has the field (`akta_number`, `akta_date`,
`npak_name`, `sk_number`, `sk_date`, `bn_number`, `npwp_number`, `nib_number`, `account_number`,
`bank_name`, `meeting_date`). `tahap_proses` names a step that is in process. Each row goes
through the step service, step by step in the scheme's order, so the order rules apply.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.cooperatives.models import Cooperative
from kawal.core import spreadsheets as sp
from kawal.core.imports import ImportKind, each_row, messages_of
from kawal.core.scope import Cap, require
from kawal.formation import npak, services, simkopdes
from kawal.formation import steps as pipeline
from kawal.formation.models import Notary, StepRecord
from kawal.regions import reconcile
from kawal.regions import services as region_services

# step code → (date column, number column); None where the step has no such column.
STEP_COLUMNS = {
    "sosialisasi": ("sosialisasi_date", None),
    "musdesus": ("musdesus_date", None),
    "rapat_pendirian": ("meeting_date", None),
    "reservasi_nama": ("reservasi_nama_date", None),
    "akta": ("akta_date", "akta_number"),
    "sk_ahu": ("sk_date", "sk_number"),
    "berita_negara": ("bn_date", "bn_number"),
    "npwp": ("npwp_date", "npwp_number"),
    "rekening": ("rekening_date", "account_number"),
    "nib": ("nib_date", "nib_number"),
    "simkopdes": ("simkopdes_date", None),
    "lahan": ("lahan_date", None),
    "operasi": ("operasi_date", None),
    "sertifikat_nik": ("sertifikat_nik_date", "nomor_induk_koperasi"),
    "rapat_perubahan": ("rapat_perubahan_date", None),
    "akta_perubahan": ("akta_perubahan_date", "akta_perubahan_number"),
    "sk_perubahan": ("change_sk_date", "change_sk_number"),
    "penilaian_aset": ("penilaian_aset_date", None),
    "rencana_aksi": ("rencana_aksi_date", None),
    "rapat_penggabungan": ("rapat_penggabungan_date", None),
    "masa_keberatan": ("masa_keberatan_date", None),
    "pengalihan_aset": ("pengalihan_aset_date", None),
}


def _step_columns() -> list[sp.Column]:
    columns = [reconcile.PLACE_COLUMNS[0]]
    for code, (date_col, number_col) in STEP_COLUMNS.items():
        label = pipeline.SHORT_LABELS[code]
        columns.append(sp.Column(date_col, label, sp.as_date))
        if number_col:
            columns.append(sp.Column(number_col, label))
    columns += [
        sp.Column("npak_name", gettext_lazy("NPAK notary of the deed")),
        sp.Column(
            "npak_seat",
            gettext_lazy("seat of the notary (tells notaries of the same name apart)"),
            aliases=("npak_kedudukan", "tempat_kedudukan_notaris"),
        ),
        sp.Column("bank_name", gettext_lazy("bank")),
        sp.Column(
            "tahap_proses",
            gettext_lazy("step in process (code)"),
            sp.as_choice([(c, c) for c in pipeline.ALL_STEP_CODES]),
        ),
        sp.Column("catatan", gettext_lazy("notes on the step in process")),
    ]
    return columns + reconcile.PLACE_COLUMNS[1:]


STEP_IMPORT_COLUMNS = _step_columns()


def step_plan(cooperative, values: dict, notaries: dict) -> list[dict]:
    """The step_update calls one row asks for, in the scheme's order."""
    calls = []
    for step in pipeline.steps_for(cooperative.scheme):
        date_col, number_col = STEP_COLUMNS[step.code]
        done_on = values.get(date_col)
        number = values.get(number_col) if number_col else ""
        if step.code == "rekening" and number and values.get("bank_name"):
            number = f"{values['bank_name']} {number}"
        if done_on or number:
            if not done_on:
                raise ValidationError(
                    _("%(column)s: the date is missing for %(step)s")
                    % {"column": date_col, "step": step.label}
                )
            notary = None
            if step.needs_notary and values.get("npak_name"):
                notary = notaries.find(
                    values["npak_name"],
                    values.get("npak_seat", ""),
                    cooperative.village_id[:2],
                )
            calls.append(
                {
                    "step": step.code,
                    "status": StepRecord.Status.SELESAI,
                    "completed_on": done_on,
                    "document_number": number or "",
                    "notary": notary,
                }
            )
    if values.get("tahap_proses"):
        code = values["tahap_proses"]
        if code not in {s.code for s in pipeline.steps_for(cooperative.scheme)}:
            raise ValidationError(_("tahap_proses: this step is not part of the scheme"))
        calls.append(
            {"step": code, "status": StepRecord.Status.PROSES, "notes": values.get("catatan", "")}
        )
    return calls


def step_rows(preview, user) -> list[tuple]:
    villages = region_services.place_villages(preview, user=user, source="steps")
    cooperatives = {
        c.village_id: c for c in Cooperative.objects.filter(village_id__in=list(villages))
    }
    notaries = npak.NotaryIndex(Notary.objects.only("pk", "name", "seat", "province_code"))
    preview.check_unique("kode_desa")
    out = []

    def rule(row):
        cooperative = cooperatives.get(row.values["kode_desa"])
        if cooperative is None:
            return [
                _("kode_desa: no cooperative for this village code, or outside your area: %(code)s")
                % {"code": row.values["kode_desa"]}
            ]
        try:
            calls = step_plan(cooperative, row.values, notaries)
        except ValidationError as error:
            return messages_of(error)
        out.append((cooperative, calls, row.line))
        return None

    preview.check(rule)
    return out


def steps_apply(*, actor, rows) -> dict:
    """Apply the planned step updates; any rule broken rolls the whole file back. A bulk
    import runs the programme: it needs Cap.MANAGE on every row's village."""
    counts = [0, 0, 0]  # created, updated, unchanged
    for cooperative, *_rest in rows:
        require(actor, Cap.MANAGE, cooperative.village_id)

    def write(row):
        cooperative, calls = row[0], row[1]
        current = {r.step: r for r in StepRecord.objects.filter(cooperative=cooperative)}
        # The order rules are checked in both directions (a date may not overtake the steps
        # that depend on it), so a row correcting several dates may need a step written after
        # the ones that follow it: retry what was refused until a pass makes no progress.
        pending = list(calls)
        while pending:
            refused, first_error = [], None
            for call in pending:
                try:
                    with transaction.atomic():
                        found = _apply_call(actor, cooperative, call, current)
                except ValidationError as error:
                    refused.append((call, error))
                    first_error = first_error or error
                    continue
                for i in range(3):
                    counts[i] += found[i]
            if len(refused) == len(pending):
                raise ValidationError(
                    [
                        f"{pipeline.SHORT_LABELS.get(call['step'], call['step'])}: {m}"
                        for call, error in refused
                        for m in messages_of(error)
                    ]
                )
            pending = [call for call, _error in refused]

    each_row(rows, write, line=lambda row: row[2] if len(row) > 2 else None)
    return {"created": counts[0], "updated": counts[1], "unchanged": counts[2]}


def _apply_call(actor, cooperative, call: dict, current: dict) -> tuple[int, int, int]:
    """One step_update of the import (in its own savepoint); (created, updated, unchanged)."""
    record = current.get(call["step"])
    version = record.version if record else 0
    keep = {}
    if record is not None:
        keep = {
            "started_on": record.started_on,
            "notes": record.notes,
            "document_number": record.document_number,
            "notary": record.notary,
            "completed_on": record.completed_on,
        }
    merged = {**keep, **{k: v for k, v in call.items() if v not in (None, "")}}
    saved = services.step_update(
        actor=actor, cooperative=cooperative, expected_version=version, **merged
    )
    current[call["step"]] = saved
    if record is None:
        return 1, 0, 0
    if saved.version != version:
        return 0, 1, 0
    return 0, 0, 1


# --- NPAK notaries (the ministry's CSV as published, read by formation.npak) --------------

NOTARY_COLUMNS = [sp.Column(header, header) for header in npak.PUBLISHED_HEADERS]


def read_notary_csv(upload, kind=None) -> sp.Preview:
    """The NPAK list as a Preview: one Row per record with its line in the file; the parsed
    file rides along for the merge (`npak.read_npak`: encodings, `N/A`, multi-line cells)."""
    upload.seek(0)
    parsed = npak.read_npak(upload.read(npak.MAX_BYTES + 1))
    preview = sp.Preview(columns=NOTARY_COLUMNS)
    preview.file_errors.extend(parsed.file_errors)
    preview.warnings.extend(parsed.warnings)
    for record in parsed.rows:
        values = {k: v for k, v in record.items() if not k.startswith("_")}
        preview.rows.append(sp.Row(line=record["_line"], values=values, errors=record["_errors"]))
    preview.parsed = parsed
    return preview


MERGES_SHOWN = 50


def notary_rows(preview, user) -> npak.Plan:
    """Merge each notary's rows and place its seat; problems go to their lines, the merges are
    shown as notes of the preview."""
    plan = npak.plan_npak(preview.parsed)
    by_line = {row.line: row for row in preview.rows}
    for problem in plan.errors:
        row = by_line.get(problem["line"])
        (row.errors if row is not None else preview.file_errors).extend(problem["errors"])
    preview.warnings.extend(plan.warnings)
    for notary in plan.merged[:MERGES_SHOWN]:
        preview.warnings.append(
            _("%(name)s: lines %(lines)s merged into one notary")
            % {"name": notary.values.get("name", ""), "lines": ", ".join(map(str, notary.lines))}
        )
    if len(plan.merged) > MERGES_SHOWN:
        preview.warnings.append(
            _("…and %(count)s more notaries merged from several lines")
            % {"count": len(plan.merged) - MERGES_SHOWN}
        )
    return plan


def notary_import_apply(*, actor, rows: npak.Plan) -> dict:
    return npak.npak_import_commit(actor=actor, plan=rows)


STEP_KINDS = {
    "tahapan": ImportKind(
        "tahapan",
        gettext_lazy("Formation steps"),
        STEP_IMPORT_COLUMNS,
        step_rows,
        steps_apply,
        natural_key=gettext_lazy("the village code (kode_desa) and the step"),
    ),
    "simkopdes": ImportKind(
        "simkopdes",
        gettext_lazy("SIMKOPDES export"),
        simkopdes.COLUMNS,
        simkopdes.simkopdes_rows,
        simkopdes.simkopdes_apply,
        natural_key=gettext_lazy("the cooperative and the report date"),
    ),
}
NOTARY_KINDS = {
    "npak": ImportKind(
        "npak",
        gettext_lazy("NPAK notaries"),
        NOTARY_COLUMNS,
        notary_rows,
        notary_import_apply,
        natural_key=gettext_lazy("the notary's name and seat (Nama, Tempat Kedudukan)"),
        read=read_notary_csv,
        accept=("csv",),
    )
}
