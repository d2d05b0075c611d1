"""What a cell means: header roles, periods, indicators, regions and numbers, from FR/AR/EN habits to canonical values."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc

from .catalog import Catalog
from .i18n import N_

# ---------------------------------------------------------------------------------------------
# Text folding

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# After NFKD + dropping combining marks, hamza/madda forms are already plain alef/waw/yeh; these
# are the remaining spelling variants Moroccan Arabic inputs mix freely.
_ARABIC = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None, "ک": "ك", "ی": "ي", "ٱ": "ا"})
_PUNCT = re.compile(r"[\s\-‐‑‒–—―_'’‘`´\".,;:/\\|()\[\]{}«»]+")
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-, accent-, digit- and Arabic-spelling-insensitive form, punctuation turned into single spaces."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().translate(_ARABIC).translate(_DIGITS)
    return _PUNCT.sub(" ", s).strip()


def key(text: str) -> str:
    """fold() without any space or punctuation: the comparison key for names and headers."""
    return _NON_WORD.sub("", fold(text))


def to_ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


# ---------------------------------------------------------------------------------------------
# Headers

ROLE_LABELS = {
    "indicator": N_("indicator"),
    "period": N_("period"),
    "region": N_("region"),
    "value": N_("value"),
    "unit": N_("unit"),
    "source": N_("source"),
    "comment": N_("comment"),
}

# key(alias) -> (role, language hint or None). "code" and "indicator" are both the indicator column;
# a code column wins when a sheet has both (the other then holds names, for people).
_ALIASES: dict[str, tuple[str, str | None]] = {}


def _alias(role: str, lang: str | None, *names: str) -> None:
    for n in names:
        _ALIASES[key(n)] = (role, lang)


_alias("code", None, "code", "id", "kpi", "code kpi")
_alias("code", "fr", "code indicateur", "code de l'indicateur", "code de l’indicateur", "code ind")
_alias("code", "en", "indicator code", "indicator id", "code indicator")
_alias("code", "ar", "رمز المؤشر", "الرمز", "رمز", "كود المؤشر")
_alias("indicator", "fr", "indicateur", "indicateurs")
_alias("indicator", "en", "indicator", "indicators")
_alias("indicator", "ar", "المؤشر", "مؤشر", "المؤشرات")
_alias(
    "period", "fr", "période", "trimestre", "année", "periode de reference", "période de référence"
)
_alias("period", "en", "period", "quarter", "year", "reference period")
_alias("period", None, "date")
_alias("period", "ar", "الفترة", "الربع", "السنة", "الفصل", "الثلاثي", "التاريخ", "الفترة المرجعية")
_alias("region", None, "région", "régions", "region", "regions")
_alias("region", "fr", "code région", "code de la région")
_alias("region", "en", "region code")
_alias("region", "ar", "الجهة", "الجهات", "المنطقة", "جهة")
_alias("value", "fr", "valeur", "valeurs", "réalisation", "réalisé", "valeur réalisée", "montant")
_alias("value", "en", "value", "values", "actual", "amount")
_alias("value", "ar", "القيمة", "القيم", "الإنجاز", "المنجز")
_alias("unit", "fr", "unité", "unité de mesure")
_alias("unit", "en", "unit", "unit of measure", "units")
_alias("unit", "ar", "الوحدة", "وحدة القياس")
_alias("source", None, "source", "sources")
_alias("source", "fr", "source des données")
_alias("source", "en", "data source")
_alias("source", "ar", "المصدر", "المصادر")
_alias("comment", None, "note", "notes", "observation", "observations")
_alias("comment", "fr", "commentaire", "commentaires", "remarque", "remarques")
_alias("comment", "en", "comment", "comments", "remarks")
_alias("comment", "ar", "ملاحظة", "ملاحظات", "تعليق", "تعليقات")
# Descriptive columns people (and our own template) put beside the data: read, known, not data.
_alias(
    "info",
    "fr",
    "nom",
    "nom de l'indicateur",
    "libellé",
    "libellé de l'indicateur",
    "intitulé",
    "désignation",
    "pilier",
    "axe",
    "programme",
    "fréquence",
    "sens",
    "n°",
    "numéro",
)
_alias(
    "info",
    "en",
    "name",
    "indicator name",
    "label",
    "pillar",
    "axis",
    "program",
    "frequency",
    "direction",
    "no",
    "number",
    "#",
)
_alias(
    "info",
    "ar",
    "اسم المؤشر",
    "الاسم",
    "التسمية",
    "المحور",
    "البرنامج",
    "الركيزة",
    "الرقم",
    "ر ت",
    "الدورية",
)
# Any header starting like these (e.g. "Cible 2030", "Target (2030)") is a descriptive column too,
# and must not be taken for a period column because it contains a year.
_INFO_PREFIXES = tuple(
    key(p)
    for p in (
        "cible",
        "target",
        "objectif",
        "objective",
        "الهدف",
        "القيمة المستهدفة",
        "baseline",
        "référence",
        "reference",
        "valeur de référence",
        "سنة الأساس",
        "خط الأساس",
        "jalon",
        "milestone",
    )
)

_UNIT_IN_BRACKETS = re.compile(r"^(.*?)\s*[(\[]\s*([^()\[\]]*?)\s*[)\]]\s*$")


@dataclass(frozen=True)
class HeaderInfo:
    role: str | None  # indicator|code|period|region|value|unit|source|comment|info|None
    unit: str | None = None  # from "(…)" after the name, e.g. "Valeur (%)"
    period: str | None = None  # set when the header itself is a period (wide layout)
    lang: str | None = None  # language the header is written in, when it tells


@lru_cache(maxsize=4096)
def classify_header(text: str) -> HeaderInfo:
    raw = (text or "").strip()
    if not raw:
        return HeaderInfo(None)
    base, unit = raw, None
    m = _UNIT_IN_BRACKETS.match(raw)
    if m and m.group(1):
        base, unit = m.group(1), (re.sub(r"^(?:en|in)\s+", "", m.group(2), flags=re.I) or None)
    k = key(base)
    if k in _ALIASES:
        role, lang = _ALIASES[k]
        return HeaderInfo(role, unit if role == "value" else None, None, lang)
    if any(k.startswith(p) for p in _INFO_PREFIXES):
        return HeaderInfo("info")
    period = parse_period(base)
    if period:
        return HeaderInfo("period-column", unit, period, period_lang(base))
    period = parse_period(raw)  # "2026 (T1)"-like headers
    if period:
        return HeaderInfo("period-column", None, period, period_lang(raw))
    return HeaderInfo(None)


# ---------------------------------------------------------------------------------------------
# Periods

_Q_WORDS = {
    # French ordinals (folded)
    "1er": 1,
    "1re": 1,
    "1ere": 1,
    "1e": 1,
    "premier": 1,
    "premiere": 1,
    "2e": 2,
    "2eme": 2,
    "2nd": 2,
    "2nde": 2,
    "deuxieme": 2,
    "second": 2,
    "seconde": 2,
    "3e": 3,
    "3eme": 3,
    "troisieme": 3,
    "4e": 4,
    "4eme": 4,
    "quatrieme": 4,
    # English
    "first": 1,
    "1st": 1,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    # Arabic (folded: hamza dropped)
    "الاول": 1,
    "الثاني": 2,
    "الثالث": 3,
    "الرابع": 4,
}
_QUARTER_NOUNS = {"trimestre", "quarter", "الربع", "الفصل", "الثلاثي"}
_YEAR_LEAD = r"(?:(?:de|of|d|من|سنه|عام|لسنه|لعام)\s+)*"
_RE_YEAR = re.compile(r"^(\d{4})$")
_RE_YQ = re.compile(r"^(\d{4})\s*[-/_ ]?\s*[qt]\s*([1-4])$")
_RE_QY = re.compile(r"^[qt]\s*([1-4])\s*[-/_ ]?\s*(\d{4})$")
_RE_WORDS = re.compile(r"^(\S+)\s+(\S+)\s+" + _YEAR_LEAD + r"(\d{4})$")
_RE_YEAR_WORDS = re.compile(r"^(\d{4})\s+(\S+)\s+(\S+)$")
_RE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def _plausible_year(y: int) -> bool:
    return 1990 <= y <= 2100


@lru_cache(maxsize=65536)
def parse_period(text: str) -> str | None:
    """'T1 2026', '1er trimestre 2026', 'الربع الأول 2026', '2026', a date… -> '2026-Q1' / '2026', else None."""
    if text is None:
        return None
    raw = to_ascii_digits(str(text)).strip()
    if not raw:
        return None
    m = _RE_DATE.match(raw.casefold())
    if m:
        try:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}" if _plausible_year(d.year) else None
    s = fold(raw)
    m = _RE_YEAR.match(s)
    if m:
        return m[1] if _plausible_year(int(m[1])) else None
    m = _RE_YQ.match(s) or None
    if m:
        year, q = int(m[1]), int(m[2])
    elif m := _RE_QY.match(s):
        year, q = int(m[2]), int(m[1])
    elif m := _RE_WORDS.match(s):
        a, b, year = m[1], m[2], int(m[3])
        if a in _QUARTER_NOUNS and (
            b in _Q_WORDS or b in ("1", "2", "3", "4")
        ):  # "الربع الأول 2026", "trimestre 1"
            q = _Q_WORDS.get(b) or int(b)
        elif b in _QUARTER_NOUNS and a in _Q_WORDS:  # "1er trimestre 2026", "first quarter 2026"
            q = _Q_WORDS[a]
        else:
            return None
    elif m := _RE_YEAR_WORDS.match(s):  # "2026 الربع الأول"
        year, a, b = int(m[1]), m[2], m[3]
        if a in _QUARTER_NOUNS and b in _Q_WORDS:
            q = _Q_WORDS[b]
        else:
            return None
    else:
        return None
    return f"{year}-Q{q}" if _plausible_year(year) else None


def period_lang(text: str) -> str | None:
    """The language a period is written in, when its words tell (canonical "2026-Q1" does not)."""
    s = fold(str(text))
    if re.search(r"[\u0600-\u06ff]", s):
        return "ar"
    if "trimestre" in s or re.search(r"(^|\d|\s)t\s*[1-4](\s|$)", s):
        return "fr"
    if "quarter" in s:
        return "en"
    return None


# ---------------------------------------------------------------------------------------------
# Indicators


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


# ---------------------------------------------------------------------------------------------
# Regions

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
    return _NON_WORD.sub("", s)


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


# ---------------------------------------------------------------------------------------------
# Numbers (vectorised: a value column can hold millions of cells)

# Text that explicitly says "no value": a missing value, never a zero.
MISSING_TOKENS = (
    "-",
    "—",
    "–",
    "−",
    "n.d.",
    "n.d",
    "nd",
    "n/d",
    "na",
    "n/a",
    "n.a.",
    "s.o.",
    "..",
    "...",
    "…",
    "غير متوفر",
    "غ.م",
    "غ م",
)
_FOOTNOTE = r"(?:\*+|\((?:[perPER]|\d{1,2})\)|[†‡]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)"
_FOOTNOTE_RE = r"^(?P<base>.*?)\s*(?P<mark>" + _FOOTNOTE + r"(?:\s*" + _FOOTNOTE + r")*)$"
_DEC = "\x01"  # the explicit Arabic decimal separator ٫, kept apart until the column is decided
_INT = r"-?\d+"
# A comma that can only be a decimal separator (or dots that can only be thousands), and mirror.
_COMMA_DECIMAL = (
    r"^-?(?:\d*,\d{1,2}|\d*,\d{4,}|\d{4,},\d+|0,\d+|\d{1,3}(?:\.\d{3})+,\d*"
    r"|\d{1,3}(?:\.\d{3}){2,})$"
)
_DOT_DECIMAL = (
    r"^-?(?:\d*\.\d{1,2}|\d*\.\d{4,}|\d{4,}\.\d+|0\.\d+|\d{1,3}(?:,\d{3})+\.\d*"
    r"|\d{1,3}(?:,\d{3}){2,})$"
)
_AMBIGUOUS = r"^-?[1-9]\d{0,2}[.,]\d{3}$"
_VALID = {
    ",": r"^-?(?:(?:\d{1,3}(?:\.\d{3})+|\d+)(?:[,\x01]\d*)?|[,\x01]\d+)$",
    ".": r"^-?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:[.\x01]\d*)?|[.\x01]\d+)$",
}


@dataclass
class NumberDecision:
    """How a column's text numbers are read: its decimal separator, and whether that was a guess."""

    decimal: str  # "," or "."
    ambiguous_example: str | None = None  # a cell like "1,234" when the choice was not proven
    by_hint: str | None = None  # language that decided an ambiguous column, if any
    conflicting: bool = False  # cells prove both conventions: the minority are bad numbers


