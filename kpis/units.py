"""The catalog's units as the KPI engine uses them (range, decimals, roll-up, label), read once from data/catalog/units.csv."""

from __future__ import annotations

from functools import cache

from loaders.catalog import load_catalog
from loaders.i18n import plural_form
from loaders.units import Unit


@cache
def catalog_units() -> dict[str, Unit]:
    """unit code -> Unit, from the shipped catalog (units.csv, validated by the catalog schema)."""
    return {u.code: u for u in load_catalog().units}


@cache
def _fallback(code: str) -> Unit:
    # A unit outside units.csv (a test case, a store from an older catalog): unbounded, summed,
    # shown as written. The catalog schema refuses such a unit for a real indicator.
    return Unit(
        code=code or "-",
        label_en=code or "-",
        label_fr=code or "-",
        label_ar=code or "-",
        kind="quantity",
        whole=False,
        decimals=2,
        aggregation="sum",
    )


def unit_of(code: str | None) -> Unit:
    """The catalog's Unit of a unit code (a neutral unbounded one when the code is not in units.csv)."""
    code = (code or "").strip()
    return catalog_units().get(code) or _fallback(code)


def known(code: str | None) -> bool:
    return (code or "").strip() in catalog_units()


def aggregation(code: str | None) -> str | None:
    """How regions make a national value: 'sum', 'mean' (population-weighted) or None (never)."""
    how = unit_of(code).aggregation
    return None if how == "none" else how


def is_intensive(code: str | None) -> bool:
    """A value comparable between regions and the nation as is (a percentage, a rank, an index)."""
    return unit_of(code).kind in ("percent", "rank", "index")


def bounds(code: str | None) -> tuple[float, float]:
    """(min, max) of the unit, NaN where unbounded."""
    u = unit_of(code)
    nan = float("nan")
    return (nan if u.min is None else u.min, nan if u.max is None else u.max)


def decimals(code: str | None) -> int | None:
    """The unit's decimals for display (None for a unit outside the catalog: chosen by magnitude)."""
    return unit_of(code).decimals if known(code) else None


def label(code: str | None, lang: str) -> str:
    """The unit as a reader of the language writes it ('emplois', 'مناصب الشغل')."""
    if not code:
        return ""
    return unit_of(code).label(lang) if known(code) else code


def violation(code: str | None, value) -> str | None:
    """Why a stored value cannot be in its unit (see Unit.violation); 'not-whole' is tolerated for
    derived values (a population-weighted mean), so only range and finiteness count here."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "non-finite"
    why = unit_of(code).violation(v)
    return None if why == "not-whole" else why


def counted(code: str | None, number: str, n, lang: str) -> str:
    """A formatted number with its unit in the form the count takes ("1 institut", "2 instituts",
    "معهدان", "5 معاهد", "12 معهدًا"); the number alone for a unit without a label."""
    if not code:
        return number
    if not known(code):
        return f"{number} {code}"
    forms = unit_of(code).forms(lang)
    form = plural_form(forms, n, lang)
    # Forms that place the number themselves ("{n} معاهد") may leave it out ("معهدان": two institutes).
    if any("{n}" in f for f in forms):
        return form.format(n=number)
    return f"{number} {form}"


def counted_label(code: str | None, n, lang: str) -> str:
    """The unit as written after a count of n, without the number (a card shows the number apart)."""
    if not code:
        return ""
    if not known(code):
        return code
    form = plural_form(unit_of(code).forms(lang), n, lang)
    return " ".join(form.replace("{n}", "").split())
