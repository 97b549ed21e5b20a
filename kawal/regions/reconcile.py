"""Region reconciliation: put a row of someone else's spreadsheet on a Kemendagri code.

A row may carry a code in any form (`64.02.06.1001`, `6402061001`, a code from before a
re-coding), the names of its province, regency, kecamatan and village as people write them,
and the ids of an outside system (SIMKOPDES). `Reconciler.resolve` answers with one `Match`:
the current code and how it was found, or the candidates when it cannot decide, or a conflict
when the code and the names of the row point at different places.

Rules that keep a wrong code out:
* a village is matched by name only inside its kecamatan (or the kecamatan it belonged to
  before a re-coding), never in the regency or the country;
* a name that fits two regions is ambiguous: the candidates go to the review queue;
* fuzzy matching (rapidfuzz) runs only inside the parent, and only accepts a clear winner.

The reconciler reads the regions once and indexes the names per parent, so an import of
80,000 rows costs one pass over the region table plus a dictionary look-up per row.
Pure functions and one class; no writes (the crosswalk and queue writes are in services).
"""

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from kawal.core import codes

ALIASES_CSV = Path(__file__).resolve().parent / "data" / "region_aliases.csv"

# How a row was placed (stored in previews and queue items, never shown raw to users).
CODE = "code"
OLD_CODE = "old_code"
CROSSWALK = "crosswalk"
CONFIRMED = "confirmed"
NAME = "name"
ALIAS = "alias"
OLD_NAME = "old_name"
FUZZY = "fuzzy"
AMBIGUOUS = "ambiguous"
UNRESOLVED = "unresolved"
CONFLICT = "conflict"
PLACED = frozenset({CODE, OLD_CODE, CROSSWALK, CONFIRMED, NAME, ALIAS, OLD_NAME, FUZZY})

LEVELS = (1, 2, 3, 4)
ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7"}
ROMAN |= {"viii": "8", "ix": "9", "x": "10", "xi": "11", "xii": "12"}
# Words people put in front of a name; stripped on both sides before comparing.
PREFIXES = {
    1: (("provinsi",), ("propinsi",), ("prov",)),
    3: (("kecamatan",), ("kec",), ("distrik",)),
    4: (
        ("desa", "adat"),
        ("desa",),
        ("ds",),
        ("kelurahan",),
        ("kalurahan",),
        ("kel",),
        ("kampung",),
        ("kamp",),
        ("gampong",),
        ("nagari",),
    ),
}
REGENCY_WORDS = {"kabupaten": codes.KABUPATEN, "kab": codes.KABUPATEN, "kota": codes.KOTA}
REGENCY_FILLERS = {"administrasi", "adm"}
ABBREVIATIONS = {"kep": "kepulauan", "kepl": "kepulauan", "sei": "sungai", "sui": "sungai"}
FUZZY_ACCEPT = 88  # rapidfuzz ratio of a clear winner
FUZZY_MARGIN = 8  # ...that far ahead of the next candidate
FUZZY_CANDIDATE = 70  # shown as a candidate in the queue
MAX_CANDIDATES = 8


