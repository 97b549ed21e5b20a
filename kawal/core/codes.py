"""Kemendagri region codes (`PP.KK.CC.VVVV`): shape, level, kind and ancestors.

Pure functions, so that scope checks and loaders agree on what a code means.
"""

import re

CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
LEVEL_BY_LENGTH = {2: 1, 5: 2, 8: 3, 13: 4}
# The column of Region (and of anything that copies it) that holds the ancestor of each level.
ANCESTOR_FIELD = {1: "province_code", 2: "regency_code", 3: "district_code", 4: "code"}

PROVINSI, KABUPATEN, KOTA, KECAMATAN = "provinsi", "kabupaten", "kota", "kecamatan"
DESA, KELURAHAN, DESA_ADAT = "desa", "kelurahan", "desa_adat"


def is_valid_code(code: str) -> bool:
    return bool(code) and CODE_RE.match(code) is not None


def level_of(code: str) -> int:
    """1 province, 2 regency/city, 3 district, 4 village; ValueError for a malformed code."""
    if not is_valid_code(code):
        raise ValueError(f"malformed region code: {code!r}")
    return LEVEL_BY_LENGTH[len(code)]


def kind_of(code: str) -> str:
    level = level_of(code)
    if level == 1:
        return PROVINSI
    if level == 2:
        # Permendagri 58/2021: 01-69 kabupaten, 71-99 kota.
        return KOTA if int(code[3:5]) >= 71 else KABUPATEN
    if level == 3:
        return KECAMATAN
    return {"1": KELURAHAN, "2": DESA, "3": DESA_ADAT}.get(code[9], DESA)


def parent_of(code: str) -> str | None:
    level = level_of(code)
    return None if level == 1 else code[: {2: 2, 3: 5, 4: 8}[level]]


def ancestors(code: str) -> dict[str, str]:
    """The copied-ancestor columns for a code: province, regency and district codes."""
    level = level_of(code)
    return {
        "province_code": code[:2],
        "regency_code": code[:5] if level >= 2 else "",
        "district_code": code[:8] if level >= 3 else "",
    }


def covers(grant_code: str | None, code: str | None) -> bool:
    """Whether a grant on `grant_code` (None = national) reaches the region `code`."""
    if grant_code is None:
        return True
    if not code:
        return False
    return code == grant_code or code.startswith(grant_code + ".")


class RegionCodeConverter:
    """The `<region:code>` URL converter, registered in CoreConfig.ready() for every app."""

    regex = r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
