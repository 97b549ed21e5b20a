"""The ministry's NPAK notary list (`NpakReferenceMaster.csv`) imported as it is published.

The file is what the ministry publishes, not what we would like: Windows-1252 (sometimes UTF-8
with or without BOM), `N/A` or `-` for empty cells, quoted addresses over several lines, the
headers `No.HP-1`, `No.HP-2`, `No. Kantor`, `Alamat Kantor`, the seat as free text
(`KAB. KUTAI KARTANEGARA`) and one notary on several rows, each carrying other fields.

    parsed = read_npak(raw_bytes)           # decode, map headers, clean cells, row errors
    plan = plan_npak(parsed, reconciler)    # merge rows per notary, place seats, match stored
    npak_import_commit(actor=..., plan=plan)  # create/update, all or nothing, idempotent

A notary is one (name, seat) after normalisation: case, punctuation, academic titles and the
encoding do not make a second notary; re-importing the same (or a re-encoded) file updates.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from kawal.regions import reconcile

MAX_BYTES = 20 * 1024 * 1024
EMPTY = frozenset({"", "n/a", "na", "-", "--", "---", "null", "none", "tidak ada", "#n/a"})
# header (normalised: letters and digits only) → field
HEADERS = {
    "nama": "name",
    "namanotaris": "name",
    "name": "name",
    "tempatkedudukan": "seat",
    "kedudukan": "seat",
    "kabupatenkota": "seat",
    "provinsi": "province",
    "province": "province",
    "noahu": "ahu_number",
    "nomorahu": "ahu_number",
    "ahunumber": "ahu_number",
    "skpengangkatannotaris": "appointment_decree",
    "skpengangkatan": "appointment_decree",
    "nosk": "appointment_decree",
    "sknumber": "appointment_decree",
    "sertifikatpelatihannpak": "training_certificate",
    "sertifikatnpak": "training_certificate",
    "sertifikat": "training_certificate",
    "certificatetraining": "training_certificate",
    "email": "email",
    "alamatemail": "email",
    "hp1": "phone",
    "nohp1": "phone",
    "nohp": "phone",
    "primaryphone": "phone",
    "hp2": "phone_2",
    "nohp2": "phone_2",
    "secondaryphone": "phone_2",
    "kantor": "office_phone",
    "nokantor": "office_phone",
    "notelpkantor": "office_phone",
    "officetelephone": "office_phone",
    "alamat": "address",
    "alamatkantor": "address",
    "address": "address",
}
PUBLISHED_HEADERS = (
    "Nama",
    "Tempat Kedudukan",
    "Provinsi",
    "No. AHU",
    "SK Pengangkatan Notaris",
    "Sertifikat Pelatihan NPAK",
    "Email",
    "No.HP-1",
    "No.HP-2",
    "No. Kantor",
    "Alamat Kantor",
)
IGNORED = frozenset({"no", "nomor", "nourut"})  # the row number: known, carries nothing
SINGLE_FIELDS = (
    "name",
    "seat",
    "province",
    "ahu_number",
    "appointment_decree",
    "training_certificate",
    "address",
)
PHONE_FIELDS = ("phone", "phone_2", "office_phone")
MAX_LENGTH = {
    "name": 200,
    "seat": 120,
    "province": 120,
    "ahu_number": 120,
    "appointment_decree": 200,
    "training_certificate": 200,
    "phone": 40,
    "phone_2": 40,
    "office_phone": 40,
}
TITLES = frozenset(
    [
        "sh",
        "mkn",
        "mh",
        "se",
        "spn",
        "llm",
        "dr",
        "drs",
        "hj",
        "h",
        "ir",
        "msi",
        "mm",
        "st",
        "ssos",
        "skom",
        "mhum",
        "mba",
        "ma",
        "sp",
        "bsc",
        "ba",
        "spd",
    ]
)


def _header_key(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (value or "").casefold())


def decode(raw: bytes) -> tuple[str | None, str]:
    """(text, encoding): UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252;
    (None, '') when it is none of them (binary, or bytes Windows-1252 leaves undefined)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, ""
    if b"\x00" in raw[:4096]:
        return None, ""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return None, ""
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return None, ""