def words(text: str) -> list[str]:
    """Lower-case ASCII words: accents dropped, apostrophes joined (Ma'rang = Marang), every other
    punctuation a space, Roman numerals as digits (Kota Bangun I = Kota Bangun 1)."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    text = re.sub(r"['`\u2019\u2018\u00b4\"]", "", text.casefold())
    found = re.sub(r"[^a-z0-9]+", " ", text).split()
    return [ABBREVIATIONS.get(w, ROMAN.get(w, w)) for w in found]


def _strip_prefix(found: list[str], level: int) -> list[str]:
    for prefix in PREFIXES.get(level, ()):
        if found[: len(prefix)] == list(prefix) and len(found) > len(prefix):
            return found[len(prefix) :]
    return found


def name_key(name: str, level: int) -> tuple[str, str]:
    """(kind hint, key): the key ignores case, spacing, punctuation and the usual prefixes.

    For a regency the hint says whether the text asked for a Kabupaten or a Kota ('' when it
    did not say), since Kabupaten Bekasi and Kota Bekasi are two regions.
    """
    found = words(name)
    hint = ""
    if level == 2:
        if found and found[0] in REGENCY_WORDS and len(found) > 1:
            hint = REGENCY_WORDS[found[0]]
            found = found[1:]
        while found and found[0] in REGENCY_FILLERS and len(found) > 1:
            found = found[1:]
    else:
        found = _strip_prefix(found, level)
    return hint, "".join(found)


def full_key(name: str) -> str:
    return "".join(words(name))


def code_form(value) -> str | None:
    """A Kemendagri code from `64.02.06.1001`, `6402061001`, `64-02-06-1001` or a number typed
    into a spreadsheet; None when the value is not shaped like a code."""
    text = str(value or "").strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not text or re.search(r"[^\d.\-\s/]", text):
        return None
    if codes.is_valid_code(text):
        return text
    digits = re.sub(r"\D", "", text)
    parts = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}.get(len(digits))
    if parts is None:
        return None
    out, at = [], 0
    for size in parts:
        out.append(digits[at : at + size])
        at += size
    return ".".join(out)


@dataclass(frozen=True)
class Match:
    code: str | None
    method: str
    candidates: tuple = ()  # ((code, label), ...)
    problem: str = ""
    # For a name that could not be placed: "<parent searched>|<level>|<key>", the key under
    # which an officer's pick is remembered (Crosswalk source "name").
    where: str = ""

    @property
    def ok(self) -> bool:
        return self.code is not None and self.method in PLACED


@dataclass
class _Region:
    code: str
    name: str
    level: int
    parent: str
    kind: str
    active: bool
    replaced_by: str | None


@dataclass
class Query:
    """What one row says about its place. Names by level; any code form; outside ids."""

    code: str = ""
    province: str = ""
    regency: str = ""
    district: str = ""
    village: str = ""
    external: dict = field(default_factory=dict)  # {entity: id} of `source`
    level: int | None = None  # the level wanted (default: the deepest level given)

    def names(self) -> dict[int, str]:
        given = {1: self.province, 2: self.regency, 3: self.district, 4: self.village}
        return {level: str(v).strip() for level, v in given.items() if str(v or "").strip()}


ENTITY_LEVEL = {"province": 1, "district": 2, "subdistrict": 3, "village": 4}


class Reconciler:
    """Indexes of the regions (active and retired), their old codes, aliases and the crosswalk.

    `regions`, `changes`, `crosswalk` can be given directly (tests, benchmarks); by default they
    are read from the database, limited to `within` (a region code and its subtree).
    """

    def __init__(
        self,
        *,
        within: str | None = None,
        source: str = "simkopdes",
        regions=None,
        changes=None,
        crosswalk=None,
        aliases=None,
        max_level: int = 4,
    ):
        self.source = source
        # The import's own region: names that start below it (a Dinas file naming only the
        # kecamatan and the village) are looked up inside it.
        self.within = within or ""
        if regions is None:
            regions, changes, crosswalk = _read_database(within, source, max_level)
        self.regions: dict[str, _Region] = {}
        for row in regions:
            region = _Region(*row)
            self.regions[region.code] = region
        # old code → (new code, old name, old district)
        self.changes: dict[str, tuple[str, str, str]] = {
            old: (new, old_name, old_district)
            for old, new, old_name, old_district in (changes or [])
        }
        # (entity, external id) → code; the `name` crosswalk: (parent|key) → code
        self.external: dict[tuple[str, str], str] = {}
        self.confirmed: dict[str, str] = {}
        for src, entity, external_id, code in crosswalk or []:
            if src == "name":
                self.confirmed[external_id] = code
            elif src == source:
                self.external[(entity, external_id)] = code
        self._index(aliases if aliases is not None else _read_aliases())

    # --- indexes ---------------------------------------------------------------------------

    def _index(self, aliases) -> None:
        # parent → key → {code: method}; '' is the country, '*2' all regencies of the country
        self.by_key: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        self.by_full: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.children: dict[str, list[str]] = defaultdict(list)
        for region in self.regions.values():
            if not region.active:
                continue
            _hint, key = name_key(region.name, region.level)
            for parent in self._parents_for(region):
                self.by_key[parent][key].setdefault(region.code, NAME)
                self.by_full[parent][full_key(region.name)].add(region.code)
            self.children[region.parent].append(region.code)
        for old_code, (new_code, old_name, old_district) in self.changes.items():
            new = self.regions.get(new_code)
            if new is None or not old_name:
                continue
            key = name_key(old_name, new.level)[1]
            for parent in {old_district or codes.parent_of(old_code) or "", new.parent}:
                self.by_key[parent][key].setdefault(new_code, OLD_NAME)
        for code, alias in aliases:
            region = self.regions.get(code)
            if region is None or not region.active:
                continue
            key = name_key(alias, region.level)[1]
            for parent in self._parents_for(region):
                self.by_key[parent][key].setdefault(code, ALIAS)
        self._fuzzy_choices: dict[str, tuple[list[str], list[str]]] = {}

    @staticmethod
    def _parents_for(region: _Region) -> tuple[str, ...]:
        if region.level == 2:
            return (region.parent, "*2")
        return (region.parent or "",)

    def label(self, code: str) -> str:
        """'Desa Loa Ipuh, Kec. Tenggarong, Kabupaten Kutai Kartanegara'."""
        parts = []
        current = self.regions.get(code)
        while current is not None and current.level >= 2:
            if current.level == 4:
                word = _("Kelurahan") if current.kind == codes.KELURAHAN else _("Desa")
                parts.append(f"{word} {current.name}")
            elif current.level == 3:
                parts.append(_("Kec. %(name)s") % {"name": current.name})
            else:
                parts.append(current.name)
            current = self.regions.get(current.parent)
        return ", ".join(parts) or code

    def _candidates(self, found) -> tuple:
        return tuple((c, self.label(c)) for c in sorted(found)[:MAX_CANDIDATES])

    # --- codes -----------------------------------------------------------------------------

    def by_code(self, value) -> Match:
        code = code_form(value)
        if code is None:
            return Match(None, UNRESOLVED, problem=_("not a region code: %s") % value)
        region = self.regions.get(code)
        if region is not None and region.active:
            return Match(code, CODE)
        if code in self.changes:
            return Match(self._follow(self.changes[code][0]), OLD_CODE)
        if region is not None and region.replaced_by:
            return Match(self._follow(region.replaced_by), OLD_CODE)
        if region is not None:
            return Match(None, UNRESOLVED, problem=_("the region %s no longer exists") % code)
        return Match(None, UNRESOLVED, problem=_("unknown region code %s") % code)

    def _follow(self, code: str) -> str:
        """Follow re-codings to the current code (a code may have moved twice)."""
        seen = set()
        while code not in seen:
            seen.add(code)
            region = self.regions.get(code)
            if region is not None and region.active:
                return code
            if code in self.changes:
                code = self.changes[code][0]
            elif region is not None and region.replaced_by:
                code = region.replaced_by
            else:
                return code
        return code

    # --- names -----------------------------------------------------------------------------

    def in_parent(self, name: str, level: int, parent: str, *, fuzzy: bool = True) -> Match:
        """One region of `level` named `name` under `parent` ('' = the country; for a regency
        '*2' = any province)."""
        hint, key = name_key(name, level)
        if not key:
            return Match(None, UNRESOLVED, problem=_("empty name"))
        confirmed = self.confirmed.get(f"{parent}|{level}|{key}")
        if confirmed:
            return Match(self._follow(confirmed), CONFIRMED)
        found = self.by_key.get(parent, {}).get(key, {})
        if hint:
            found = {c: m for c, m in found.items() if self.regions[c].kind == hint}
        if level == 2 and not found:  # "KOTA WARINGIN BARAT" is Kabupaten Kotawaringin Barat
            found = dict(self.by_key.get(parent, {}).get(full_key(name), {}))
        if len(found) > 1:  # the full name (prefix and all) may still tell them apart
            exact = self.by_full.get(parent, {}).get(full_key(name), set()) & set(found)
            if len(exact) == 1:
                found = {c: found[c] for c in exact}
        if len(found) == 1:
            code, method = next(iter(found.items()))
            return Match(code, method)
        where = f"{parent}|{level}|{key}"
        if len(found) > 1:
            return Match(
                None,
                AMBIGUOUS,
                self._candidates(found),
                _("%(name)s fits %(count)s regions") % {"name": name, "count": len(found)},
                where,
            )
        if fuzzy and parent != "*2":
            return self._fuzzy(name, key, level, parent)
        return Match(
            None, UNRESOLVED, problem=_("%(name)s not found") % {"name": name}, where=where
        )

    def _fuzzy(self, name: str, key: str, level: int, parent: str) -> Match:
        if parent not in self._fuzzy_choices:
            keys, codes_ = [], []
            for k, found in self.by_key.get(parent, {}).items():
                for code in found:
                    if self.regions[code].level == level:
                        keys.append(k)
                        codes_.append(code)
            self._fuzzy_choices[parent] = (keys, codes_)
        keys, codes_ = self._fuzzy_choices[parent]
        scored = process.extract(key, keys, scorer=fuzz.ratio, limit=6)
        best: dict[str, float] = {}
        for _choice, score, index in scored:
            code = codes_[index]
            best[code] = max(best.get(code, 0), score)
        ranked = sorted(best.items(), key=lambda item: -item[1])
        clear = len(ranked) == 1 or (
            len(ranked) > 1 and ranked[1][1] <= ranked[0][1] - FUZZY_MARGIN
        )
        if ranked and ranked[0][1] >= FUZZY_ACCEPT and len(key) >= 5 and clear:
            return Match(ranked[0][0], FUZZY)
        shown = [c for c, score in ranked if score >= FUZZY_CANDIDATE]
        where = f"{parent}|{level}|{key}"
        if shown:
            return Match(
                None,
                AMBIGUOUS,
                tuple((c, self.label(c)) for c in shown[:MAX_CANDIDATES]),
                _("%(name)s not found exactly; similar names exist") % {"name": name},
                where,
            )
        return Match(
            None, UNRESOLVED, problem=_("%(name)s not found") % {"name": name}, where=where
        )

    def _agrees(self, code: str, level: int, name: str, old_code: str | None) -> bool:
        """Whether `name` is a fair spelling of the ancestor of `code` at `level` (or of the
        ancestor of the old code the row gave)."""
        _hint, key = name_key(name, level)
        for origin in filter(None, (code, old_code)):
            if codes.level_of(origin) < level:
                continue
            ancestor = origin[: {1: 2, 2: 5, 3: 8, 4: 13}[level]]
            if self.by_key.get(self._parent_key(ancestor), {}).get(key, {}).get(ancestor):
                return True
            region = self.regions.get(ancestor)
            if region is not None:
                official = name_key(region.name, level)[1]
                if official == key or fuzz.ratio(official, key) >= FUZZY_ACCEPT:
                    return True
            change = self.changes.get(ancestor)
            if change and name_key(change[1], level)[1] == key:
                return True
        return False

    def _parent_key(self, code: str) -> str:
        region = self.regions.get(code)
        return region.parent if region is not None else (codes.parent_of(code) or "")

    # --- one row ---------------------------------------------------------------------------

    def resolve(self, query: Query) -> Match:
        names = query.names()
        level = query.level or max([*names, *(ENTITY_LEVEL.get(e, 4) for e in query.external), 0])
        if query.code:
            match = self.by_code(query.code)
            if match.ok:
                return self._check_names(match, names, code_form(query.code))
            if not names and not query.external:
                return match
        external = self._by_external(query)
        if external is not None:
            if external.ok:
                return self._check_names(external, names, None)
            return external
        if level == 0 or not names:
            return Match(None, UNRESOLVED, problem=_("no code and no names"))
        return self._by_names(names, level, start=self._start(names))

    def _start(self, names: dict) -> tuple[str, int]:
        """Where a walk down the names begins: the country, or the import's own region when
        the row's first name lies just below it (or, for a village, two levels below)."""
        if not self.within:
            return "", 0
        within_level = codes.level_of(self.within)
        top = min(names)
        if top == within_level + 1 or (top == 4 and within_level == 2):
            return self.within, within_level
        return "", 0

    def _by_external(self, query: Query) -> Match | None:
        found = {}
        for entity, external_id in query.external.items():
            external_id = str(external_id or "").strip()
            if not external_id:
                continue
            code = self.external.get((entity, external_id))
            if code is not None:
                found[entity] = self._follow(code)
        if not found:
            return None
        # The deepest entity wins; the others must lie above it.
        deepest = max(found.values(), key=len)
        for code in found.values():
            if not codes.covers(code, deepest):
                return Match(
                    None,
                    CONFLICT,
                    self._candidates(set(found.values())),
                    _("the outside ids point at different regions"),
                )
        return Match(deepest, CROSSWALK)

    def _check_names(self, match: Match, names: dict, old_code: str | None) -> Match:
        """A code (or outside id) and the names of the same row must agree."""
        for level, name in names.items():
            if codes.level_of(match.code) < level:
                continue
            if not self._agrees(match.code, level, name, old_code):
                top = min(names)
                start = match.code[: {1: 0, 2: 2, 3: 5, 4: 8}[top]]
                by_names = self._by_names(names, max(names), start=(start, top - 1))
                shown = {match.code} | ({by_names.code} if by_names.ok else set())
                return Match(
                    None,
                    CONFLICT,
                    self._candidates(shown),
                    _("the code %(code)s is %(label)s, but the row names %(name)s")
                    % {"code": match.code, "label": self.label(match.code), "name": name},
                )
        return match

    def _by_names(self, names: dict[int, str], level: int, start=("", 0)) -> Match:
        """Walk down the levels the row names; each name is looked up under the region found
        one level up. A village needs its kecamatan."""
        (parent, parent_level), method = start, NAME
        for current in LEVELS:
            if current > level:
                break
            name = names.get(current)
            if not name:
                continue
            if current == 4 and parent_level != 3:
                return self._village_without_district(name, parent)
            if current == 3 and parent_level < 2:
                return Match(None, UNRESOLVED, problem=_("a kecamatan needs its regency"))
            scope = parent if (current - parent_level == 1 or current == 1) else None
            if current == 2 and parent_level == 0:
                scope = "*2"
            if scope is None:
                return Match(None, UNRESOLVED, problem=_("a level is missing between names"))
            match = self.in_parent(name, current, scope)
            if not match.ok:
                return match
            parent, parent_level = match.code, current
            if match.method != NAME:
                method = match.method
        if parent_level != level:
            return Match(None, UNRESOLVED, problem=_("not enough names to place the row"))
        return Match(parent, method)

    def _village_without_district(self, name: str, within: str) -> Match:
        """No kecamatan given: never guess, list the villages of that name as candidates."""
        _hint, key = name_key(name, 4)
        where = f"{within}|4|{key}"
        if within and where in self.confirmed:
            return Match(self._follow(self.confirmed[where]), CONFIRMED)
        found = set()
        if within:
            for district in self.children.get(within, []):
                found |= set(self.by_key.get(district, {}).get(key, {}))
        return Match(
            None,
            AMBIGUOUS if found else UNRESOLVED,
            self._candidates(found),
            _("a village is only matched within its kecamatan; the row names none"),
            where if within else "",
        )


