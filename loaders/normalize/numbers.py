"""Numbers (vectorised: a value column can hold millions of cells): cleaning, decimal separator, parsing."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

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
