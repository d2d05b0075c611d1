"""Periods: 'T1 2026', '1er trimestre 2026', 'الربع الأول 2026', a date… -> '2026-Q1' or '2026'."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .text import fold, to_ascii_digits

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
