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
from kawal.core.csvfiles import read_csv
from kawal.core.imports import ImportKind, each_row, messages_of
from kawal.core.scope import Cap, can, require
from kawal.formation import services
from kawal.formation import steps as pipeline
from kawal.formation.models import Notary, StepRecord

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
    columns = [
        sp.Column("kode_desa", gettext_lazy("village code (Kemendagri)"), sp.as_region_code, True)
    ]
    for code, (date_col, number_col) in STEP_COLUMNS.items():
        label = pipeline.SHORT_LABELS[code]
        columns.append(sp.Column(date_col, label, sp.as_date))
        if number_col:
            columns.append(sp.Column(number_col, label))
    columns += [
        sp.Column("npak_name", gettext_lazy("NPAK notary of the deed")),
        sp.Column("bank_name", gettext_lazy("bank")),
        sp.Column(
            "tahap_proses",
            gettext_lazy("step in process (code)"),
            sp.as_choice([(c, c) for c in pipeline.ALL_STEP_CODES]),
        ),
        sp.Column("catatan", gettext_lazy("notes on the step in process")),
    ]
    return columns


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
                notary = notaries.get(values["npak_name"].casefold())
                if notary is None:
                    raise ValidationError(
                        _("npak_name: unknown notary %(name)s") % {"name": values["npak_name"]}
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
    codes = {r.values.get("kode_desa") for r in preview.rows if r.ok}
    cooperatives = {
        c.village_id: c
        for c in Cooperative.objects.filter(village_id__in=codes)
        if can(user, Cap.MANAGE, c.village_id)
    }
    notaries = {n.name.casefold(): n for n in Notary.objects.all()}
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


# --- NPAK notaries (CSV) -------------------------------------------------------------------

NOTARY_CSV = {
    "Nama": "name",
    "Tempat Kedudukan": "seat",
    "Provinsi": "province",
    "No. AHU": "ahu_number",
    "SK Pengangkatan Notaris": "appointment_decree",
    "Sertifikat Pelatihan NPAK": "training_certificate",
    "Email": "email",
    "HP1": "phone",
    "HP2": "phone_2",
    "Kantor": "office_phone",
    "Alamat": "address",
}


MAX_NOTARY_BYTES = 5 * 1024 * 1024


def read_notary_csv(upload, kind=None) -> sp.Preview:
    """The NPAK list as a Preview: one Row per record, with its line in the file; UTF-8 (with
    or without BOM) or Windows-1252, `;` or `,` (kawal.core.csvfiles)."""
    preview = sp.Preview(columns=NOTARY_COLUMNS)
    table = read_csv(upload, max_bytes=MAX_NOTARY_BYTES)
    if table.error:
        preview.file_errors.append(table.error)
        return preview
    headers = set(table.headers)
    if "Nama" not in headers:
        preview.file_errors.append(_("Missing required column: Nama"))
        return preview
    seen = {}
    for line, record in table.rows:
        values = {
            field: record.get(header, "")
            for header, field in NOTARY_CSV.items()
            if header in headers
        }
        if not any(values.values()):
            continue
        errors = []
        if not values.get("name"):
            errors.append(_("Nama: required"))
        probe = Notary(**values)
        try:
            probe.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors += [f"{k}: {'; '.join(v)}" for k, v in error.message_dict.items()]
        key = (values.get("name", "").casefold(), values.get("seat", "").casefold())
        if key in seen:
            errors.append(_("the same notary is already on line %(line)s") % {"line": seen[key]})
        seen[key] = line
        preview.rows.append(sp.Row(line=line, values=values, errors=errors))
        if len(preview.rows) > sp.LIMITS.max_rows:
            preview.rows.clear()
            preview.file_errors.append(
                _("More than %(count)s rows; split the file.") % {"count": sp.LIMITS.max_rows}
            )
            return preview
    if not preview.rows:
        preview.file_errors.append(_("The file has no data rows."))
    return preview


def notary_rows(preview, user) -> list[tuple]:
    return [(row.values, row.line) for row in preview.rows]


def notary_import_apply(*, actor, rows) -> dict:
    """Create or update notaries by (name, seat); idempotent. The caller wraps it atomically.
    `rows`: (values, line in the file)."""
    existing = {(n.name.casefold(), n.seat.casefold()): n for n in Notary.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}

    def write(row):
        values = row[0]
        key = (values["name"].casefold(), values.get("seat", "").casefold())
        notary = existing.get(key)
        if notary is None:
            existing[key] = services.notary_save(actor=actor, **values)
            counts["created"] += 1
        else:
            version = notary.version
            services.notary_save(actor=actor, notary=notary, **values)
            counts["updated" if notary.version != version else "unchanged"] += 1

    each_row(rows, write, line=lambda row: row[1])
    return counts


NOTARY_COLUMNS = [sp.Column(header, field) for header, field in NOTARY_CSV.items()]

STEP_KINDS = {
    "tahapan": ImportKind(
        "tahapan",
        gettext_lazy("Formation steps"),
        STEP_IMPORT_COLUMNS,
        step_rows,
        steps_apply,
        natural_key=gettext_lazy("the village code (kode_desa) and the step"),
    )
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
    )
}
