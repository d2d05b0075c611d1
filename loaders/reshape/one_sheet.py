"""One sheet -> its long rows and problems: data rows, keys mapped to the catalog, values, totals checked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from ..longform import LONG_SCHEMA, empty_long
from ..normalize import parse_period, period_lang
from ..problems import Problem, Problems
from ..sheet import Sheet
from .arrow import (
    Mapped,
    any_true,
    arr,
    blank,
    cells,
    col_order,
    const,
    either,
    join,
    plain,
    release,
    sheet_column,
    trimmed,
)
from .context import Ctx, unknown_indicator, unknown_region
from .layout import Layout, layout
from .rows import data_rows, filter_sheet
from .totals import check_totals
from .values import Values, missing_value, parse_values, scale_percent_cells

_OUT_COLUMNS = ("indicator", "period", "region", "value", "unit", "source", "comment",
                "row_number", "column")  # fmt: skip


@dataclass
class _Keys:
    """A sheet's rows mapped to catalog keys, and the rows whose keys are in error."""

    indicator: pa.Array
    period: pa.Array | None  # None for a wide table: the period is each value column's header
    region: pa.Array
    regional: pa.Array | None  # rows of a region (not national, not a total)
    total: pa.Array | None  # grand totals stored as the national value
    error: pa.Array | None


def reshape_sheet(sheet: Sheet, ctx: Ctx, key_columns: dict) -> tuple[pa.Table, list[Problem]]:
    """One sheet's rows and problems; records in key_columns where its indicator, period and region
    columns are, so that later checks point at the cell to change (a wide table's period is the
    header of each value column: no period column)."""
    probs = Problems(lang=ctx.lang, file=sheet.file, sheet=sheet.sheet)
    probs.extend(sheet.problems)
    lay = layout(sheet, probs)
    if lay is None or sheet.num_rows == 0:
        return empty_long(), probs.done()
    key_columns[(sheet.file, sheet.sheet)] = {
        role: None if i is None else sheet.letters[i]
        for role, i in (("indicator", lay.key), ("period", lay.period), ("region", lay.region))
    }
    ind = Mapped(sheet_column(sheet, lay.key), ctx.indicators.match)
    keep, stored_total = data_rows(sheet, lay, ind, ctx, probs)
    if not pc.all(keep).as_py():
        sheet = filter_sheet(sheet, keep)
        if sheet.num_rows == 0:
            return empty_long(), probs.done()
        ind = Mapped(sheet_column(sheet, lay.key), ctx.indicators.match)
        if stored_total is not None:
            stored_total = pc.filter(stored_total, keep)
    for i in lay.unnamed:  # cells under no header, in the data rows (not in the notes block)
        if pc.any(sheet.nonempty(i)).as_py():
            letter = sheet.letters[i]
            probs.add(code="ignored-column", variant="unnamed", row=sheet.header_row,
                      column=letter, letter=letter)  # fmt: skip
    keys = _map_keys(sheet, lay, ind, stored_total, ctx, probs)
    table = _value_rows(sheet, lay, ind, keys, ctx, probs)
    errors = check_totals(table, sheet, lay, probs, ctx)
    if errors is not None:
        table = table.set_column(table.schema.get_field_index("_error"), "_error", errors)
    error = table.column("_error")
    ok = table.filter(pc.invert(error)) if pc.any(error).as_py() else table
    m = ok.num_rows
    columns = {name: plain(arr(ok.column(name))) for name in _OUT_COLUMNS}
    columns["file"], columns["sheet"] = const(sheet.file, m), const(sheet.sheet, m)
    out = pa.Table.from_arrays(
        [columns[f.name].cast(f.type) for f in LONG_SCHEMA], schema=LONG_SCHEMA
    )
    listed = probs.done()
    listed.sort(key=lambda p: (p.row is None, p.row or 0, col_order(p.column)))
    return out, listed


def _map_keys(sheet: Sheet, lay: Layout, ind: Mapped, stored_total: pa.Array | None, ctx: Ctx,
              probs: Problems) -> _Keys:  # fmt: skip
    """Row-level mappings (indicator, period of a long table, region), each problem at its cell."""
    rows, L = sheet.rows, sheet.letters
    empty = ind.mask(lambda v, _r: blank(v))
    cells(probs, empty, rows, L[lay.key], "missing-value", lambda: {"variant": "indicator"})
    unknown = ind.mask(lambda v, code: code is None and not blank(v))
    cells(probs, unknown, rows, L[lay.key], "unknown-indicator",
          lambda v: unknown_indicator(ctx, v), ind.raw())  # fmt: skip
    row_error = either(empty, unknown)
    indicator = ind.column()
    release(sheet, lay.key)

    period = None
    if not lay.periods:
        per = Mapped(sheet_column(sheet, lay.period), parse_period)
        period = per.column()
        empty = per.mask(lambda v, _p: blank(v))
        cells(probs, empty, rows, L[lay.period], "missing-value", lambda: {"variant": "period"})
        bad = per.mask(lambda v, p: p is None and not blank(v))
        cells(probs, bad, rows, L[lay.period], "bad-period", lambda v: {"value": v}, per.raw())
        row_error = either(row_error, either(empty, bad))
        release(sheet, lay.period)
        if lay.hint is None:
            p_langs = Counter(lg for lg in map(period_lang, per.distinct) if lg)
            if len(p_langs) == 1:
                lay.hint = next(iter(p_langs))

    if lay.region is not None:
        reg = Mapped(sheet_column(sheet, lay.region), ctx.regions.match)
        region = reg.column(lambda m: m.iso)
        r_raw = reg.raw()
        old = reg.mask(lambda _v, m: m.kind == "old")
        cells(probs, old, rows, L[lay.region], "old-region", lambda v: {"value": v}, r_raw)
        unknown = reg.mask(lambda _v, m: m.kind == "unknown")
        cells(probs, unknown, rows, L[lay.region], "unknown-region",
              lambda v: unknown_region(ctx, v), r_raw)  # fmt: skip
        row_error = either(row_error, either(old, unknown))
        release(sheet, lay.region)
        regional = reg.mask(lambda _v, m: m.kind == "region")
    else:
        region, regional = const("", sheet.num_rows), None
    # Grand totals that carry their indicator and period (the others were skipped as data rows).
    total = stored_total if any_true(stored_total) else None
    cells(probs, total, rows, L[lay.region] if lay.region is not None else L[lay.key],
          "total-row", lambda: {"variant": "stored"})  # fmt: skip
    return _Keys(indicator, period, region, regional, total, row_error)


