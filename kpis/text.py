"""Page text in one language: translation, numbers, percents, signs, dates, periods, values with units, and
right-to-left isolation of embedded left-to-right runs (one `Texts` object per language, passed down)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cache

import pandas as pd

from loaders.i18n import (
    N_,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_period,
    gettext,
    ngettext,
    norm_lang,
)

from . import methods as m
from . import units

# Arabic paragraphs run right to left. A left-to-right run inside one (a signed number, a formula, a
# period code, a file name, user input) is isolated so "-18,8" does not show as "18,8-", "2026-Q1" as
# "Q1-2026" or "0,60 ≤ R" reversed: LRI…PDI when the run is known to be left to right, FSI…PDI (first
# strong character decides) for free text from the data.
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"


# The names under which Marsad itself loads data (loaders.seed.PUBLIC_USER and DEMO_USER), shown in
# the page's language rather than as stored.
SYSTEM_USERS = {
    "marsad (reference data)": N_("Marsad (reference data)"),
    "marsad (demo generator)": N_("Marsad (DEMO generator)"),
}


def isnum(x) -> bool:
    """A finite number (None, NaN, ±inf, text and booleans are not)."""
    if x is None or x is pd.NA or isinstance(x, (str, bytes, bool)):
        return False
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def as_date(value) -> dt.date | dt.datetime | None:
    """An ISO text (its date part), a date, a datetime or a pandas Timestamp as a date; None when empty."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value)
    return dt.date.fromisoformat(text[:10]) if text else None


@dataclass(frozen=True)
class Texts:
    """Everything a view writes in one language: `t._("…")`, `t.num(x)`, `t.value(x, unit)`, `t.ltr(…)`."""

    lang: str

    # -- words ----------------------------------------------------------------------------------
    def _(self, msgid: str, **params) -> str:
        return gettext(msgid, self.lang, **params)

    def n_(self, singular: str, plural: str, n, **params) -> str:
        """A counted phrase: `t.n_("{n} region", "{n} regions", 5)` (Arabic: six forms)."""
        return ngettext(singular, plural, n, self.lang, **params)

    def label(self, labels: dict[str, str], code: str) -> str:
        """The translated label of a code (the code itself when it has none)."""
        return self._(labels.get(code, code))

    # -- direction ------------------------------------------------------------------------------
    @property
    def rtl(self) -> bool:
        return self.lang == "ar"

    def ltr(self, text: str) -> str:
        """A run known to read left to right (a signed number, a formula, a code), isolated in Arabic."""
        return f"{LRI}{text}{PDI}" if self.rtl and text else text

    def free(self, text: str) -> str:
        """Free text from the data (file names, user names, sources) keeps its own direction in Arabic."""
        return f"{FSI}{text}{PDI}" if self.rtl and text else text

    def user(self, name: str | None) -> str:
        """Who loaded a value: Marsad's own loads in words, a person's name as written."""
        if not name:
            return ""
        return self._(SYSTEM_USERS[name]) if name in SYSTEM_USERS else self.free(name)

    @property
    def comma(self) -> str:
        return "، " if self.rtl else ", "

    @property
    def semicolon(self) -> str:
        return "؛ " if self.rtl else "; "

    def join(self, items) -> str:
        return self.comma.join(items)

    # -- numbers --------------------------------------------------------------------------------
    def num(self, x, d: int | None = None) -> str:
        """A number in the language; a negative one isolated so its sign stays in front in Arabic."""
        text = fmt_number(x, self.lang, decimals=d)
        return self.ltr(text) if text.startswith("-") else text

    def pct(self, ratio, d: int = 0) -> str:
        """A ratio as a percentage (0.45 -> "45 %"); a negative one reads "-5%" in Arabic, not "%5-"."""
        text = fmt_percent(ratio, self.lang, decimals=d)
        return self.ltr(text) if text.startswith("-") else text

    def signed_pct(self, ratio, d: int = 1) -> str:
        """A change as a percentage with its sign ("+12 %", "-3,5 %"); no sign on a zero change."""
        if not isnum(ratio):
            return "—"
        text = fmt_percent(ratio, self.lang, decimals=d)
        return self.ltr(text if text.startswith("-") or is_zero(text) else "+" + text)

    def signed_points(self, points, d: int = 1) -> str:
        """A gap in percentage points with its sign ("+2,5 pts", "-7,9 pts"); "—" when there is none."""
        if not isnum(points):
            return "—"
        text = fmt_number(points, self.lang, decimals=d)
        if not (text.startswith("-") or is_zero(text)):
            text = "+" + text
        return self._("{value} pts", value=self.ltr(text))

    def signed(self, value, unit: str | None) -> str:
        """A change with its sign and unit ("+340 emplois", "-18,8 MW")."""
        if not isnum(value):
            return "—"
        if units.unit_of(unit).kind == "percent" or unit == "%":
            d = 0 if float(value).is_integer() else 1
            return self.signed_pct(value / 100, d)
        text = fmt_number(value, self.lang)
        if not (text.startswith("-") or is_zero(text)):
            text = "+" + text
        return units.counted(unit, self.ltr(text), value, self.lang).strip()

    def date(self, value) -> str:
        return fmt_date(as_date(value), self.lang)

    def period(self, period: str | None) -> str:
        return fmt_period(period, self.lang)

    # -- values ---------------------------------------------------------------------------------
    def unit(self, unit: str | None, n=None) -> str:
        """The unit's label in the language; after a count n, in the form that count takes."""
        if n is None or not isnum(n):
            return units.label(unit, self.lang)
        return units.counted_label(unit, n, self.lang)

    def value(self, value, unit: str | None, *, milestone: bool = False) -> str:
        """A value with its unit, as a person reads it ('1 234 emplois', '45 %', 'Fait'); each unit
        shows at most its own decimals (units.csv), trailing zeros dropped."""
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return "—"
        if not usable(value, unit):
            return self._("unusable value")
        if milestone:
            return self._("Done") if value >= 1 else self._("Not yet")
        d = units.decimals(unit)
        if units.unit_of(unit).kind == "percent":
            return self.pct(value / 100, 0 if float(value).is_integer() or d is None else d)
        if d is not None and abs(value) < 1000:
            number = fmt_number(value, self.lang, max_decimals=d)
        else:
            number = fmt_number(value, self.lang, decimals=0 if d == 0 else None)
        number = self.ltr(number) if number.startswith("-") else number
        return units.counted(unit, number, value, self.lang).strip()

    def status(self, code: str | None) -> str:
        return self._(m.STATUS_LABELS.get(code or "no-data", code or ""))

    def flags(self, flags) -> list[str]:
        return [self._(m.FLAG_LABELS[f]) for f in (flags or []) if f in m.FLAG_LABELS]


def usable(value, unit: str | None) -> bool:
    """A value a page may show as a number: finite, inside its unit's range, not absurdly large."""
    return (
        isnum(value)
        and units.violation(unit, value) is None
        and abs(float(value)) <= m.IMPLAUSIBLE_MAGNITUDE
    )


def is_zero(text: str) -> bool:
    """A formatted number that shows as zero (no sign belongs in front of it)."""
    return not any(ch in "123456789" for ch in text)


@cache
def texts(lang: str | None) -> Texts:
    """The one Texts object of a language (built once, shared by every view of a page run)."""
    return Texts(norm_lang(lang))
