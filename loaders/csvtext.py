"""The one rule for text written to CSV files people open: a cell a spreadsheet would run as a formula
(CSV injection) starts with one of FORMULA_START and gets a leading "'"; numbers are written as numbers.

`formula_safe` applies it in Python (the problems CSV, the chart data of kpis/export); `ESCAPE_MACRO` is the
same rule as a DuckDB macro `esc(x)` for the bulk export (loaders/batches.py), built from the same characters.
"""

from __future__ import annotations

FORMULA_START = "=+-@\t\r"


def formula_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] and text[0] in FORMULA_START else text


def _sql_class(chars: str) -> str:
    """The characters as a regular-expression class inside a SQL string literal."""
    names = {"\t": "\\t", "\r": "\\r", "-": "\\-", "\\": "\\\\", "]": "\\]", "^": "\\^", "'": "''"}
    return "[" + "".join(names.get(ch, ch) for ch in chars) + "]"


ESCAPE_MACRO = (
    "CREATE MACRO esc(x) AS CASE WHEN regexp_matches(x, "
    f"'^{_sql_class(FORMULA_START)}') THEN chr(39) || x ELSE x END"
)