@dataclass
class CleanNumbers:
    text: pa.Array  # cleaned text, ready for the decision and parse
    mark: pa.Array | None  # footnote marks stripped ("(p)", "*"), null where none
    percent: pa.Array | None  # True where the cell had a % sign
    missing: pa.Array  # True where the cell is empty or says "n.d."
    fast: pa.Array | None = None  # every cell already a plain dot-decimal number: their values


def _any(mask: pa.Array) -> bool:
    return bool(pc.any(mask).as_py())


_PLAIN = r"^-?\d+(?:[.,]\d+)*$"


def clean_numbers(raw: pa.Array) -> CleanNumbers:
    """Trim, unify digits/separators/minus, strip footnote marks and % signs (no parsing yet).

    A column whose cells are all plain dot-decimal numbers ("1234.5", the common machine export)
    is recognised with one cast. Otherwise cells already plain ("1.234,5") are left as they are and
    only the others go through the (slower) cleaning, then are put back in place.
    """
    s = pc.fill_null(raw.cast(pa.string()), "")
    n = len(s)
    false = pa.repeat(pa.scalar(False), n)
    try:
        fast = pc.cast(s, pa.float64())
        if pc.all(pc.is_finite(fast)).as_py() and pc.max(
            pc.find_substring(s, "e", ignore_case=True)
        ).as_py() in (None, -1):
            return CleanNumbers(s, None, None, false, fast)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    plain = pc.match_substring_regex(s, _PLAIN)
    if pc.all(plain).as_py():
        return CleanNumbers(s, None, None, false)
    other = pc.invert(plain)
    sub = _clean_subset(pc.filter(s, other))
    text = pc.replace_with_mask(s, other, sub.text)
    mark = (
        None
        if sub.mark is None
        else pc.replace_with_mask(pa.nulls(n, pa.string()), other, sub.mark)
    )
    pct = None if sub.percent is None else pc.replace_with_mask(false, other, sub.percent)
    return CleanNumbers(text, mark, pct, pc.replace_with_mask(false, other, sub.missing))


