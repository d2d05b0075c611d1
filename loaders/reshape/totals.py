"""Total and subtotal rows: which are skipped, which grand totals are stored, and whether they add up."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from ..normalize import parse_period, total_kind
from ..problems import MAX_LISTED, Problems
from ..sheet import Sheet
from ..units import written_unit
from .arrow import Mapped, any_true, arr, plain, sheet_column
from .context import Ctx
from .layout import Layout


@dataclass
class Totals:
    skip: pa.Array  # total or subtotal rows left out of the data (with a warning)
    stored: pa.Array  # grand totals with their indicator and period: the national value
    kinds: pa.Array  # "total" / "subtotal" where a label was found
    labels: pa.Array  # the label as written
    letters: pa.Array  # the column the label is in


def total_rows(sheet: Sheet, lay: Layout, ind: Mapped, masks, ctx: Ctx) -> Totals | None:
    """Rows labelled Total / Sous-total / المجموع… in the indicator, region or first column.

    A grand total is stored (as before) only when its label stands where a region goes (the region
    column, or the first column beside a blank region), its indicator is known, and (long layout) its
    period and value are there. Every other total or subtotal row is skipped, whatever else it holds.
    """
    n = sheet.num_rows
    false = pa.repeat(pa.scalar(False), n)
    found: dict[int, tuple[pa.Array, pa.Array]] = {}  # column -> (kind, label as written)
    key_kinds = [
        None if code is not None else total_kind(v)
        for v, code in zip(ind.distinct, ind.results, strict=True)
    ]
    if any(key_kinds):
        found[lay.key] = (
            plain(pa.DictionaryArray.from_arrays(ind.indices, pa.array(key_kinds, pa.string()))),
            plain(pa.DictionaryArray.from_arrays(ind.indices, pa.array(ind.distinct, pa.string()))),
        )
    for c in (lay.region, 0):
        if c is None or c == lay.key or c in found or c in lay.value_columns():
            continue
        col = sheet_column(sheet, c)
        if not pa.types.is_string(col.type):
            continue
        mapped = Mapped(col, total_kind)
        if any(mapped.results):
            found[c] = (plain(mapped.column()), col)
    if not found:
        return None
    kind = pc.coalesce(*[k for k, _l in found.values()])
    label = pc.coalesce(*[pc.if_else(pc.is_valid(k), lab, None) for k, lab in found.values()])
    letter = pc.coalesce(
        *[
            pc.if_else(pc.is_valid(k), pa.scalar(sheet.letters[c]), pa.scalar(None, pa.string()))
            for c, (k, _l) in found.items()
        ]
    )
    any_sub = false
    for k, _l in found.values():
        any_sub = pc.or_(any_sub, pc.fill_null(pc.equal(k, "subtotal"), False))
    grand_there = false
    for c in {lay.region, 0} - {None, lay.key}:
        if c in found:
            grand_there = pc.or_(grand_there, pc.fill_null(pc.equal(found[c][0], "total"), False))
    stored = pc.and_(grand_there, pc.invert(any_sub))
    known = ind.mask(lambda _v, code: code is not None)
    stored = pc.and_(stored, known if known is not None else false)
    if lay.region is not None:  # the region cell is blank or is the label itself
        region_label = (
            pc.fill_null(pc.equal(found[lay.region][0], "total"), False)
            if lay.region in found
            else false
        )
        stored = pc.and_(stored, pc.or_(pc.invert(masks[lay.region]), region_label))
    if not lay.periods and any_true(stored):
        per = Mapped(sheet_column(sheet, lay.period), parse_period)
        good = per.mask(lambda _v, p: p is not None)
        stored = pc.and_(stored, good if good is not None else false)
        stored = pc.and_(stored, masks[lay.value])
    skip = pc.and_(pc.is_valid(kind), pc.invert(stored))
    return Totals(arr(skip), arr(stored), arr(kind), arr(label), arr(letter))


def total_warnings(sheet: Sheet, t: Totals, probs: Problems) -> None:
    """One warning per skipped total or subtotal row, at its label."""
    idx = pc.indices_nonzero(t.skip)
    total = len(idx)
    if not total:
        return
    first = idx.slice(0, MAX_LISTED)
    rows = pc.take(sheet.rows, first).to_pylist()
    kinds = pc.take(t.kinds, first).to_pylist()
    labels = pc.take(t.labels, first).to_pylist()
    letters = pc.take(t.letters, first).to_pylist()
    for row, kind, label, letter in zip(rows, kinds, labels, letters, strict=True):
        label = (label or "").strip()
        variant = "subtotal" if kind == "subtotal" else ""
        probs.add(code="total-row", variant=variant, row=row, column=letter, label=label)
    probs.count_more("total-row", total - len(rows))


def check_totals(
    table: pa.Table, sheet: Sheet, lay: Layout, probs: Problems, ctx: Ctx
) -> pa.Array | None:
    """A total row is the national value; with regional rows beside it, it must match their sum.

    Returns the rows' error mask with the mismatching totals added, or None when nothing changes.
    """
    is_total = table.column("_total")
    if not pc.any(is_total).as_py():
        return None
    totals = table.filter(is_total)
    error = table.column("_error")
    key = pc.binary_join_element_wise(
        plain(arr(table.column("indicator"))), plain(arr(table.column("period"))), "|"
    )
    total_keys = pc.filter(key, pc.and_(is_total, pc.invert(error)))
    in_group = pc.is_in(key, value_set=arr(total_keys))
    regional = pc.and_(in_group, table.column("_regional"))
    # A group where a regional row could not be read is not checked: its sum would mean nothing.
    skip = set(pc.filter(key, pc.and_(in_group, pc.and_(error, pc.invert(is_total)))).to_pylist())
    sums: dict[str, float] = {}
    if pc.any(regional).as_py():
        sub = pa.Table.from_arrays(
            [pc.filter(key, regional), arr(table.column("value")).filter(regional)],
            names=["k", "v"],
        )
        agg = sub.group_by("k").aggregate([("v", "sum")])
        sums = dict(zip(agg.column("k").to_pylist(), agg.column("v_sum").to_pylist(), strict=True))
    mismatched = []
    for row in (
        totals.filter(pc.invert(totals.column("_error")))
        .select(["indicator", "period", "value", "unit", "row_number", "column"])
        .to_pylist()
    ):
        k = f"{row['indicator']}|{row['period']}"
        if k in skip or k not in sums or not ctx.additive.get(row["indicator"], False):
            continue
        written = written_unit(row["unit"], ctx.catalog.units) if row["unit"] else None
        if written is not None and written.aggregation != "sum":  # "%" written beside the total
            continue
        total, regions_sum = row["value"], sums[k]
        if abs(total - regions_sum) > max(abs(total) * 0.005, 1.0):
            probs.add(
                code="total-mismatch",
                row=row["row_number"],
                column=row["column"],
                total=total,
                sum=regions_sum,
                indicator=row["indicator"],
                period=row["period"],
            )
            mismatched.append(f"{row['row_number']}|{row['column']}")
    if not mismatched:
        return None
    # A total that does not add up is an error: its row is left out like any other.
    cell = pc.binary_join_element_wise(
        table.column("row_number").cast(pa.string()), plain(arr(table.column("column"))), "|"
    )
    return pc.or_(error, pc.is_in(cell, value_set=pa.array(mismatched, pa.string())))
