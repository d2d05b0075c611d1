"""Indicator and region names (any language and common spellings) -> catalog codes; total-row labels."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from ..catalog import Catalog
from .text import NON_WORD, fold, key, to_ascii_digits


class IndicatorMatcher:
    """Catalog code (any case) or exact name in FR/EN/AR (accents, case, spaces, Arabic spelling aside)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.codes: dict[str, str] = {ind.code.casefold(): ind.code for ind in catalog.indicators}
        self._names: dict[str, str] | None = None

    @property
    def names(self) -> dict[str, str]:
        """key(name) -> code, built on the first cell that is not a code (files mostly use codes)."""
        if self._names is None:
            names: dict[str, str] = {}
            ambiguous: set[str] = set()
            for ind in self.catalog.indicators:
                for name in (ind.name_fr, ind.name_en, ind.name_ar):
                    k = key(name)
                    if k in names and names[k] != ind.code:
                        ambiguous.add(k)
                    names[k] = ind.code
            for k in ambiguous:  # the same name for two indicators identifies neither
                del names[k]
            self._names = names
        return self._names

    def match(self, text: str) -> str | None:
        t = re.sub(r"\s+", "", to_ascii_digits(text)).casefold()
        if t in self.codes:
            return self.codes[t]
        return self.names.get(key(text)) if t else None

    def suggest(self, text: str, n: int = 3) -> list[str]:
        choices = {key(c): c for c in self.codes.values()}
        choices.update(self.names)
        found: list[str] = []
        for k in difflib.get_close_matches(key(text), list(choices), n=12, cutoff=0.5):
            if choices[k] not in found:
                found.append(choices[k])
        return found[:n]


NATIONAL_NAMES = (
    "national",
    "nationale",
    "niveau national",
    "national level",
    "maroc",
    "morocco",
    "le maroc",
    "ensemble du maroc",
    "tout le maroc",
    "المغرب",
    "وطني",
    "الوطني",
    "المستوى الوطني",
    "المغرب ككل",
)
TOTAL_NAMES = (
    "total",
    "total national",
    "total général",
    "grand total",
    "total maroc",
    "ensemble",
    "المجموع",
    "المجموع الوطني",
    "الإجمالي",
    "الإجمالي الوطني",
    "المجموع العام",
)
# Labels of a subtotal row: a partial sum (of a pillar, a province, a group of regions), never stored.
SUBTOTAL_PREFIXES = (
    "sous total",
    "soustotal",
    "s total",
    "subtotal",
    "sub total",
    "المجموع الفرعي",
    "مجموع فرعي",
    "الإجمالي الفرعي",
    "المجموع الجزئي",
)
# Words a total label starts with ("Total pilier 1", "المجموع الجهوي"): a total that is not one of
# TOTAL_NAMES is taken for a subtotal, so a partial sum is never stored as the national value.
_TOTAL_WORDS = ("total", "totaux", "grand total", "المجموع", "الإجمالي", "مجموع", "إجمالي")


@lru_cache(maxsize=65536)
def total_kind(text: str | None) -> str | None:
    """'total' for a grand-total label (Total, Total général, Ensemble, المجموع…), 'subtotal' for a
    partial one (Sous-total, Subtotal, المجموع الفرعي, Total pilier 1…), None for anything else."""
    if text is None:
        return None
    s = fold(str(text))
    if not s:
        return None
    if any(s == p or s.startswith(p + " ") for p in _SUBTOTAL_FOLDED):
        return "subtotal"
    if s in _TOTAL_FOLDED:
        return "total"
    if any(s == w or s.startswith(w + " ") for w in _TOTAL_WORDS_FOLDED):
        return "subtotal"
    return None