def _clean_subset(s: pa.Array) -> CleanNumbers:
    s = pc.utf8_trim_whitespace(s)
    if _any(pc.match_substring_regex(s, r"[^\x00-\x7f]")):
        for src, dst in (
            ("\u00a0", " "),
            ("\u202f", " "),
            ("\u2009", " "),
            ("\u2007", " "),
            ("\u2212", "-"),
            ("٫", _DEC),
            ("٬", ""),
            ("٪", "%"),
            ("،", ","),
        ):
            s = pc.replace_substring(s, src, dst)
        for i, (a, b) in enumerate(zip("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", strict=True)):
            s = pc.replace_substring(pc.replace_substring(s, a, str(i)), b, str(i))
        s = pc.utf8_trim_whitespace(s)
    mark = None
    has_mark = pc.match_substring_regex(s, _FOOTNOTE + r"\s*$")
    if _any(has_mark):
        parts = pc.extract_regex(s, _FOOTNOTE_RE)
        ok = pc.and_(has_mark, parts.is_valid())
        mark = pc.if_else(ok, pc.utf8_trim_whitespace(pc.struct_field(parts, "mark")), None)
        s = pc.if_else(ok, pc.struct_field(parts, "base"), s)
    percent = None
    has_pct = pc.match_substring_regex(s, r"%\s*$")
    if _any(has_pct):
        percent = has_pct
        s = pc.replace_substring_regex(s, r"\s*%\s*$", "")
    s = pc.replace_substring_regex(pc.replace_substring_regex(s, r"\s+", ""), r"^\+", "")
    missing = pc.or_(pc.equal(s, ""), pc.is_in(pc.utf8_lower(s), pa.array(MISSING_TOKENS)))
    return CleanNumbers(s, mark, percent, missing)