SPACES = re.compile(r"[ \t]+")


def clean(value) -> str:
    """A cell's text: trimmed, inner runs of spaces single, lines kept; N/A and dashes empty."""
    text = str(value or "").strip()
    if not text:
        return ""
    if "\n" in text or "\r" in text or "\t" in text or "  " in text:
        text = SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
        text = "\n".join(line.strip() for line in text.split("\n"))
    return "" if text.casefold() in EMPTY else text


def name_key(name: str) -> str:
    """A notary's name without case, punctuation, accents or academic titles (which follow the
    first comma in Indonesian usage, and are dropped wherever they stand)."""
    base = name.split(",", 1)[0]
    found = [w for w in reconcile.words(base) if w not in TITLES]
    return "".join(found) or "".join(reconcile.words(name))


def _unmojibake(text: str) -> str:
    """'RenÃ©' (UTF-8 read as Windows-1252) back to 'René'; other text unchanged."""
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _broken_pattern(name: str) -> re.Pattern:
    """A pattern for the keys a name with lost letters (U+FFFD) may have had."""
    parts = name.split(",", 1)[0].split("\ufffd")
    keys = ["".join(w for w in reconcile.words(p) if w not in TITLES) for p in parts]
    return re.compile(".{0,2}".join(re.escape(k) for k in keys))


def phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


@dataclass
class Parsed:
    rows: list[dict] = field(default_factory=list)  # {"_line", "_errors", field: value}
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""


def read_npak(raw: bytes) -> Parsed:
    """Decode, read and clean every row; each row's problems listed with its line number."""
    parsed = Parsed()
    if len(raw) > MAX_BYTES:
        parsed.file_errors.append(_("The file is larger than 20 MB."))
        return parsed
    if raw.startswith(b"PK\x03\x04"):
        parsed.file_errors.append(_("The file is not a CSV text file."))
        return parsed
    text, parsed.encoding = decode(raw)
    if text is None:
        parsed.file_errors.append(
            _("The file's encoding is not known (save it as CSV, UTF-8 or Windows).")
        )
        return parsed
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None) or []
    columns = [HEADERS.get(_header_key(h)) for h in header]
    unknown = [h for h, c in zip(header, columns, strict=True) if h.strip() and c is None]
    unknown = [h for h in unknown if _header_key(h) not in IGNORED]
    if "name" not in columns:
        parsed.file_errors.append(_("Missing required column: Nama"))
        return parsed
    if unknown:
        parsed.warnings.append(
            _("These columns are not read and will not be imported: %(columns)s")
            % {"columns": ", ".join(unknown)}
        )
    line = 2
    for cells in reader:
        start, line = line, line + 1 + sum(c.count("\n") for c in cells)
        values: dict = {}
        for column, cell in zip(columns, cells, strict=False):
            if column is None:
                continue
            value = clean(cell)
            if value and not values.get(column):
                values[column] = value
        if not any(values.values()):
            continue
        parsed.rows.append({"_line": start, "_errors": _row_errors(values), **values})
    if not parsed.rows:
        parsed.file_errors.append(_("The file has no data rows."))
    return parsed


def _row_errors(values: dict) -> list[str]:
    errors = []
    if not values.get("name"):
        errors.append(_("Nama: required"))
    for key, limit in MAX_LENGTH.items():
        if len(values.get(key, "")) > limit:
            errors.append(
                _("%(field)s: longer than %(limit)s characters") % {"field": key, "limit": limit}
            )
    emails = re.split(r"[;,/\s]+", values.get("email", ""))
    good = []
    for email in filter(None, emails):
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("Email: not an e-mail address: %(value)s") % {"value": email})
        else:
            good.append(email.lower())
    values["email"] = good
    return errors


@dataclass
class Notary:
    """One notary of the file: its rows merged field by field."""

    key: str
    lines: list[int]
    values: dict
    phones: list[str]
    emails: list[str]
    regency: str | None = None  # seat placed on a regency code
    province_code: str = ""
    seat_problem: str = ""
    conflicts: list[str] = field(default_factory=list)  # "field: kept X, line N said Y"
    filled_from: dict = field(default_factory=dict)  # field → line it came from
    existing: object = None  # the stored notary it updates
    changes: dict = field(default_factory=dict)


