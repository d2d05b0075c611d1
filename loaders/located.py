"""Problems in words: where a row is (file, sheet, row), keys, regions, numbers, units and ranges named in
every language, the parameters of a row-rule problem, and the order a person reads problems in."""

from __future__ import annotations

import math
from functools import lru_cache

from .catalog import CATALOG_DIR, Catalog
from .i18n import LANGS, fmt_number, translator
from .problems import SUMMARY_CODES, Problem
from .units import MAX_MAGNITUDE, UNITS_FILE, Unit, read_units, unit_key, unit_words

# Words for "a count of things": they fit any count unit (jobs, people…) but not %, MAD, ranks.
COUNT_WORDS = ("number", "count", "nombre", "nb", "effectif", "units", "unites", "عدد", "العدد")
_COUNT_KEYS = {unit_key(w) for w in COUNT_WORDS}


@lru_cache(maxsize=1)
def _default_units() -> tuple[Unit, ...]:
    """The catalog's unit vocabulary (data/catalog/units.csv), for callers without a Catalog."""
    return tuple(Unit(**row) for _i, row in read_units(CATALOG_DIR / UNITS_FILE))


def unit_label(unit: str, lang: str, units: tuple[Unit, ...] | None = None) -> str:
    """The catalog unit as the template shows it in a language (its label in units.csv)."""
    by_code = {u.code: u for u in (units or _default_units())}
    return by_code[unit].label(lang) if unit in by_code else unit


def units_match(
    written: str | None, catalog_unit: str, units: tuple[Unit, ...] | None = None
) -> bool:
    """True unless the unit written in the file means something else than the catalog unit."""
    w = unit_key(written)
    if not w:
        return True
    word_to_unit, count_units = unit_words(units or _default_units())
    expected = unit_key(catalog_unit)
    expected = word_to_unit.get(expected, expected)
    if w in _COUNT_KEYS:
        return expected in count_units
    return word_to_unit.get(w, w) == expected


# -- locations and parameters in words ------------------------------------------------------------------


class Located:
    """Turns (file, sheet, row) into the words a person reads, in one language."""

    def __init__(self, catalog: Catalog, lang: str):
        self._ = translator(lang)
        self.lang, self.catalog = lang, catalog
        self._others: dict[str, Located] = {lang: self}
        name_attr = f"name_{lang}" if lang in ("ar", "fr", "en") else "name_en"
        self.regions = {r.iso: getattr(r, name_attr) for r in catalog.regions}

    def where(self, file: str, sheet: str | None, row: int | None) -> str:
        _ = self._
        if sheet:
            return _("{file}, sheet {sheet}, row {row}", file=file, sheet=sheet, row=row)
        return _("{file}, row {row}", file=file, row=row)

    def region(self, iso: str | None) -> str:
        if not iso:
            return self._("National")
        return self.regions.get(iso, iso)

    def key(self, indicator: str, period: str, region: str) -> str:
        return f"{indicator} · {period} · {self.region(region)}"

    def number(self, v) -> str:
        return fmt_number(v, self.lang)

    def local(self, fn) -> dict[str, str]:
        """`fn(located)` in every language: a problem's message renders in any of them."""
        for lang in LANGS:
            self._others.setdefault(lang, Located(self.catalog, lang))
        return {lang: fn(self._others[lang]) for lang in LANGS}

    def every(self, method: str, *args) -> dict[str, str]:
        """`located.method(*args)` in every language."""
        return self.local(lambda lo: getattr(lo, method)(*args))


def sort_problems(problems: list[Problem], files: list[str]) -> list[Problem]:
    """File order, then sheet, row and column as a person reads them; counts of unlisted ones last."""
    order = {f: i for i, f in enumerate(files)}

    def key(p: Problem):
        col = p.column or ""
        return (
            p.code in SUMMARY_CODES,
            order.get(p.file, len(order)),
            p.sheet or "",
            -1 if p.row is None else p.row,
            len(col),
            col,
        )

    return sorted(problems, key=key)


def rule_column(r: dict, code: str, letters: dict) -> str | None:
    """The cell a person must change: the period's cell for a period problem, the region's for a region
    problem, the indicator's for an unknown one; the value's cell otherwise, and where the reader
    recorded no such column (a wide table's period is its value column's header)."""
    role = {
        "bad-period": "period",
        "future-period": "period",
        "unknown-region": "region",
        "region-not-allowed": "region",
        "unknown-indicator": "indicator",
    }.get(code)
    return letters.get(role) or r["col"]


def rule_params(loc: Located, catalog: Catalog, code: str, r: dict) -> dict:
    """The parameters of a row-rule problem (see _ROW_RULES)."""
    ind = r["indicator"]
    if code in ("unknown-indicator", "unknown-region", "bad-period"):
        field = {"unknown-indicator": "indicator", "unknown-region": "region"}.get(code, "period")
        return {"variant": "stored", "value": r[field]}
    if code == "missing-value":
        return {"variant": "stored"}
    if code == "region-not-allowed":
        return {"indicator": ind, "region": loc.local(lambda lo: lo.region(r["region"]))}
    if code == "bad-number":
        return {"variant": "milestone", "indicator": ind, "value": r["value"]}
    if code == "out-of-range":
        return _out_of_range(loc, catalog, ind, r["value"])
    if code == "not-whole":
        return {
            "indicator": ind,
            "unit": loc.local(lambda lo: catalog.unit(ind).label(lo.lang)),
            "value": loc.local(lambda lo: _all_digits(lo, r["value"])),
        }
    return {"period": r["period"]}  # future-period


def _out_of_range(loc: Located, catalog: Catalog, indicator: str, value: float) -> dict:
    """Why a value cannot be stored, naming the range of its unit (units.csv)."""
    if value is None or not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        return {
            "variant": "unusable",
            "value": "∞"
            if value is not None and math.isinf(value)
            else ("NaN" if value is None or math.isnan(value) else f"{value:g}"),
            "limit": f"{MAX_MAGNITUDE:g}",
        }
    unit = catalog.unit(indicator)
    return {
        "value": value,
        "indicator": indicator,
        "unit": loc.local(lambda lo: unit.label(lo.lang)),
        "range": loc.local(lambda lo: range_text(unit, lo)),
    }


def _all_digits(loc: Located, value: float) -> str:
    """A number with every decimal it has (up to 6): 1583.8 must not show as 1,584 when the
    problem is its decimals."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return fmt_number(value, loc.lang, decimals)


def range_text(unit: Unit, loc: Located) -> str:
    """The range of a unit in the reader's language: '0 – 100', '≥ 0', '1 – 250'."""
    lo = None if unit.min is None else loc.number(unit.min)
    hi = None if unit.max is None else loc.number(unit.max)
    if lo is not None and hi is not None:
        return f"{lo} – {hi}"
    if lo is not None:
        return f"≥ {lo}"
    if hi is not None:
        return f"≤ {hi}"
    return "—"
