"""One file -> the canonical long table (LongResult): layout (long or wide), mapping to catalog codes, problems."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from .catalog import Catalog
from .i18n import name_col
from .limits import check_cells, check_workbook
from .longform import LONG_SCHEMA, LongResult, empty_long
from .normalize import (
    ROLE_LABELS,
    CleanNumbers,
    IndicatorMatcher,
    NumberDecision,
    RegionMatcher,
    classify_header,
    clean_numbers,
    decide_decimal,
    parse_numbers,
    parse_period,
    period_lang,
    total_kind,
)
from .problems import (
    MAX_LISTED,
    EmptyFile,
    FileNotOpened,
    NotASpreadsheet,
    Problem,
    Problems,
    UnsupportedFileType,
    per_lang,
)
from .read_csv import read_csv
from .read_excel import EXCEL_SUFFIXES, read_excel
from .sheet import Sheet, is_source_line, source_note
from .units import indicator_units, written_unit

CSV_SUFFIXES = (".csv", ".tsv", ".txt")


# ---------------------------------------------------------------------------------------------
# Entry point


def read_long(
    path: Path, catalog: Catalog, *, lang: str = "en", display_name: str | None = None
) -> LongResult:
    """Read one CSV or Excel file into LONG_SCHEMA rows plus every problem found, in one pass.

    Rows with an error are left out of `rows`. Raises UnreadableFile only for a file that cannot be
    read at all (empty, not a table format, corrupt).
    """
    path = Path(path)
    file = display_name or path.name
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as e:
        raise FileNotOpened(file, lang=lang) from e
    if not head:
        raise EmptyFile(file, lang=lang)
    suffix = (Path(file).suffix or path.suffix).lower()
    is_zip, is_ole = head.startswith(b"PK\x03\x04"), head.startswith(b"\xd0\xcf\x11\xe0")
    if is_zip or is_ole:
        if is_zip and (too_big := check_workbook(path, file, lang=lang)):  # before any parse
            return LongResult(rows=empty_long(), problems=too_big)
        sheets, problems, names = read_excel(path, file, lang=lang)
    elif suffix in CSV_SUFFIXES or suffix in EXCEL_SUFFIXES:
        if head.lstrip().startswith(b"<"):  # HTML or XML saved under a spreadsheet name
            raise NotASpreadsheet(file, lang=lang)
        # An "Excel" file that is really text (a renamed CSV) is read as the CSV it is.
        sheets, problems, names = [read_csv(path.read_bytes(), file, lang=lang)], [], []
    else:
        raise UnsupportedFileType(file, lang=lang, suffix=suffix or "?")
    if too_big := check_cells(sheets, file, lang=lang):
        return LongResult(rows=empty_long(), problems=too_big)
    ctx = _context(catalog, lang)
    tables, key_columns = [], {}
    while sheets:  # popped, so a sheet's cells can be freed as soon as it is reshaped
        table, sheet_problems = _reshape(sheets.pop(0), ctx, key_columns)
        tables.append(table)
        problems.extend(sheet_problems)
    rows = pa.concat_tables(tables) if tables else empty_long()
    if rows.num_rows == 0 and not any(p.is_error for p in problems):
        problems.append(Problem(file=file, code="no-data", lang=lang))
    return LongResult(rows=rows, problems=problems, sheets=names, key_columns=key_columns)


# ---------------------------------------------------------------------------------------------
# Context: what a sheet is read against


@dataclass
class _Ctx:
    catalog: Catalog
    lang: str
    indicators: IndicatorMatcher
    regions: RegionMatcher
    additive: dict[str, bool] = field(default_factory=dict)
    percent: frozenset[str] = frozenset()  # indicators whose unit is a percentage


_MATCHERS: dict[str, tuple[IndicatorMatcher, RegionMatcher]] = {}


def _context(catalog: Catalog, lang: str) -> _Ctx:
    cache_key = f"{catalog.directory}:{catalog.digest}"
    if cache_key not in _MATCHERS:
        _MATCHERS[cache_key] = (IndicatorMatcher(catalog), RegionMatcher(catalog))
    ind, reg = _MATCHERS[cache_key]
    # Regions add up to the national value only for a level, flow or stock in a summed unit.
    units = indicator_units(catalog)
    additive = {
        i.code: i.kind in ("level", "flow", "cumulative")
        and i.code in units
        and units[i.code].aggregation == "sum"
        for i in catalog.indicators
    }
    percent = frozenset(c for c, u in units.items() if u.kind == "percent")
    return _Ctx(catalog, lang, ind, reg, additive, percent)


# ---------------------------------------------------------------------------------------------
# Problems, capped per (code, column)


def _cells(probs: Problems, mask: pa.Array | None, rows: pa.Array, column: str, code: str, build,
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


# ---------------------------------------------------------------------------------------------
# Columns of a sheet


@dataclass
class _Layout:
    key: int | None = None  # indicator column
    period: int | None = None
    region: int | None = None
    value: int | None = None
    unit: int | None = None
    source: int | None = None
    comment: int | None = None
    # wide layout: (column, its period, unit in its header brackets)
    periods: list[tuple[int, str, str | None]] = field(default_factory=list)
    value_unit: str | None = None  # "Valeur (%)"
    hint: str | None = None
    unnamed: list[int] = field(default_factory=list)  # columns without a header

    @property
    def wide(self) -> bool:
        return self.value is None and bool(self.periods)


def _layout(sheet: Sheet, probs: Problems) -> _Layout | None:
    infos = [classify_header(h) for h in sheet.headers]
    lay = _Layout()
    langs = Counter(i.lang for i in infos if i.lang)
    codes = [i for i, inf in enumerate(infos) if inf.role == "code"]
    names = [i for i, inf in enumerate(infos) if inf.role == "indicator"]
    lay.key = codes[0] if codes else (names[0] if names else None)
    duplicates = []
    for i, inf in enumerate(infos):
        role = inf.role
        if role in ("code", "indicator"):
            if i != lay.key and (role == "code" or not codes):
                duplicates.append((i, "indicator"))
        elif role in ("period", "region", "value", "unit", "source", "comment"):
            if getattr(lay, role) is None:
                setattr(lay, role, i)
                if role == "value":
                    lay.value_unit = inf.unit
            else:
                duplicates.append((i, role))
        elif role == "period-column":
            lay.periods.append((i, inf.period, inf.unit))
    missing = []
    if lay.key is None:
        missing.append("indicator")
    if not lay.periods:
        if lay.period is None:
            missing.append("period")
        if lay.value is None:
            missing.append("value")
    if missing:
        probs.add(
            code="missing-column",
            row=sheet.header_row,
            missing=[ROLE_LABELS[m] for m in missing],
            found=[h for h in sheet.headers if h],
        )
        return None
    if lay.value is not None and lay.periods:  # a long table: period-like headers are not data here
        for i, _p, _u in lay.periods:
            probs.add(
                code="ignored-column",
                row=sheet.header_row,
                column=sheet.letters[i],
                header=sheet.headers[i],
            )
        lay.periods = []
    for i, role in duplicates:
        probs.add(
            code="ignored-column",
            variant="repeat",
            row=sheet.header_row,
            column=sheet.letters[i],
            header=sheet.headers[i],
            role=ROLE_LABELS[role],
        )
    for i, inf in enumerate(infos):
        if inf.role is not None:
            continue
        if sheet.headers[i]:
            probs.add(
                code="ignored-column",
                row=sheet.header_row,
                column=sheet.letters[i],
                header=sheet.headers[i],
            )
        else:
            lay.unnamed.append(i)
    if sheet.hint:
        lay.hint = sheet.hint
    elif langs:
        (top, n), *rest = langs.most_common()
        lay.hint = top if not rest or rest[0][1] < n else None
    return lay


# ---------------------------------------------------------------------------------------------
# Helpers on Arrow arrays


def _arr(x) -> pa.Array:
    return x.combine_chunks() if isinstance(x, pa.ChunkedArray) else x


def _const(value, n: int, type_: pa.DataType | None = None) -> pa.Array:
    type_ = type_ or pa.string()
    return pa.nulls(n, type_) if value is None else pa.repeat(pa.scalar(value, type_), n)


def _or(a: pa.Array | None, b: pa.Array | None) -> pa.Array | None:
    if a is None or b is None:
        return b if a is None else a
    return pc.or_(a, b)


def _join(a: pa.Array, b: pa.Array) -> pa.Array:
    """'a b', or whichever is not null."""
    return pc.coalesce(pc.binary_join_element_wise(a, b, " "), a, b)


def _blank(v: str | None) -> bool:
    return v is None or not v.strip()


class _Mapped:
    """A text column mapped through its distinct values (few, even in a million rows)."""

    def __init__(self, col: pa.Array, fn):
        enc = pc.dictionary_encode(pc.fill_null(col.cast(pa.string()), ""))
        enc = _arr(enc)
        self.indices = enc.indices
        self.distinct: list[str] = enc.dictionary.to_pylist()
        self.results = [fn(v) for v in self.distinct]

    def column(self, get=None) -> pa.Array:
        values = [r if get is None else get(r) for r in self.results]
        return pa.DictionaryArray.from_arrays(self.indices, pa.array(values, pa.string()))

    def mask(self, pred) -> pa.Array | None:
        """Rows whose (distinct value, result) satisfies pred; None when no row does."""
        flags = [bool(pred(v, r)) for v, r in zip(self.distinct, self.results, strict=True)]
        if not any(flags):
            return None
        return pc.take(pa.array(flags, pa.bool_()), self.indices)


def _column(sheet: Sheet, i: int) -> pa.Array:
    return _arr(sheet.table.column(i))


def _release(sheet: Sheet, *cols: int | None) -> None:
    """Drop columns already read: a million-row sheet should not be held twice in memory."""
    for i in cols:
        if i is not None:
            f = sheet.table.schema.field(i)
            sheet.table = sheet.table.set_column(i, f, pa.nulls(sheet.num_rows, f.type))


def _trimmed(sheet: Sheet, i: int | None, n: int) -> pa.Array:
    """Column i as trimmed text, null for blank cells (unit, source, comment)."""
    if i is None:
        return _const(None, n)
    col = _column(sheet, i).cast(pa.string())
    if col.null_count == n or pc.max(pc.binary_length(col)).as_py() in (None, 0):
        return _const(None, n)
    words = _Mapped(col, lambda v: v.strip() or None)
    return words.column().cast(pa.string())


# ---------------------------------------------------------------------------------------------
# One sheet


@dataclass
class _Values:
    values: pa.Array  # float64, null where not a number
    missing: pa.Array  # bool: empty cell (or "n.d.")
    bad: pa.Array | None  # bool: not a number; None when every cell is a number
    clean: CleanNumbers | None
    raw: pa.Array  # text shown in messages


def _reshape(sheet: Sheet, ctx: _Ctx, key_columns: dict) -> tuple[pa.Table, list[Problem]]:
    """One sheet's rows and problems; records in key_columns where its indicator, period and region
    columns are, so that later checks point at the cell to change (a wide table's period is the
    header of each value column: no period column)."""
    probs = Problems(lang=ctx.lang, file=sheet.file, sheet=sheet.sheet)
    probs.extend(sheet.problems)
    lay = _layout(sheet, probs)
    if lay is None or sheet.num_rows == 0:
        return empty_long(), probs.done()
    key_columns[(sheet.file, sheet.sheet)] = {
        role: None if i is None else sheet.letters[i]
        for role, i in (("indicator", lay.key), ("period", lay.period), ("region", lay.region))
    }
    n = sheet.num_rows

    # Which rows hold data. Rows with a single text cell that is not a known indicator are titles,
    # section headings or the notes block ("Source : …", "* provisoire"), not data. The count is
    # int32: a wide row can fill hundreds of cells (an int8 count wrapped at 128 and lost the row).
    masks = [sheet.nonempty(i) for i in range(len(sheet.headers))]
    count = masks[0].cast(pa.int32())
    for m in masks[1:]:
        count = pc.add(count, m.cast(pa.int32()))
    ind = _Mapped(_column(sheet, lay.key), ctx.indicators.match)
    value_cols = [lay.value] if lay.value is not None else [c for c, _p, _u in lay.periods]
    in_value = masks[value_cols[0]]
    for c in value_cols[1:]:
        in_value = pc.or_(in_value, masks[c])
    known = ind.mask(lambda _v, code: code is not None)
    single = pc.and_(pc.equal(count, 1), pc.invert(in_value))
    if known is not None:
        single = pc.and_(single, pc.invert(known))
    totals = _total_rows(sheet, lay, ind, masks, ctx)
    if totals is not None:
        single = pc.and_(single, pc.invert(totals.skip))
        _total_warnings(sheet, totals, probs)
    keep = pc.and_(pc.greater(count, 0), pc.invert(single))
    if totals is not None:
        keep = pc.and_(keep, pc.invert(totals.skip))
    _collect_notes(sheet, masks, single, probs)
    del masks, count, in_value, single
    stored_total = None if totals is None else totals.stored
    if not pc.all(keep).as_py():
        sheet = _filter_sheet(sheet, keep)
        n = sheet.num_rows
        if n == 0:
            return empty_long(), probs.done()
        ind = _Mapped(_column(sheet, lay.key), ctx.indicators.match)
        if stored_total is not None:
            stored_total = pc.filter(stored_total, keep)
    rows = sheet.rows
    L = sheet.letters
    for i in lay.unnamed:  # cells under no header, in the data rows (not in the notes block)
        if pc.any(sheet.nonempty(i)).as_py():
            probs.add(
                code="ignored-column", variant="unnamed", row=sheet.header_row, column=L[i],
                letter=L[i],
            )  # fmt: skip

    # Row-level mappings: indicator, period (long), region.
    empty = ind.mask(lambda v, _r: _blank(v))
    _cells(probs, empty, rows, L[lay.key], "missing-value", lambda: {"variant": "indicator"})
    unknown = ind.mask(lambda v, code: code is None and not _blank(v))
    ind_raw = pa.DictionaryArray.from_arrays(ind.indices, pa.array(ind.distinct, pa.string()))
    _cells(
        probs, unknown, rows, L[lay.key], "unknown-indicator", lambda v: _unknown_indicator(ctx, v),
        ind_raw,
    )  # fmt: skip
    row_error = _or(empty, unknown)
    indicator = ind.column()
    _release(sheet, lay.key)

    period = None
    if not lay.periods:
        per = _Mapped(_column(sheet, lay.period), parse_period)
        period = per.column()
        empty = per.mask(lambda v, _p: _blank(v))
        _cells(probs, empty, rows, L[lay.period], "missing-value", lambda: {"variant": "period"})
        bad = per.mask(lambda v, p: p is None and not _blank(v))
        p_raw = pa.DictionaryArray.from_arrays(per.indices, pa.array(per.distinct, pa.string()))
        _cells(probs, bad, rows, L[lay.period], "bad-period", lambda v: {"value": v}, p_raw)
        row_error = _or(row_error, _or(empty, bad))
        _release(sheet, lay.period)
        if lay.hint is None:
            p_langs = Counter(lg for lg in map(period_lang, per.distinct) if lg)
            if len(p_langs) == 1:
                lay.hint = next(iter(p_langs))

    if lay.region is not None:
        reg = _Mapped(_column(sheet, lay.region), ctx.regions.match)
        region = reg.column(lambda m: m.iso)
        r_raw = pa.DictionaryArray.from_arrays(reg.indices, pa.array(reg.distinct, pa.string()))
        old = reg.mask(lambda _v, m: m.kind == "old")
        _cells(probs, old, rows, L[lay.region], "old-region", lambda v: {"value": v}, r_raw)
        unknown = reg.mask(lambda _v, m: m.kind == "unknown")
        _cells(
            probs, unknown, rows, L[lay.region], "unknown-region",
            lambda v: _unknown_region(ctx, v), r_raw,
        )  # fmt: skip
        row_error = _or(row_error, _or(old, unknown))
        _release(sheet, lay.region)
        regional = reg.mask(lambda _v, m: m.kind == "region")
    else:
        region, regional = _const("", n), None
    # Grand totals that carry their indicator and period (the others were skipped above).
    total = stored_total if _any_true(stored_total) else None
    _cells(
        probs, total, rows, L[lay.region] if lay.region is not None else L[lay.key], "total-row",
        lambda: {"variant": "stored"},
    )  # fmt: skip

    # Text columns carried along.
    unit_col = _trimmed(sheet, lay.unit, n)
    source = _trimmed(sheet, lay.source, n)
    if sheet.source and lay.source is None:  # a "Source : …" line stands for a missing column
        source = _const(sheet.source, n)
    comment = _trimmed(sheet, lay.comment, n)
    _release(sheet, lay.unit, lay.source, lay.comment)

    # Values: one column (long) or one per period column (wide), the decimal separator decided once.
    cols = [(lay.value, None, lay.value_unit)] if lay.value is not None else lay.periods
    values = _parse_values(sheet, [c for c, _p, _u in cols], lay, probs)
    false = pa.repeat(pa.scalar(False), n)
    blocks = []
    for (col, col_period, col_unit), val in zip(cols, values, strict=True):
        letter = L[col]
        _cells(probs, val.bad, rows, letter, "bad-number", lambda v: {"value": v}, val.raw)
        if lay.wide:  # an empty cell of a wide table is a value not reported: nothing to say
            cell_error, absent = val.bad, val.missing
        else:
            # "n.d." or "-" is quoted as written: the person sees which cell, and that it is not empty
            _cells(
                probs, val.missing if _any_true(val.missing) else None, rows, letter,
                "missing-value", _missing_value, val.raw,
            )  # fmt: skip
            cell_error, absent = _or(val.bad, val.missing), None
        if sheet.percent_cells.get(col):
            val.values = _scale_percent_cells(sheet, col, val, ind, probs, ctx)
        mark = val.clean.mark if val.clean is not None else None
        if mark is not None:
            shown = pc.is_valid(mark)
            for hidden in (absent, val.bad):  # a bad or absent cell has a bigger problem to report
                if hidden is not None:
                    shown = pc.and_(shown, pc.invert(hidden))
            _cells(
                probs, shown, rows, letter, "footnote-stripped",
                lambda m, v: {"mark": m, "value": v}, mark, val.raw,
            )  # fmt: skip
        unit = unit_col
        if col_unit:
            unit = pc.fill_null(unit, col_unit)
        if val.clean is not None and val.clean.percent is not None:
            unit = pc.if_else(pc.and_(pc.is_null(unit), val.clean.percent), "%", unit)
        error = _or(row_error, cell_error)
        blocks.append(
            {
                "indicator": indicator,
                "period": period if period is not None else _const(col_period, n),
                "region": region,
                "value": val.values,
                "unit": unit,
                "source": source,
                "comment": comment if mark is None else _join(comment, mark),
                "row_number": rows,
                "column": _const(letter, n),
                "_error": false if error is None else pc.fill_null(error, False),
                "_absent": false if absent is None else absent,
                "_total": false if total is None else total,
                "_regional": false if regional is None else regional,
            }
        )
    if len(blocks) == 1:
        table = pa.Table.from_arrays(list(blocks[0].values()), names=list(blocks[0]))
    else:  # wide: one block per period column, stacked
        names = list(blocks[0])
        table = pa.Table.from_arrays(
            [pa.concat_arrays([_plain(b[k]) for b in blocks]) for k in names], names=names
        )
        table = table.filter(pc.invert(table.column("_absent")))
    errors = _check_totals(table, sheet, lay, probs, ctx)
    if errors is not None:
        table = table.set_column(table.schema.get_field_index("_error"), "_error", errors)
    error = table.column("_error")
    ok = table.filter(pc.invert(error)) if pc.any(error).as_py() else table
    m = ok.num_rows
    columns = {
        name: _plain(_arr(ok.column(name)))
        for name in (
            "indicator",
            "period",
            "region",
            "value",
            "unit",
            "source",
            "comment",
            "row_number",
            "column",
        )
    }
    columns["file"], columns["sheet"] = _const(sheet.file, m), _const(sheet.sheet, m)
    out = pa.Table.from_arrays(
        [columns[f.name].cast(f.type) for f in LONG_SCHEMA], schema=LONG_SCHEMA
    )
    listed = probs.done()
    listed.sort(key=lambda p: (p.row is None, p.row or 0, _col_order(p.column)))
    return out, listed


def _plain(a: pa.Array) -> pa.Array:
    return a.cast(a.type.value_type) if pa.types.is_dictionary(a.type) else a


def _any_true(mask: pa.Array | None) -> bool:
    return mask is not None and bool(pc.any(mask).as_py())


def _col_order(letter: str | None) -> tuple[int, str]:
    return (len(letter), letter) if letter else (0, "")


def _filter_sheet(sheet: Sheet, keep: pa.Array) -> Sheet:
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


def _collect_notes(sheet: Sheet, masks: list[pa.Array], single: pa.Array, probs: Problems) -> None:
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
        vals = pc.take(_column(sheet, i), idx).cast(pa.string()).to_pylist()
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


def _parse_values(sheet: Sheet, cols: list[int], lay: _Layout, probs: Problems) -> list[_Values]:
    """Value cells -> numbers. Excel numbers are kept as they are; text cells (all of a CSV, the odd
    text cell of an Excel column) are cleaned, then read with one decimal separator for the sheet."""
    n = sheet.num_rows
    cleaned: dict[int, CleanNumbers] = {}
    floats: dict[int, pa.Array] = {}
    raws: dict[int, pa.Array] = {}
    for c in cols:
        col = _column(sheet, c)
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
        out.append(_Values(values, missing, bad if _any_true(bad) else None, clean, raws[c]))
    return out


def _scale_percent_cells(
    sheet: Sheet, col: int, val: _Values, ind: _Mapped, probs: Problems, ctx: _Ctx
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


def _unknown_indicator(ctx: _Ctx, value: str) -> dict:
    codes = ctx.indicators.suggest(value)
    if not codes:
        return {"value": value}
    best = next(i for i in ctx.catalog.indicators if i.code == codes[0])
    return {
        "variant": "suggest",
        "value": value,
        "suggestion": per_lang(lambda lg: f"{codes[0]} ({getattr(best, name_col(lg))})"),
        "suggestions": codes,
    }


def _unknown_region(ctx: _Ctx, value: str) -> dict:
    isos = ctx.regions.match(value).suggestions
    if not isos:
        return {"value": value}
    best = ctx.regions.regions[isos[0]]
    return {
        "variant": "suggest",
        "value": value,
        "suggestion": per_lang(lambda lg: getattr(best, name_col(lg))),
    }


def _missing_value(written: str | None) -> dict:
    if written is None or not str(written).strip():
        return {}
    return {"variant": "written", "value": str(written).strip()}


# ---------------------------------------------------------------------------------------------
# Total rows


@dataclass
class _Totals:
    skip: pa.Array  # total or subtotal rows left out of the data (with a warning)
    stored: pa.Array  # grand totals with their indicator and period: the national value
    kinds: pa.Array  # "total" / "subtotal" where a label was found
    labels: pa.Array  # the label as written
    letters: pa.Array  # the column the label is in


def _total_rows(sheet: Sheet, lay: _Layout, ind: _Mapped, masks, ctx: _Ctx) -> _Totals | None:
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
            _plain(pa.DictionaryArray.from_arrays(ind.indices, pa.array(key_kinds, pa.string()))),
            _plain(
                pa.DictionaryArray.from_arrays(ind.indices, pa.array(ind.distinct, pa.string()))
            ),
        )
    for c in (lay.region, 0):
        if c is None or c == lay.key or c in found or c in _value_columns(lay):
            continue
        col = _column(sheet, c)
        if not pa.types.is_string(col.type):
            continue
        mapped = _Mapped(col, total_kind)
        if any(mapped.results):
            found[c] = (_plain(mapped.column()), col)
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
    if not lay.periods and _any_true(stored):
        per = _Mapped(_column(sheet, lay.period), parse_period)
        good = per.mask(lambda _v, p: p is not None)
        stored = pc.and_(stored, good if good is not None else false)
        stored = pc.and_(stored, masks[lay.value])
    skip = pc.and_(pc.is_valid(kind), pc.invert(stored))
    return _Totals(_arr(skip), _arr(stored), _arr(kind), _arr(label), _arr(letter))


def _value_columns(lay: _Layout) -> list[int]:
    return [lay.value] if lay.value is not None else [c for c, _p, _u in lay.periods]


def _total_warnings(sheet: Sheet, t: _Totals, probs: Problems) -> None:
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


def _check_totals(
    table: pa.Table, sheet: Sheet, lay: _Layout, probs: Problems, ctx: _Ctx
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
        _plain(_arr(table.column("indicator"))), _plain(_arr(table.column("period"))), "|"
    )
    total_keys = pc.filter(key, pc.and_(is_total, pc.invert(error)))
    in_group = pc.is_in(key, value_set=_arr(total_keys))
    regional = pc.and_(in_group, table.column("_regional"))
    # A group where a regional row could not be read is not checked: its sum would mean nothing.
    skip = set(pc.filter(key, pc.and_(in_group, pc.and_(error, pc.invert(is_total)))).to_pylist())
    sums: dict[str, float] = {}
    if pc.any(regional).as_py():
        sub = pa.Table.from_arrays(
            [pc.filter(key, regional), _arr(table.column("value")).filter(regional)],
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
        table.column("row_number").cast(pa.string()), _plain(_arr(table.column("column"))), "|"
    )
    return pc.or_(error, pc.is_in(cell, value_set=pa.array(mismatched, pa.string())))
