"""Import a caseload assignment list from XLSX: dry run with row errors, then all or nothing.

Columns (row 1): `username` (the mentor's login), the cooperative's village (`kode_desa` in
any form, or the names of its places, placed by region reconciliation like every import),
`mulai` (start date, YYYY-MM-DD or DD/MM/YYYY; empty = today).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kawal.core.imports import ImportKind, each_row
from kawal.core.scope import Cap
from kawal.core.spreadsheets import Column, Preview, as_date, commit, read_table
from kawal.mentoring import selectors, services
from kawal.mentoring.models import Assignment
from kawal.regions import reconcile
from kawal.regions import services as region_services

COLUMNS = reconcile.with_place(
    Column("username", required=True, aliases=("nama_pengguna", "pendamping")),
    Column("mulai", parse=as_date, aliases=("tanggal_mulai", "mulai_tugas")),
)
MAX_ROWS = 5000


def caseload_preview(*, user, upload) -> Preview:
    preview = read_table(upload, COLUMNS, max_rows=MAX_ROWS)
    if preview.file_errors:
        return preview
    caseload_check(preview, user)
    return preview


def caseload_check(preview: Preview, user) -> list:
    """The rows' own rules (mentor and cooperative in the user's area, not yet assigned, not
    twice in the file, start not in the future); returns the rows for the commit."""
    villages = region_services.place_villages(preview, user=user, source="caseload", cap=Cap.EDIT)
    mentors = {m.user.username: m for m in selectors.mentor_choices(user=user)}
    codes = set(villages)
    coops = {
        c.village_id: c
        for c in selectors.editable_cooperatives(user=user).filter(village_id__in=codes)
    }
    active = set(
        Assignment.objects.filter(
            ended_on__isnull=True, cooperative__village_id__in=codes
        ).values_list("mentor__username", "cooperative__village_id")
    )
    today = timezone.localdate()
    seen = {}

    def rule(row):
        errors = []
        username, code = row.values["username"], row.values["kode_desa"]
        if code not in villages:
            return [region_services.outside_area(code)]
        mentor, coop = mentors.get(username), coops.get(code)
        if mentor is None:
            errors.append(
                _("username: no active mentor %(name)s in your area") % {"name": username}
            )
        if coop is None:
            errors.append(
                _("kode_desa: no cooperative %(code)s that you may assign") % {"code": code}
            )
        if (username, code) in active:
            errors.append(_("already assigned to this mentor"))
        if (username, code) in seen:
            errors.append(_("repeats line %(line)s") % {"line": seen[(username, code)]})
        seen.setdefault((username, code), row.line)
        start = row.values.get("mulai") or today
        if start > today:
            errors.append(_("mulai: the start date is in the future"))
        row.values["mentor"], row.values["cooperative"], row.values["mulai"] = mentor, coop, start
        return errors

    preview.check(rule)
    return preview.rows


def caseload_commit(*, user, preview: Preview) -> list[str]:
    """Write every assignment, or none; returns caseload warnings (above the BA limit)."""

    return commit(preview, lambda rows: caseload_apply(actor=user, rows=rows)["warnings"])


def caseload_apply(*, actor, rows) -> dict:
    def write(row):
        services.assignment_start(
            actor=actor,
            mentor=row.values["mentor"].user,
            cooperative=row.values["cooperative"],
            started_on=row.values["mulai"],
        )

    each_row(rows, write, line=lambda row: row.line)
    mentors = {row.values["mentor"].user for row in rows}
    warnings = [str(w) for w in (services.caseload_warning(m) for m in mentors) if w]
    return {"created": len(rows), "updated": 0, "unchanged": 0, "warnings": warnings}


KINDS = {
    "penugasan": ImportKind(
        "penugasan",
        gettext_lazy("Mentor caseload"),
        COLUMNS,
        caseload_check,
        caseload_apply,
        natural_key=gettext_lazy(
            "the mentor (username) and the cooperative (kode_desa): an active assignment is "
            "never made twice"
        ),
        max_rows=MAX_ROWS,
    )
}
