"""Small helpers on Arrow arrays for the reshaper: masks, constants, mapped text columns, capped problems."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from ..problems import MAX_LISTED, Problems
from ..sheet import Sheet


def arr(x) -> pa.Array:
    return x.combine_chunks() if isinstance(x, pa.ChunkedArray) else x


def plain(a: pa.Array) -> pa.Array:
    return a.cast(a.type.value_type) if pa.types.is_dictionary(a.type) else a


def const(value, n: int, type_: pa.DataType | None = None) -> pa.Array:
    type_ = type_ or pa.string()
    return pa.nulls(n, type_) if value is None else pa.repeat(pa.scalar(value, type_), n)


def either(a: pa.Array | None, b: pa.Array | None) -> pa.Array | None:
    """a OR b, where None stands for "no row"."""
    if a is None or b is None:
        return b if a is None else a
    return pc.or_(a, b)


def join(a: pa.Array, b: pa.Array) -> pa.Array:
    """'a b', or whichever is not null."""
    return pc.coalesce(pc.binary_join_element_wise(a, b, " "), a, b)


def blank(v: str | None) -> bool:
    return v is None or not v.strip()


def any_true(mask: pa.Array | None) -> bool:
    return mask is not None and bool(pc.any(mask).as_py())


def col_order(letter: str | None) -> tuple[int, str]:
    return (len(letter), letter) if letter else (0, "")


class Mapped:
    """A text column mapped through its distinct values (few, even in a million rows)."""

    def __init__(self, col: pa.Array, fn):
        enc = pc.dictionary_encode(pc.fill_null(col.cast(pa.string()), ""))
        enc = arr(enc)
        self.indices = enc.indices
        self.distinct: list[str] = enc.dictionary.to_pylist()
        self.results = [fn(v) for v in self.distinct]

    def column(self, get=None) -> pa.Array:
        values = [r if get is None else get(r) for r in self.results]
        return pa.DictionaryArray.from_arrays(self.indices, pa.array(values, pa.string()))

    def raw(self) -> pa.Array:
        """The column as written (dictionary-encoded)."""
        return pa.DictionaryArray.from_arrays(self.indices, pa.array(self.distinct, pa.string()))

    def mask(self, pred) -> pa.Array | None:
        """Rows whose (distinct value, result) satisfies pred; None when no row does."""
        flags = [bool(pred(v, r)) for v, r in zip(self.distinct, self.results, strict=True)]
        if not any(flags):
            return None
        return pc.take(pa.array(flags, pa.bool_()), self.indices)


def sheet_column(sheet: Sheet, i: int) -> pa.Array:
    return arr(sheet.table.column(i))


def release(sheet: Sheet, *cols: int | None) -> None:
    """Drop columns already read: a million-row sheet should not be held twice in memory."""
    for i in cols:
        if i is not None:
            f = sheet.table.schema.field(i)
            sheet.table = sheet.table.set_column(i, f, pa.nulls(sheet.num_rows, f.type))


def trimmed(sheet: Sheet, i: int | None, n: int) -> pa.Array:
    """Column i as trimmed text, null for blank cells (unit, source, comment)."""
    if i is None:
        return const(None, n)
    col = sheet_column(sheet, i).cast(pa.string())
    if col.null_count == n or pc.max(pc.binary_length(col)).as_py() in (None, 0):
        return const(None, n)
    words = Mapped(col, lambda v: v.strip() or None)
    return words.column().cast(pa.string())


def cells(probs: Problems, mask: pa.Array | None, rows: pa.Array, column: str, code: str, build,
          *values) -> None:  # fmt: skip
    """One problem per True in mask (the first MAX_LISTED built), the rest counted by the collector.

    `build(*cell_values)` gives the problem's variant and parameters from the `values` arrays at that row.
    """
    if mask is None:
        return
    idx = pc.indices_nonzero(pc.fill_null(mask, False))
    total = len(idx)
    if not total:
        return
    first = idx.slice(0, MAX_LISTED)
    row_list = pc.take(rows, first).to_pylist()
    value_lists = [pc.take(v, first).to_pylist() for v in values]
    for k, r in enumerate(row_list):
        probs.add(code=code, row=r, column=column, **build(*[vl[k] for vl in value_lists]))
    probs.count_more(code, total - len(row_list), column=column)