def _decide_fast(cols: list[CleanNumbers], hint: str | None) -> NumberDecision:
    """decide_decimal for columns of plain dot-decimal numbers, by arithmetic on the dot position."""
    example = None
    for c in cols:
        s = c.text
        pos = pc.find_substring(s, ".")
        signed = pc.or_(pc.starts_with(s, "-"), pc.starts_with(s, "+")).cast(pa.int32())
        int_digits = pc.subtract(pos, signed)
        after = pc.subtract(pc.subtract(pc.binary_length(s), pos), 1)
        zero = pc.or_(
            pc.starts_with(s, "0."), pc.or_(pc.starts_with(s, "-0."), pc.starts_with(s, "+0."))
        )
        has_dot = pc.greater_equal(pos, 0)
        ambiguous = pc.and_(
            pc.and_(has_dot, pc.equal(after, 3)),
            pc.and_(
                pc.and_(pc.greater_equal(int_digits, 1), pc.less_equal(int_digits, 3)),
                pc.invert(zero),
            ),
        )
        if _any(pc.and_(has_dot, pc.invert(ambiguous))):
            return NumberDecision(".")
        if example is None and _any(ambiguous):
            example = pc.filter(s, ambiguous)[0].as_py()
    if example is None:
        return NumberDecision(".")
    if hint in ("fr", "ar"):
        return NumberDecision(",", example, hint)
    if hint == "en":
        return NumberDecision(".", example, hint)
    return NumberDecision(",", example, None)