@dataclass
class Plan:
    notaries: list[Notary] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"line", "name", "errors"}
    warnings: list[str] = field(default_factory=list)
    rows: int = 0
    encoding: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.notaries)

    @property
    def merged(self) -> list[Notary]:
        return [n for n in self.notaries if len(n.lines) > 1]

    @property
    def created(self) -> int:
        return sum(1 for n in self.notaries if n.existing is None)

    @property
    def updated(self) -> int:
        return sum(1 for n in self.notaries if n.existing is not None and n.changes)


def plan_npak(parsed: Parsed, reconciler=None) -> Plan:
    """Merge the rows of each notary (same normalised name and placed seat), place the seats,
    and compare with the stored notaries. Nothing is written."""
    from kawal.formation.models import Notary as Stored

    plan = Plan(rows=len(parsed.rows), encoding=parsed.encoding, warnings=list(parsed.warnings))
    if reconciler is None:  # seats are regencies anywhere in the country
        reconciler = reconcile.Reconciler(source="npak", max_level=2)
    seats: dict[tuple[str, str], tuple] = {}
    groups: dict[str, Notary] = {}
    for row in parsed.rows:
        if row["_errors"]:
            plan.errors.append(
                {"line": row["_line"], "name": row.get("name", ""), "errors": row["_errors"]}
            )
            continue
        seat_text, province_text = row.get("seat", ""), row.get("province", "")
        if (seat_text, province_text) not in seats:
            seats[(seat_text, province_text)] = _place_seat(reconciler, seat_text, province_text)
        regency, province_code, problem = seats[(seat_text, province_text)]
        seat_key = regency or reconcile.full_key(seat_text)
        key = f"{name_key(row['name'])}|{seat_key}"
        group = groups.get(key)
        if group is None:
            group = groups[key] = Notary(key, [], {}, [], [], regency, province_code, problem)
        _merge(group, row)
    plan.notaries = list(groups.values())
    stored, broken = {}, []
    for n in Stored.objects.all():  # by the key of the import, else by the key its text gives
        seats = {reconcile.full_key(n.seat), n.regency_id or reconcile.full_key(n.seat)}
        for name in {n.name, _unmojibake(n.name)}:
            for seat in seats:
                stored.setdefault(f"{name_key(name)}|{seat}", n)
        if "\ufffd" in n.name:  # read once with the wrong encoding: letters were lost
            broken.append((_broken_pattern(n.name), seats, n))
        if n.match_key:
            stored[n.match_key] = n
    for notary in plan.notaries:
        name = name_key(notary.values["name"])
        seat = reconcile.full_key(notary.values.get("seat", ""))
        notary.existing = stored.get(notary.key) or stored.get(f"{name}|{seat}")
        if notary.existing is None:
            notary.existing = next(
                (
                    n
                    for pattern, seats, n in broken
                    if pattern.fullmatch(name) and seats & {seat, notary.regency}
                ),
                None,
            )
        notary.changes = _changes(notary)
    return plan


def _place_seat(reconciler, seat: str, province: str) -> tuple[str | None, str, str]:
    if not seat:
        return None, "", _("no seat given")
    parent = "*2"
    if province:
        found = reconciler.in_parent(province, 1, "")
        if found.ok:
            parent = found.code
    match = reconciler.in_parent(seat, 2, parent, fuzzy=parent != "*2")
    if match.ok:
        return match.code, match.code[:2], ""
    return None, "", str(match.problem)


def _merge(group: Notary, row: dict) -> None:
    line = row["_line"]
    group.lines.append(line)
    for key in SINGLE_FIELDS:
        value = row.get(key, "")
        if not value:
            continue
        current = group.values.get(key)
        if not current:
            group.values[key] = value
            group.filled_from[key] = line
        elif reconcile.full_key(current) != reconcile.full_key(value) and key != "name":
            group.conflicts.append(
                _("%(field)s: kept line %(kept)s, line %(line)s says %(value)s")
                % {"field": key, "kept": group.filled_from[key], "line": line, "value": value}
            )
    for key in PHONE_FIELDS:
        value = row.get(key, "")
        if value and phone_key(value) not in {phone_key(p) for p in group.phones}:
            group.phones.append(value)
    for email in row.get("email", []):
        if email not in group.emails:
            group.emails.append(email)