def _read_aliases() -> list[tuple[str, str]]:
    with open(ALIASES_CSV, encoding="utf-8", newline="") as handle:
        return [(row["code"].strip(), row["alias"].strip()) for row in csv.DictReader(handle)]


def _read_database(within: str | None, source: str, max_level: int = 4):
    from django.db.models import Q

    from kawal.regions.models import Crosswalk, Region, RegionCodeChange

    regions = Region.objects.filter(level__lte=max_level)
    changes = RegionCodeChange.objects.all()
    crosswalk = Crosswalk.objects.filter(source__in=[source, "name"])
    if within:
        field = codes.ANCESTOR_FIELD[codes.level_of(within)]
        ancestors = [within[:n] for n in (2, 5, 8) if n < len(within)]
        regions = regions.filter(Q(**{field: within}) | Q(code__in=ancestors))
        changes = changes.filter(new_region__code__startswith=within)
        crosswalk = crosswalk.filter(region__code__startswith=within)
    rows = regions.values_list(
        "code", "name", "level", "parent_id", "kind", "is_active", "replaced_by_id"
    ).iterator(chunk_size=10000)
    regions_rows = [(c, n, lv, p or "", k, a, r) for c, n, lv, p, k, a, r in rows]
    change_rows = list(
        changes.values_list("old_code", "new_region_id", "old_name", "old_district_code")
    )
    crosswalk_rows = list(crosswalk.values_list("source", "entity", "external_id", "region_id"))
    return regions_rows, change_rows, crosswalk_rows