# The 16 regions of the pre-2015 division (and common spellings). L'Oriental kept its name in
# 2015 and stays mapped to MA-02, so it is not listed here.
OLD_REGION_NAMES = (
    "Oued Ed-Dahab-Lagouira",
    "Oued Eddahab-Lagouira",
    "Laâyoune-Boujdour-Sakia El Hamra",
    "Laayoune-Boujdour",
    "Guelmim-Es Semara",
    "Guelmim-Smara",
    "Souss-Massa-Drâa",
    "Gharb-Chrarda-Béni Hssen",
    "Gharb-Chrarda-Beni Hsen",
    "Chaouia-Ouardigha",
    "Marrakech-Tensift-Al Haouz",
    "Marrakech-Tensift-El Haouz",
    "Grand Casablanca",
    "Rabat-Salé-Zemmour-Zaër",
    "Doukkala-Abda",
    "Tadla-Azilal",
    "Meknès-Tafilalet",
    "Fès-Boulemane",
    "Taza-Al Hoceïma-Taounate",
    "Tanger-Tétouan",
    "وادي الذهب الكويرة",
    "العيون بوجدور الساقية الحمراء",
    "كلميم السمارة",
    "سوس ماسة درعة",
    "الغرب الشراردة بني حسن",
    "الغرب الشراردة بني احسن",
    "الشاوية ورديغة",
    "مراكش تانسيفت الحوز",
    "الدار البيضاء الكبرى",
    "الرباط سلا زمور زعير",
    "دكالة عبدة",
    "تادلة أزيلال",
    "مكناس تافيلالت",
    "فاس بولمان",
    "تازة الحسيمة تاونات",
    "طنجة تطوان",
)
# Extra spellings of current regions seen in real inputs, beyond the official FR/EN/AR names.
REGION_VARIANTS = {"MA-02": ("الشرقية", "Orientale", "Région Orientale")}

_SUBTOTAL_FOLDED = tuple(fold(p) for p in SUBTOTAL_PREFIXES)
_TOTAL_FOLDED = frozenset(
    fold(n)
    for n in (
        *TOTAL_NAMES,
        "total général",
        "total general",
        "total du maroc",
        "total national",
        "totaux",
        "overall total",
        "national total",
        "المجموع الكلي",
        "الإجمالي العام",
        "المجموع الإجمالي",
    )
)
_TOTAL_WORDS_FOLDED = tuple(fold(w) for w in _TOTAL_WORDS)

_REGION_PREFIX = re.compile(
    r"^(?:(?:la\s+)?region\s+(?:de\s+la\s+|de\s+l\s+|de\s+|du\s+|d\s+)?|جهه\s+)"
)


def region_key(text: str) -> str:
    s = fold(text)
    s = _REGION_PREFIX.sub("", s)
    s = re.sub(r"^l\s+", "", s)
    s = re.sub(r"(^|\s)وادي(\s|$)", r"\1واد\2", s)
    return NON_WORD.sub("", s)


@dataclass(frozen=True)
class RegionMatch:
    kind: str  # region|national|total|old|unknown|empty
    iso: str | None = None  # "MA-01".."MA-12", "" for national/total
    suggestions: tuple[str, ...] = ()  # closest current region ISO codes, for unknown names


class RegionMatcher:
    """ISO or HCP code, or a current region's name in any language and its common spellings."""

    def __init__(self, catalog: Catalog):
        self.regions = {r.iso: r for r in catalog.regions}
        self.by_key: dict[str, str] = {}
        for r in catalog.regions:
            for name in (r.name_fr, r.name_en, r.name_ar, *REGION_VARIANTS.get(r.iso, ())):
                self.by_key[region_key(name)] = r.iso
        self.by_number = {int(r.hcp_code): r.iso for r in catalog.regions}
        self.by_number.update({int(r.iso[3:]): r.iso for r in catalog.regions})
        self.national = {region_key(n) for n in NATIONAL_NAMES}
        self.total = {region_key(n) for n in TOTAL_NAMES}
        self.old = {region_key(n) for n in OLD_REGION_NAMES} - set(self.by_key)

    def match(self, text: str | None) -> RegionMatch:
        if text is None or not str(text).strip():
            return RegionMatch("empty", "")
        k = region_key(str(text))
        if k in self.by_key:
            return RegionMatch("region", self.by_key[k])
        m = re.fullmatch(r"(?:ma)?0*(\d{1,2})", k)
        if m and int(m[1]) in self.by_number:
            return RegionMatch("region", self.by_number[int(m[1])])
        if k in self.national:
            return RegionMatch("national", "")
        if k in self.total:
            return RegionMatch("total", "")
        if k in self.old:
            return RegionMatch("old")
        # A part of a name ("Rabat", "Casa-Settat" for Casablanca-Settat) is suggested, never mapped.
        part = [c for c in self.by_key if len(k) >= 3 and (c.startswith(k) or k in c)]
        close = part + difflib.get_close_matches(k, list(self.by_key), n=8, cutoff=0.5)
        isos: list[str] = []
        for c in close:
            if self.by_key[c] not in isos:
                isos.append(self.by_key[c])
        return RegionMatch("unknown", None, tuple(isos[:3]))