def decide_decimal(cols: list[CleanNumbers], hint: str | None) -> NumberDecision:
    """Decide a column's decimal separator from all of its (cleaned) cells, never cell by cell."""
    if all(c.fast is not None for c in cols):
        return _decide_fast(cols, hint)
    texts = [c.text for c in cols]
    comma = sum(pc.sum(pc.match_substring_regex(t, _COMMA_DECIMAL)).as_py() or 0 for t in texts)
    dot = sum(pc.sum(pc.match_substring_regex(t, _DOT_DECIMAL)).as_py() or 0 for t in texts)
    if comma or dot:
        return NumberDecision("," if comma > dot else ".", conflicting=bool(comma and dot))
    example = None
    for t in texts:
        amb = pc.filter(t, pc.match_substring_regex(t, _AMBIGUOUS))
        if len(amb):
            example = amb[0].as_py()
            break
    if example is None:
        return NumberDecision(".")
    if hint in ("fr", "ar"):  # Morocco's French and Arabic write 1.234,5 / 1 234,5
        return NumberDecision(",", example, hint)
    if hint == "en":
        return NumberDecision(".", example, hint)
    # No language to go by: "1,234" and "1.234" are read as thousands (1234).
    return NumberDecision("." if "," in example else ",", example, None)


def parse_numbers(clean: CleanNumbers, decision: NumberDecision) -> tuple[pa.Array, pa.Array]:
    """Cleaned text -> (float64 values, valid mask). Invalid or missing cells get null."""
    if clean.fast is not None and decision.decimal == ".":
        return clean.fast, pa.repeat(pa.scalar(True), len(clean.fast))
    text = clean.text
    valid = pc.match_substring_regex(text, _VALID[decision.decimal])
    all_valid = pc.all(valid).as_py()
    s = text if all_valid else pc.if_else(valid, text, "0")
    thousands = "." if decision.decimal == "," else ","
    if _any(pc.match_substring(s, thousands)):
        s = pc.replace_substring(s, thousands, "")
    if decision.decimal == "," and _any(pc.match_substring(s, ",")):
        s = pc.replace_substring(s, ",", ".")
    if _any(pc.match_substring(s, _DEC)):
        s = pc.replace_substring(s, _DEC, ".")
    values = pc.cast(s, pa.float64())
    if not all_valid:
        values = pc.if_else(valid, values, None)
    return values, valid
