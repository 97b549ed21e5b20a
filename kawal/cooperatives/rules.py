"""Rule checks on a cooperative: its name (docs/DOMAIN.md §3 "Naming") and its officers (§5).

The checks never block a save: they are warnings shown on the cooperative page and usable as a
list filter. The same rules exist twice, once in Python (for one cooperative's page, precise
messages) and once as SQL expressions (to filter a list of any size); tests keep them in step.
Where docs/DOMAIN.md marks a rule as uncertain, the threshold is a setting.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Mod
from django.utils.translation import gettext_lazy as _

from kawal.cooperatives.models import Officer, Sex

WARN, INFO = "warn", "info"


def pengurus_min() -> int:
    return getattr(settings, "KAWAL_PENGURUS_MIN", 3)  # the legal minimum (uncertain)


def pengurus_expected() -> int:
    return getattr(settings, "KAWAL_PENGURUS_EXPECTED", 5)  # five in practice


def pengawas_min() -> int:
    return getattr(settings, "KAWAL_PENGAWAS_MIN", 3)  # (uncertain)


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    severity: str = WARN  # "warn" counts for the list filter; "info" is a hint only


# --- Naming --------------------------------------------------------------------------------


def expected_name(
    *, village_name: str, is_kelurahan: bool, is_syariah: bool, kecamatan_name: str = ""
) -> str:
    """'Koperasi [Syariah ]Desa|Kelurahan Merah Putih <village>[ Kecamatan <kecamatan>]'."""
    kind = "Kelurahan" if is_kelurahan else "Desa"
    syariah = "Syariah " if is_syariah else ""
    name = f"Koperasi {syariah}{kind} Merah Putih {village_name}"
    return f"{name} Kecamatan {kecamatan_name}" if kecamatan_name else name


def _normal(name: str) -> str:
    return re.sub(r"\s+", " ", name or "").strip().casefold()


def name_warning(
    *, name: str, village, is_syariah: bool, kecamatan_name: str, shared_name: bool
) -> Warning | None:
    """A warning with the suggested name when `name` does not follow the naming rule.

    `shared_name`: another village of the same regency has the same name, so the kecamatan
    must be added to tell them apart.
    """
    suggestion = expected_name(
        village_name=village.name,
        is_kelurahan=village.kind == "kelurahan",
        is_syariah=is_syariah,
        kecamatan_name=kecamatan_name if shared_name else "",
    )
    if _normal(name) == _normal(suggestion):
        return None
    return Warning(
        "name_rule",
        _("The name does not follow the naming rule. Suggested name: %(name)s")
        % {"name": suggestion},
    )


# --- Officers ------------------------------------------------------------------------------


def officer_warnings(officers) -> list[Warning]:
    """Checks on the active officers of one cooperative (docs/DOMAIN.md §5)."""
    active = [o for o in officers if o.is_active]
    if not active:
        return [Warning("no_officers", _("No pengurus or pengawas recorded yet."))]
    pengurus = [o for o in active if o.body == Officer.Body.PENGURUS]
    pengawas = [o for o in active if o.body == Officer.Body.PENGAWAS]
    found: list[Warning] = []
    n = len(pengurus)
    if n < pengurus_min():
        found.append(
            Warning(
                "pengurus_too_few",
                _("Only %(n)s pengurus: at least %(min)s are required.")
                % {"n": n, "min": pengurus_min()},
            )
        )
    if n % 2 == 0:
        found.append(
            Warning(
                "pengurus_even",
                _("The number of pengurus (%(n)s) must be odd.") % {"n": n},
            )
        )
    if n >= pengurus_min() and n % 2 and n != pengurus_expected():
        found.append(
            Warning(
                "pengurus_not_expected",
                _("%(n)s pengurus; %(expected)s is the usual composition.")
                % {"n": n, "expected": pengurus_expected()},
                INFO,
            )
        )
    officials = [o for o in pengurus if o.is_village_official or o.is_bpd_member]
    if officials:
        found.append(
            Warning(
                "pengurus_official",
                _("Village officials and BPD members may not be pengurus: %(names)s.")
                % {"names": ", ".join(o.name for o in officials)},
            )
        )
    if not any(
        o.is_village_head and o.position == Officer.Position.KETUA_PENGAWAS for o in pengawas
    ):
        found.append(
            Warning(
                "pengawas_chair",
                _("The kepala desa / lurah must chair the pengawas (ex officio)."),
            )
        )
    if len(pengawas) < pengawas_min():
        found.append(
            Warning(
                "pengawas_too_few",
                _("Only %(n)s pengawas: at least %(min)s are expected.")
                % {"n": len(pengawas), "min": pengawas_min()},
            )
        )
    tied = [o for o in active if o.family_ties.strip()]
    if tied:
        found.append(
            Warning(
                "family_ties",
                _("First-degree family ties declared between officers: %(ties)s.")
                % {"ties": "; ".join(f"{o.name} ({o.family_ties.strip()})" for o in tied)},
            )
        )
    if not any(o.sex == Sex.FEMALE for o in active):
        found.append(Warning("no_women", _("No woman among the pengurus and pengawas.")))
    return found


# --- The same rules in SQL, for the list filter ----------------------------------------------


def _officer_count(*conditions, **filters):
    rows = (
        Officer.objects.filter(*conditions, cooperative=OuterRef("pk"), is_active=True, **filters)
        .order_by()
        .values("cooperative")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _expected_name_sql(with_kecamatan: bool):
    parts = [
        Value("Koperasi "),
        Case(When(is_syariah=True, then=Value("Syariah ")), default=Value("")),
        Case(When(village__kind="kelurahan", then=Value("Kelurahan")), default=Value("Desa")),
        Value(" Merah Putih "),
        F("village__name"),
    ]
    if with_kecamatan:
        parts += [Value(" Kecamatan "), F("village__parent__name")]
    return Concat(*parts)


def with_rule_flags(queryset):
    """Annotate `has_warnings` (a warning-level rule is broken) on a Cooperative queryset."""
    from kawal.regions.models import Region

    shared = Exists(
        Region.objects.filter(
            regency_code=OuterRef("village__regency_code"),
            level=4,
            name=OuterRef("village__name"),
        ).exclude(code=OuterRef("village_id"))
    )
    queryset = queryset.annotate(
        _n_pengurus=_officer_count(body=Officer.Body.PENGURUS),
        _n_pengawas=_officer_count(body=Officer.Body.PENGAWAS),
        _n_active=_officer_count(),
        _n_officials=_officer_count(
            Q(is_village_official=True) | Q(is_bpd_member=True), body=Officer.Body.PENGURUS
        ),
        _n_women=_officer_count(sex=Sex.FEMALE),
        _n_ties=_officer_count(~Q(family_ties="")),
        _n_head_chair=_officer_count(
            body=Officer.Body.PENGAWAS,
            position=Officer.Position.KETUA_PENGAWAS,
            is_village_head=True,
        ),
        _shared=shared,
        _name_plain=_expected_name_sql(False),
        _name_kec=_expected_name_sql(True),
    )
    name_ok = Q(_shared=False, name__iexact=F("_name_plain")) | Q(
        _shared=True, name__iexact=F("_name_kec")
    )
    broken = (
        Q(_n_active=0)
        | Q(_n_pengurus__lt=pengurus_min())
        | Q(_pengurus_odd=0)
        | Q(_n_officials__gt=0)
        | Q(_n_head_chair=0)
        | Q(_n_pengawas__lt=pengawas_min())
        | Q(_n_ties__gt=0)
        | Q(_n_women=0)
        | ~name_ok
    )
    return queryset.annotate(_pengurus_odd=Mod(F("_n_pengurus"), Value(2))).annotate(
        has_warnings=Case(
            When(broken, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )
