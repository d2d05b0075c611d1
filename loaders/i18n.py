"""The one translation layer: gettext catalogs in data/locales, and locale-aware number, date and period formatting."""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent, format_scientific

LANGS = ("ar", "fr", "en")
DEFAULT_LANG = "ar"
LANG_LABELS = {"ar": "العربية", "fr": "Français", "en": "English"}
RTL_LANGS = {"ar"}
# Morocco's own locales: Latin digits, "1.234,5" in Arabic and "1 234,5" in French.
BABEL_LOCALE = {"ar": "ar_MA", "fr": "fr_MA", "en": "en"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "data" / "locales"

ARABIC_ORDINAL_QUARTERS = {
    1: "الربع الأول",
    2: "الربع الثاني",
    3: "الربع الثالث",
    4: "الربع الرابع",
}


def norm_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


@cache
def _messages(lang: str) -> dict[str, str]:
    """msgid (English) -> translation, merged from data/locales/<lang>/*.po (one file per area of the app).

    English is the source language and has no catalog.
    """
    out: dict[str, str] = {}
    for m in _catalog_messages(lang):
        if isinstance(m.id, str) and m.string:
            out[m.id] = m.string
    return out


@cache
def _catalog_messages(lang: str) -> tuple:
    """Every translated, non-fuzzy message of data/locales/<lang>/*.po (none for English)."""
    if lang == "en":
        return ()
    out = []
    for path in sorted((LOCALE_DIR / lang).glob("*.po")):
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        out += [m for m in catalog if m.id and m.string and not m.fuzzy]
    return tuple(out)


# The plural categories of each language in the order of its .po msgstr[n] (gettext's order). French
# "many" (1 000 000 de …) is written like "other" here; Arabic has all six CLDR categories.
PLURAL_CATEGORIES = {
    "ar": ("zero", "one", "two", "few", "many", "other"),
    "fr": ("one", "other"),
    "en": ("one", "other"),
}


@cache
def _plurals(lang: str) -> dict[str, tuple[str, ...]]:
    """singular msgid -> its forms (msgstr[0..n]) from the .po files' msgid_plural entries."""
    out = {}
    for m in _catalog_messages(lang):
        if isinstance(m.id, tuple) and all(m.string):
            out[m.id[0]] = tuple(m.string)
    return out


def plural_index(n, lang: str) -> int:
    """Which plural form (msgstr[i]) a count takes in the language, by CLDR's rule for its locale
    (Babel): Arabic 0 zero, 1 one, 2 two, 3–10 few, 11–99 many, 100–102 other; French 0 and 1 singular."""
    lang = norm_lang(lang)
    f = _finite(n)
    category = Locale.parse(BABEL_LOCALE[lang]).plural_form(abs(f) if f is not None else 0)
    cats = PLURAL_CATEGORIES[lang]
    return cats.index(category) if category in cats else len(cats) - 1


def plural_form(forms, n, lang: str) -> str:
    """The one of `forms` (in the language's PLURAL_CATEGORIES order) that the count `n` takes."""
    forms = tuple(forms)
    return forms[min(plural_index(n, lang), len(forms) - 1)]


def ngettext(singular: str, plural: str, n, lang: str, **params) -> str:
    """A counted phrase in the language: `ngettext("{n} problem", "{n} problems", 3, "ar")`.

    `n` is the count that chooses the form; the `{n}` placeholder is the count written for the
    language unless `n=` is given in params (a formatted or isolated number)."""
    lang = norm_lang(lang)
    forms = _plurals(lang).get(singular) if lang != "en" else None
    if forms:
        text = plural_form(forms, n, lang)
    else:
        text = singular if plural_index(n, "en") == 0 else plural
    params.setdefault("n", fmt_number(n, lang))
    return _fill(text, lang, params)


# Right-to-left text: a left-to-right run put into an Arabic sentence (a file or sheet name, a code,
# user input, a period as typed such as "2026-T5") is isolated between FSI and PDI, so the sentence
# does not reorder it ("T5-2026") or its neighbours (« » quotes, commas).
FSI, PDI = "\u2068", "\u2069"
_LTR_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def isolate(text: str, lang: str) -> str:
    """`text` isolated (FSI…PDI) when it is put into an Arabic sentence and holds Latin letters."""
    if (
        norm_lang(lang) in RTL_LANGS
        and isinstance(text, str)
        and _LTR_LETTER.search(text)
        and not text.startswith(("\u2066", "\u2067", FSI))
    ):
        return f"{FSI}{text}{PDI}"
    return text


# A period or code written in an Arabic translation itself ("2026-Q1", "T1-2026"): digits and Latin
# letters joined by a hyphen, which a right-to-left sentence would show the other way round.
_LTR_CODE = re.compile(r"(?<![\w\u2068])(\d+-[A-Za-z][\w]*|[A-Za-z]+\d*-\d+)(?![\w\u2069])")


def _fill(text: str, lang: str, params: dict) -> str:
    if norm_lang(lang) in RTL_LANGS:
        text = _LTR_CODE.sub(lambda m: f"{FSI}{m[0]}{PDI}", text)
        params = {k: isolate(v, lang) if isinstance(v, str) else v for k, v in params.items()}
    return text.format(**params) if params else text


def gettext(msgid: str, lang: str, **params) -> str:
    """The translation of an English msgid, its {placeholders} filled (isolated in Arabic)."""
    return _fill(_messages(norm_lang(lang)).get(msgid, msgid), lang, params)


def translator(lang: str):
    """Return `_` bound to a language: `_("Target {year}", year=2030)`."""
    lang = norm_lang(lang)

    def _(msgid: str, **params) -> str:
        return gettext(msgid, lang, **params)

    return _


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it now."""
    return msgid


def name_col(lang: str) -> str:
    return f"name_{norm_lang(lang)}"


# Past this magnitude a number is written in scientific notation: Babel's fixed-point formatting
# raises decimal.InvalidOperation from about 1e28, and no catalog figure comes near 1e15.
SCIENTIFIC_FROM = 1e15


def _finite(value) -> float | None:
    """The value as a finite float, or None (None, NaN, ±inf, text that is not a number)."""
    try:
        f = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return f if math.isfinite(f) else None


def _unsigned_zero(f: float, decimals: int) -> float:
    """0.0 for a value that rounds to zero at the shown decimals: a zero change is "0 %", not "-0 %"."""
    return 0.0 if round(f, decimals) == 0 else f


def fmt_number(
    value, lang: str, decimals: int | None = None, *, max_decimals: int | None = None
) -> str:
    """A number as the language writes it; "—" for a missing or non-finite value (never raises).

    `decimals` fixes the decimals shown; `max_decimals` shows up to that many, trailing zeros dropped
    (0.62 in a unit of 4 decimals is "0,62", not "0,6200"); with neither, chosen by magnitude."""
    f = _finite(value)
    if f is None:
        return "—"
    loc = BABEL_LOCALE[norm_lang(lang)]
    if abs(f) >= SCIENTIFIC_FROM:
        try:
            return format_scientific(f, format="0.##E0", locale=loc)
        except Exception:  # noqa: BLE001 - a display must not take the page down
            return f"{f:.3g}"
    if decimals is not None:
        places, digit = decimals, "0"
    else:
        if max_decimals is None:
            a = abs(f)
            max_decimals = (
                0 if a >= 1000 or f.is_integer() else (1 if a >= 10 else 2 if a >= 1 else 4)
            )
        places, digit = max_decimals, "#"
    f = _unsigned_zero(f, places)
    fmt = "#,##0" + ("." + digit * places if places else "")
    try:
        return format_decimal(f, format=fmt, locale=loc)
    except Exception:  # noqa: BLE001
        return f"{f:.{places}f}"


def fmt_percent(ratio, lang: str, decimals: int = 0) -> str:
    """A ratio as a percentage (0.45 -> "45 %"); "—" for a missing or non-finite ratio (never raises)."""
    f = _finite(ratio)
    if f is None:
        return "—"
    if abs(f) * 100 >= SCIENTIFIC_FROM:
        return fmt_number(f * 100, lang) + ("\u00a0%" if lang == "fr" else "%")
    f = _unsigned_zero(f, decimals + 2)
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
    try:
        out = format_percent(f, format=fmt, locale=BABEL_LOCALE[norm_lang(lang)])
    except Exception:  # noqa: BLE001
        out = f"{f * 100:.{decimals}f} %"
    return out.replace(" %", "\u00a0%") if lang == "fr" else out.replace(" %", "%")


def fmt_date(value: dt.date | dt.datetime | None, lang: str, fmt: str = "medium") -> str:
    if value is None:
        return "—"
    loc = BABEL_LOCALE[norm_lang(lang)]
    if isinstance(value, dt.datetime):
        return format_datetime(value, "yyyy-MM-dd HH:mm", locale=loc)
    return format_date(value, fmt, locale=loc)


def fmt_period(period: str | None, lang: str) -> str:
    """Canonical period ('2026-Q1' or '2026') as a person reads it in the language."""
    if not period:
        return "—"
    if not re.fullmatch(r"\d{4}(-Q[1-4])?", period):
        return isolate(period, lang)  # as typed ("2026-T5"): kept in its own order
    if "-Q" not in period:
        return period
    year, q = period.split("-Q")
    lang = norm_lang(lang)
    if lang == "fr":
        return f"T{q} {year}"
    if lang == "ar":
        return f"{ARABIC_ORDINAL_QUARTERS[int(q)]} {year}"
    return f"Q{q} {year}"


# The counted nouns of the pages and messages, with their plural forms in data/locales/*/text.po:
# `count("problem", 3, "fr")` -> "3 problèmes", `count("problem", 2, "ar")` -> "مشكلتان".
NOUNS = {
    "problem": ("{n} problem", "{n} problems"),
    "error": ("{n} error", "{n} errors"),
    "warning": ("{n} warning", "{n} warnings"),
    "institute": ("{n} institute", "{n} institutes"),
    "region": ("{n} region", "{n} regions"),
    "indicator": ("{n} indicator", "{n} indicators"),
    "batch": ("{n} batch", "{n} batches"),
    "row": ("{n} row", "{n} rows"),
    "value": ("{n} value", "{n} values"),
    "year": ("{n} year", "{n} years"),
    "month": ("{n} month", "{n} months"),
}


def count(noun: str, n, lang: str) -> str:
    """n of a noun (a key of NOUNS) in the form that count takes in the language."""
    singular, plural = NOUNS[noun]
    return ngettext(singular, plural, n, lang)