def fields_of(notary: Notary) -> dict:
    """The model fields the plan gives a notary."""
    phones = notary.phones
    values = {k: notary.values.get(k, "") for k in SINGLE_FIELDS}
    values.update(
        phone=phones[0] if phones else "",
        phone_2=phones[1] if len(phones) > 1 else "",
        office_phone=phones[2] if len(phones) > 2 else "",
        more_phones=phones[3:],
        email=notary.emails[0] if notary.emails else "",
        more_emails=notary.emails[1:],
        regency_id=notary.regency,
        province_code=notary.province_code,
        match_key=notary.key,
    )
    return values


def _changes(notary: Notary) -> dict:
    values = fields_of(notary)
    if notary.existing is None:
        return values
    return {
        k: [getattr(notary.existing, k), v]
        for k, v in values.items()
        if getattr(notary.existing, k) != v
    }


def npak_import_commit(*, actor, plan: Plan) -> dict:
    """Create or update every notary of the plan in one transaction, or nothing; an audit row
    for every notary written. A notary already stored under the same key is updated (so an
    encoding fix or a new field updates and never duplicates)."""
    from kawal.core.audit import audit_many
    from kawal.core.scope import Cap, require
    from kawal.formation.models import Notary as Stored
    from kawal.formation.services import home_region

    if not plan.ok:
        raise ValidationError(_("The file has errors; nothing was imported."))
    require(actor, Cap.VERIFY, home_region())
    new, changed = [], []
    for notary in plan.notaries:
        values = fields_of(notary)
        if notary.existing is None:
            new.append((Stored(**values), values))
        elif notary.changes:
            for key, value in values.items():
                setattr(notary.existing, key, value)
            notary.existing.version += 1
            changed.append((notary.existing, notary.changes))
    with transaction.atomic():
        created = Stored.objects.bulk_create([n for n, _v in new], batch_size=1000)
        Stored.objects.bulk_update(
            [n for n, _c in changed], [*fields_of(plan.notaries[0]), "version"], batch_size=500
        )
        region = home_region()
        audit_many(
            actor=actor,
            action="notary_create",
            items=[(n, _plain(v)) for n, (_o, v) in zip(created, new, strict=True)],
            region_code=region,
        )
        audit_many(actor=actor, action="notary_update", items=changed, region_code=region)
    return {
        "created": len(new),
        "updated": len(changed),
        "unchanged": len(plan.notaries) - len(new) - len(changed),
    }


def _plain(values: dict) -> dict:
    return {k: v for k, v in values.items() if v not in ("", [], None) and k != "match_key"}


class NotaryIndex:
    """Notaries by normalised name, for imports that name a notary: the name **and** the seat
    decide; a name alone is accepted only when one notary has it (in the cooperative's province
    when several have it elsewhere)."""

    def __init__(self, notaries):
        self.by_name: dict[str, list] = {}
        for notary in notaries:
            self.by_name.setdefault(name_key(notary.name), []).append(notary)

    def find(self, name: str, seat: str = "", province_code: str = ""):
        """The notary, or ValidationError naming the candidates."""
        found = self.by_name.get(name_key(name), [])
        if seat and found:
            wanted = reconcile.name_key(seat, 2)[1]
            found = [n for n in found if reconcile.name_key(n.seat, 2)[1] == wanted]
        if len(found) > 1 and province_code:
            local = [n for n in found if n.province_code == province_code]
            found = local or found
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                _("npak_name: unknown notary %(name)s%(seat)s")
                % {"name": name, "seat": f" ({seat})" if seat else ""}
            )
        listed = "; ".join(f"{n.name} ({n.seat or '?'})" for n in found[:8])
        raise ValidationError(
            _("npak_name: %(count)s notaries are called %(name)s; give npak_seat: %(list)s")
            % {"count": len(found), "name": name, "list": listed}
        )