def _value_rows(sheet: Sheet, lay: Layout, ind: Mapped, keys: _Keys, ctx: Ctx,
                probs: Problems) -> pa.Table:  # fmt: skip
    """The rows with their values: one block per value column (one in a long table, one per
    period column in a wide one), stacked; the decimal separator is decided once for all."""
    n = sheet.num_rows
    unit_col = trimmed(sheet, lay.unit, n)
    source = trimmed(sheet, lay.source, n)
    if sheet.source and lay.source is None:  # a "Source : …" line stands for a missing column
        source = const(sheet.source, n)
    comment = trimmed(sheet, lay.comment, n)
    release(sheet, lay.unit, lay.source, lay.comment)
    cols = [(lay.value, None, lay.value_unit)] if lay.value is not None else lay.periods
    values = parse_values(sheet, [c for c, _p, _u in cols], lay, probs)
    false = pa.repeat(pa.scalar(False), n)
    blocks = []
    for (col, col_period, col_unit), val in zip(cols, values, strict=True):
        letter = sheet.letters[col]
        cell_error, absent, mark = _value_problems(sheet, lay, col, val, ind, ctx, probs)
        unit = unit_col
        if col_unit:
            unit = pc.fill_null(unit, col_unit)
        if val.clean is not None and val.clean.percent is not None:
            unit = pc.if_else(pc.and_(pc.is_null(unit), val.clean.percent), "%", unit)
        error = either(keys.error, cell_error)
        blocks.append(
            {
                "indicator": keys.indicator,
                "period": keys.period if keys.period is not None else const(col_period, n),
                "region": keys.region,
                "value": val.values,
                "unit": unit,
                "source": source,
                "comment": comment if mark is None else join(comment, mark),
                "row_number": sheet.rows,
                "column": const(letter, n),
                "_error": false if error is None else pc.fill_null(error, False),
                "_absent": false if absent is None else absent,
                "_total": false if keys.total is None else keys.total,
                "_regional": false if keys.regional is None else keys.regional,
            }
        )
    if len(blocks) == 1:
        return pa.Table.from_arrays(list(blocks[0].values()), names=list(blocks[0]))
    names = list(blocks[0])  # wide: one block per period column, stacked
    table = pa.Table.from_arrays(
        [pa.concat_arrays([plain(b[k]) for b in blocks]) for k in names], names=names
    )
    return table.filter(pc.invert(table.column("_absent")))


def _value_problems(sheet: Sheet, lay: Layout, col: int, val: Values, ind: Mapped, ctx: Ctx,
                    probs: Problems):  # fmt: skip
    """The problems of one value column; returns (cell errors, absent cells, footnote marks) and
    scales its percent-formatted cells in place."""
    rows, letter = sheet.rows, sheet.letters[col]
    cells(probs, val.bad, rows, letter, "bad-number", lambda v: {"value": v}, val.raw)
    if lay.wide:  # an empty cell of a wide table is a value not reported: nothing to say
        cell_error, absent = val.bad, val.missing
    else:
        # "n.d." or "-" is quoted as written: the person sees which cell, and that it is not empty
        cells(probs, val.missing if any_true(val.missing) else None, rows, letter,
              "missing-value", missing_value, val.raw)  # fmt: skip
        cell_error, absent = either(val.bad, val.missing), None
    if sheet.percent_cells.get(col):
        val.values = scale_percent_cells(sheet, col, val, ind, probs, ctx)
    mark = val.clean.mark if val.clean is not None else None
    if mark is not None:
        shown = pc.is_valid(mark)
        for hidden in (absent, val.bad):  # a bad or absent cell has a bigger problem to report
            if hidden is not None:
                shown = pc.and_(shown, pc.invert(hidden))
        cells(probs, shown, rows, letter, "footnote-stripped",
              lambda m, v: {"mark": m, "value": v}, mark, val.raw)  # fmt: skip
    return cell_error, absent, mark
