"""Which rows of a sheet hold data: note and heading rows set aside (and said), the rest kept."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ..problems import Problems
from ..sheet import Sheet, is_source_line, source_note
from .arrow import Mapped, sheet_column
from .context import Ctx
from .layout import Layout
from .totals import total_rows, total_warnings


def filter_sheet(sheet: Sheet, keep: pa.Array) -> Sheet:
    text_cells, percent_cells = {}, {}
    if sheet.text_cells or sheet.percent_cells:
        new_pos = {old: new for new, old in enumerate(pc.indices_nonzero(keep).to_pylist())}
        text_cells = {
            c: {new_pos[r]: t for r, t in cells.items() if r in new_pos}
            for c, cells in sheet.text_cells.items()
        }
        percent_cells = {
            c: [new_pos[r] for r in rows if r in new_pos] for c, rows in sheet.percent_cells.items()
        }
    return Sheet(
        file=sheet.file,
        sheet=sheet.sheet,
        header_row=sheet.header_row,
        headers=sheet.headers,
        letters=sheet.letters,
        table=sheet.table.filter(keep),
        rows=pc.filter(sheet.rows, keep),
        text_cells=text_cells,
        titles=sheet.titles,
        source=sheet.source,
        notes=sheet.notes,
        hint=sheet.hint,
        problems=[],
        percent_cells=percent_cells,
    )


def collect_notes(sheet: Sheet, masks: list[pa.Array], single: pa.Array, probs: Problems) -> None:
    """Texts of the note/heading rows; a "Source : …" line gives the sheet's source. Every other
    such row is reported (`skipped-row`): no row leaves the data without a word."""
    idx = pc.indices_nonzero(single)
    if not len(idx):
        return
    total = len(idx)
    idx = idx.slice(0, 200)
    positions = idx.to_pylist()
    texts: list[str | None] = [None] * len(positions)
    for i in range(len(sheet.headers)):
        present = pc.take(masks[i], idx).to_pylist()
        if not any(present):
            continue
        vals = pc.take(sheet_column(sheet, i), idx).cast(pa.string()).to_pylist()
        extra = sheet.text_cells.get(i, {})
        for k, p in enumerate(present):
            if p and texts[k] is None:
                texts[k] = vals[k] if vals[k] is not None else extra.get(positions[k])
    rows = pc.take(sheet.rows, idx).to_pylist()
    for row, t in zip(rows, texts, strict=True):
        t = (t or "").strip()
        if is_source_line(t):
            if not sheet.source:
                sheet.source = source_note(t)
            sheet.notes.append(t)
            continue
        if t:
            sheet.notes.append(t)
        probs.add(code="skipped-row", row=row, text=t)
    probs.count_more("skipped-row", total - len(positions))


def data_rows(sheet: Sheet, lay: Layout, ind: Mapped, ctx: Ctx, probs: Problems):
    """(keep, stored totals): the rows that hold data, and among them the grand totals to store.

    Rows with a single text cell that is not a known indicator are titles, section headings or the
    notes block ("Source : …", "* provisoire"), not data. The count is int32: a wide row can fill
    hundreds of cells (an int8 count wrapped at 128 and lost the row).
    """
    masks = [sheet.nonempty(i) for i in range(len(sheet.headers))]
    count = masks[0].cast(pa.int32())
    for m in masks[1:]:
        count = pc.add(count, m.cast(pa.int32()))
    value_cols = lay.value_columns()
    in_value = masks[value_cols[0]]
    for c in value_cols[1:]:
        in_value = pc.or_(in_value, masks[c])
    known = ind.mask(lambda _v, code: code is not None)
    single = pc.and_(pc.equal(count, 1), pc.invert(in_value))
    if known is not None:
        single = pc.and_(single, pc.invert(known))
    totals = total_rows(sheet, lay, ind, masks, ctx)
    if totals is not None:
        single = pc.and_(single, pc.invert(totals.skip))
        total_warnings(sheet, totals, probs)
    keep = pc.and_(pc.greater(count, 0), pc.invert(single))
    if totals is not None:
        keep = pc.and_(keep, pc.invert(totals.skip))
    collect_notes(sheet, masks, single, probs)
    return keep, None if totals is None else totals.stored