# --- the columns any import may carry to say where a row belongs ----------------------------


def _columns():
    from django.utils.translation import gettext_lazy

    from kawal.core import spreadsheets as sp

    return [
        sp.Column(
            "kode_desa",
            gettext_lazy("village code (Kemendagri; any form, old codes too)"),
            sp.as_text,
            aliases=(
                "kode_wilayah",
                "kode_kemendagri",
                "village_code",
                "kode",
                "kode_desa/kelurahan",
                "kode_desa_kelurahan",
                "kode_kelurahan",
                "kd_desa",
                "kode_desa_kemendagri",
            ),
        ),
        sp.Column(
            "provinsi",
            gettext_lazy("province name"),
            aliases=("province", "province_name", "nama_provinsi", "propinsi", "prov"),
        ),
        sp.Column(
            "kabupaten",
            gettext_lazy("regency or city name"),
            aliases=(
                "kabupaten_kota",
                "kabupaten/kota",
                "kab/kota",
                "district_name",
                "regency",
                "nama_kabupaten",
                "nama_kabupaten/kota",
                "kab",
                "kota",
            ),
        ),
        sp.Column(
            "kecamatan",
            gettext_lazy("kecamatan name"),
            aliases=("subdistrict", "subdistrict_name", "nama_kecamatan", "distrik", "kec"),
        ),
        sp.Column(
            "desa",
            gettext_lazy("village name"),
            aliases=(
                "desa_kelurahan",
                "desa/kelurahan",
                "village",
                "village_name",
                "nama_desa",
                "nama_desa/kelurahan",
                "nama_desa_kelurahan",
                "kelurahan",
                "nama_kelurahan",
                "desa/kel",
            ),
        ),
        sp.Column("provinceId", gettext_lazy("SIMKOPDES province id"), aliases=("province_id",)),
        sp.Column("districtId", gettext_lazy("SIMKOPDES regency id"), aliases=("district_id",)),
        sp.Column(
            "subdistrictId", gettext_lazy("SIMKOPDES kecamatan id"), aliases=("subdistrict_id",)
        ),
        sp.Column("villageId", gettext_lazy("SIMKOPDES village id"), aliases=("village_id",)),
    ]


PLACE_COLUMNS = _columns()


def with_place(*columns) -> list:
    """An import's columns with the place columns every import accepts: `kode_desa` first,
    then the kind's own columns, then the names and SIMKOPDES ids (their order in templates)."""
    return [PLACE_COLUMNS[0], *columns, *PLACE_COLUMNS[1:]]


EXTERNAL_COLUMNS = {
    "provinceId": "province",
    "districtId": "district",
    "subdistrictId": "subdistrict",
    "villageId": "village",
}


def query_from_values(values: dict, *, level: int = 4) -> Query:
    return Query(
        code=values.get("kode_desa") or "",
        province=values.get("provinsi") or "",
        regency=values.get("kabupaten") or "",
        district=values.get("kecamatan") or "",
        village=values.get("desa") or "",
        external={e: values.get(c) for c, e in EXTERNAL_COLUMNS.items() if values.get(c)},
        level=level,
    )
