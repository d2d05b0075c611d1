"""Value cells -> numbers: the decimal separator decided once per sheet, percent-formatted cells scaled."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from ..normalize import CleanNumbers, NumberDecision, clean_numbers, decide_decimal, parse_numbers
from ..problems import Problems
from ..sheet import Sheet
from .arrow import Mapped, any_true, sheet_column
from .context import Ctx
from .layout import Layout


@dataclass
class Values:
    values: pa.Array  # float64, null where not a number
    missing: pa.Array  # bool: empty cell (or "n.d.")
    bad: pa.Array | None  # bool: not a number; None when every cell is a number
    clean: CleanNumbers | None
    raw: pa.Array  # text shown in messages


def parse_values(sheet: Sheet, cols: list[int], lay: Layout, probs: Problems) -> list[Values]:
    """Value cells -> numbers. Excel numbers are kept as they are; text cells (all of a CSV, the odd
    text cell of an Excel column) are cleaned, then read with one decimal separator for the sheet."""
    n = sheet.num_rows
    cleaned: dict[int, CleanNumbers] = {}
    floats: dict[int, pa.Array] = {}
    raws: dict[int, pa.Array] = {}
    for c in cols:
        col = sheet_column(sheet, c)
        if pa.types.is_floating(col.type):
            floats[c] = col
            cells = sheet.text_cells.get(c)
            if cells:
                texts: list[str | None] = [None] * n
                for r, t in cells.items():
                    texts[r] = t
                raw = pa.array(texts, pa.string())
                cleaned[c] = clean_numbers(raw)
                raws[c] = pc.coalesce(raw, col.cast(pa.string()))
            else:
                raws[c] = col.cast(pa.string())
        else:
            col = col.cast(pa.string())
            cleaned[c] = clean_numbers(col)
            raws[c] = col
    decision = (
        decide_decimal([cleaned[c] for c in cols if c in cleaned], lay.hint) if cleaned else None
    )
    if decision is not None and decision.ambiguous_example is not None:
        _ambiguous_warning(sheet, cols, cleaned, decision, probs)
    out = []
    for c in cols:
        clean = cleaned.get(c)
        if c in floats:
            values = floats[c]
            missing = pc.is_null(values)
            bad = None
            if clean is not None:  # text cells in a number column: read like CSV text
                has_text = pc.and_(missing, pc.not_equal(clean.text, ""))
                parsed, valid = parse_numbers(clean, decision)
                values = pc.if_else(has_text, parsed, values)
                bad = pc.and_(has_text, pc.and_(pc.invert(valid), pc.invert(clean.missing)))
                missing = pc.and_(missing, pc.or_(pc.invert(has_text), clean.missing))
        else:
            values, valid = parse_numbers(clean, decision)
            missing = clean.missing
            bad = (
                None
                if clean.fast is not None and decision.decimal == "."
                else pc.and_(pc.invert(valid), pc.invert(missing))
            )
        out.append(Values(values, missing, bad if any_true(bad) else None, clean, raws[c]))
    return out


def scale_percent_cells(
    sheet: Sheet, col: int, val: Values, ind: Mapped, probs: Problems, ctx: Ctx
):
    """Excel shows 0.45 formatted as a percentage as "45%": for an indicator in %, the value meant
    is 45. Such number cells (never text cells, whose "45 %" is read as written) are multiplied by
    100, with one `percent-scaled` warning per column."""
    import numpy as np

    n = sheet.num_rows
    flags = np.zeros(n, dtype=bool)
    idx = np.asarray(sheet.percent_cells[col], dtype=np.int64)
    flags[idx[idx < n]] = True  # a formatted empty cell can lie below the last row read
    for r in sheet.text_cells.get(col, {}):
        flags[r] = False
    in_percent = ind.mask(lambda _v, code: code in ctx.percent)
    if in_percent is None:
        return val.values
    scaled = pc.and_(pc.and_(pa.array(flags), in_percent), pc.is_valid(val.values))
    count = pc.sum(scaled.cast(pa.int64())).as_py() or 0
    if not count:
        return val.values
    first = pc.indices_nonzero(scaled)[0].as_py()
    example = val.values[first].as_py()
    probs.add(
        code="percent-scaled",
        row=sheet.rows[first].as_py(),
        column=sheet.letters[col],
        count=count,
        value=example,
        shown=example * 100,
    )
    # rounded: 0.45 * 100 is 45.00000000000001 in binary floating point
    return pc.if_else(scaled, pc.round(pc.multiply(val.values, 100.0), 10), val.values)


def _ambiguous_warning(sheet: Sheet, cols, cleaned, decision: NumberDecision, probs: Problems):
    example = decision.ambiguous_example
    for c in cols:
        if c not in cleaned:
            continue
        hit = pc.indices_nonzero(pc.equal(cleaned[c].text, example))
        if len(hit):
            row = sheet.rows[hit[0].as_py()].as_py()
            letter = sheet.letters[c]
            break
    else:
        row, letter = None, None
    parsed, _valid = parse_numbers(clean_numbers(pa.array([example], pa.string())), decision)
    number = f"{parsed[0].as_py():g}"
    probs.add(
        code="ambiguous-number",
        variant="hint" if decision.by_hint else "",
        row=row,
        column=letter,
        value=example,
        number=number,
    )


def missing_value(written: str | None) -> dict:
    if written is None or not str(written).strip():
        return {}
    return {"variant": "written", "value": str(written).strip()}
