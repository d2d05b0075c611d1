"""The unit vocabulary: one row per catalog unit (labels, spellings, kind, valid range, decimals, roll-up) read from data/catalog/units.csv."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import field_validator, model_validator

from .catalog_fields import OptionalFloat, Strict, Text, YesNo

UNITS_FILE = "units.csv"
# No indicator reaches this magnitude in any unit; beyond it a number is a typing or export slip (and
# past 2**53 floats stop holding whole numbers exactly, and the pages' number formatting breaks).
MAX_MAGNITUDE = 1e15
# A value more than this many times (or less than 1/this) the previous period's value of the same
# indicator and region is flagged (`sudden-jump` warning): the mark of a unit slip (thousands vs units).
JUMP_FACTOR = 10.0
JUMP_FACTOR_ENV = "MARSAD_JUMP_FACTOR"
# Kinds of unit whose values can jump by a factor without a slip (a rank, a 0/1 milestone) are not checked.
JUMP_KINDS = ("count", "money", "quantity", "percent", "index")


def jump_factor() -> float:
    """JUMP_FACTOR, or the value of MARSAD_JUMP_FACTOR when it is a number above 1."""
    from . import settings

    try:
        factor = float(settings.get(JUMP_FACTOR_ENV))
    except ValueError:
        return JUMP_FACTOR
    return factor if math.isfinite(factor) and factor > 1 else JUMP_FACTOR


# The catalog's columns, in file order (the schema refuses any other).
FIELDS = (
    "code",
    "label_en",
    "label_fr",
    "label_ar",
    "kind",
    "min",
    "max",
    "whole",
    "decimals",
    "aggregation",
    "spellings",
    "forms_en",
    "forms_fr",
    "forms_ar",
)
# How many plural forms a unit's count label has per language, in gettext order (loaders.i18n):
# English and French singular|plural, Arabic zero|one|two|few|many|other.
FORM_COUNTS = {"en": 2, "fr": 2, "ar": 6}


class Unit(Strict):
    """One unit: what a value in it may be, how it is written, shown and rolled up from regions."""

    code: Text
    label_en: Text
    label_fr: Text
    label_ar: Text
    kind: Literal["count", "money", "quantity", "percent", "rank", "index", "milestone"]
    min: OptionalFloat = None
    max: OptionalFloat = None
    whole: YesNo
    decimals: int
    # How regions make a national value: sum, population-weighted mean, or never.
    aggregation: Literal["sum", "mean", "none"]
    spellings: tuple[str, ...] = ()
    # The label after a count, one form per plural category ("institut|instituts"; Arabic six forms,
    # "{n}" where the number goes: "معهد واحد" has none). Blank: the label, whatever the count.
    forms_en: tuple[str, ...] = ()
    forms_fr: tuple[str, ...] = ()
    forms_ar: tuple[str, ...] = ()

    @field_validator("decimals")
    @classmethod
    def _decimals(cls, v: int) -> int:
        if not 0 <= v <= 6:
            raise ValueError("decimals must be between 0 and 6")
        return v

    @field_validator("spellings", mode="before")
    @classmethod
    def _spellings(cls, v):
        if isinstance(v, str):
            return tuple(s.strip() for s in v.split(";") if s.strip())
        return v

    @field_validator("forms_en", "forms_fr", "forms_ar", mode="before")
    @classmethod
    def _forms(cls, v):
        if isinstance(v, str):
            return tuple(f.strip() for f in v.split("|")) if v.strip() else ()
        return v

    @model_validator(mode="after")
    def _form_counts(self):
        for lang, count in FORM_COUNTS.items():
            forms = getattr(self, f"forms_{lang}")
            if forms and (len(forms) != count or not all(forms)):
                raise ValueError(f"forms_{lang} needs {count} non-empty forms separated by |")
        return self

    @model_validator(mode="after")
    def _range(self):
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"min {self.min:g} is not below max {self.max:g}")
        if self.whole and self.decimals:
            raise ValueError("a unit of whole numbers has 0 decimals")
        return self

    @property
    def per_year(self) -> bool:
        return self.code.endswith("/yr")

    def label(self, lang: str) -> str:
        return {"fr": self.label_fr, "ar": self.label_ar}.get(lang, self.label_en)

    def forms(self, lang: str) -> tuple[str, ...]:
        """The count forms of the language (gettext order), or the label alone when it has none."""
        lang = lang if lang in FORM_COUNTS else "en"
        return getattr(self, f"forms_{lang}") or (self.label(lang),)

    def violation(self, value: float) -> str | None:
        """Why a value cannot be in this unit ('non-finite', 'below-min', 'above-max', 'not-whole'), or None."""
        if value is None or not math.isfinite(value):
            return "non-finite"
        if self.min is not None and value < self.min:
            return "below-min"
        if self.max is not None and value > self.max:
            return "above-max"
        if self.whole and value != math.floor(value):
            return "not-whole"
        return None

    def clamp(self, value: float) -> float:
        """A value held inside the unit's range (for projections and chart axes, never for data)."""
        if self.min is not None:
            value = max(value, self.min)
        if self.max is not None:
            value = min(value, self.max)
        return value

    def range_text(self) -> str:
        """The range as a reader of the methodology sees it: '0 to 100', '≥ 0', '≥ 1, whole'."""
        if self.min is not None and self.max is not None:
            text = f"{self.min:g} – {self.max:g}"
        elif self.min is not None:
            text = f"≥ {self.min:g}"
        elif self.max is not None:
            text = f"≤ {self.max:g}"
        else:
            text = "any"
        return text + (", whole" if self.whole else "")


def indicator_units(catalog) -> dict[str, Unit]:
    """Indicator code -> its Unit, built once (Catalog.unit looks one up at a time)."""
    by_code = {u.code: u for u in catalog.units}
    return {i.code: by_code[i.unit] for i in catalog.indicators if i.unit in by_code}


def read_units(path: Path) -> list[tuple[int, dict]]:
    """The raw rows of units.csv with their file row (for the catalog's problem report)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [(i, row) for i, row in enumerate(csv.DictReader(f), start=2)]


# -- how people write units (unit_key folds, unit_words maps any written form to its unit) ---------------

_PER_YEAR = re.compile(
    r"\s*(/\s*(yr|year|an|annee|sana|سنة)|per year|par an|annuel(le)?s?|yearly|سنويا|في السنة)\s*$"
)
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ـ": None, "٪": "%"}
)


def unit_key(text: str | None) -> str:
    """Compare units as people write them: case, accents, spaces, brackets, Arabic letter variants, '/yr'."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.translate(_ARABIC_FOLD).lower().replace("\u00a0", " ").replace("\u202f", " ")
    s = re.sub(r"\s+", " ", s).strip().strip("()[]").strip()
    s = re.sub(r"\s*%\s*", "%", s)
    s = _PER_YEAR.sub("", s).strip()
    return s


@lru_cache(maxsize=8)
def unit_words(units: tuple[Unit, ...]) -> tuple[dict[str, str], frozenset[str]]:
    """unit_key(any way of writing a unit) -> unit_key(its code), and the keys of the count units.

    A unit is written as its code, its labels (EN/FR/AR) or one of its spellings (units.csv)."""
    words: dict[str, str] = {}
    for u in units:
        for w in (u.code, u.label_en, u.label_fr, u.label_ar, *u.spellings):
            words.setdefault(unit_key(w), unit_key(u.code))
    counts = frozenset(unit_key(u.code) for u in units if u.kind == "count")
    return words, counts


def written_unit(text: str | None, units: tuple[Unit, ...]) -> Unit | None:
    """The unit a text written in a file means ("Mds MAD" -> bn MAD), or None when it is not one."""
    words, _counts = unit_words(units)
    code_key = words.get(unit_key(text))
    return next((u for u in units if unit_key(u.code) == code_key), None) if code_key else None
