"""Excel workbook -> one Sheet per data sheet, through fastexcel (calamine), each sheet parsed once.

fastexcel has to be told the header row and the column types when it loads a sheet, and a value
column must be loaded as numbers (a number re-read from text loses digits: fastexcel writes floats
as text with 9 decimals). So the first rows of each .xlsx sheet are peeked straight from the zip
(a few kilobytes of XML), which gives the header row and the cell types without a second parse.
Other formats (.xls, .ods) fall back to a preview load and then a typed load.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

import fastexcel
import pyarrow as pa
import pyarrow.compute as pc

from .normalize import ROLE_LABELS, classify_header
from .problems import DamagedWorkbook, Problem, column_letter
from .sheet import (
    Sheet,
    find_header,
    is_not_data_mark,
    missing_roles,
    row_numbers,
    source_note,
)
from .workbook_xml import (
    PEEK_ROWS,
    Peek,
    excel_date,
    ods_error_cells,
    peek_sheet,
    peek_workbook,
    percent_cells,
)

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_NUMERIC_ROLES = ("value", "period-column")
_READ_ERRORS = (
    fastexcel.FastExcelError,
    pa.ArrowException,
    ValueError,
    OSError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
)
_EXCEL_ERRORS = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
}
_DETAIL = re.compile(r"^Expected \w+ but got '(.*)'$", re.DOTALL)


# ---------------------------------------------------------------------------------------------
# Turning cells into the header texts a person sees


def cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v)


def _dense(rows: dict[int, dict[int, object]], first_row: int, n: int, width: int) -> list[list]:
    return [
        [(rows.get(r) or {}).get(c) for c in range(width)] for r in range(first_row, first_row + n)
    ]


def _unescape_debug(s: str) -> str:
    s = re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: chr(int(m[1], 16)), s)
    return (
        s.replace('\\"', '"')
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("\\r", "\r")
        .replace("\\\\", "\\")
    )


def _error_text(detail: str, date1904: bool) -> str:
    """fastexcel's description of a cell that is not a number, back to what the cell shows."""
    m = _DETAIL.match(detail)
    inner = m[1] if m else detail
    if m2 := re.fullmatch(r'(?:String|DateTimeIso|DurationIso)\("(.*)"\)', inner, re.DOTALL):
        return _unescape_debug(m2[1])
    if m2 := re.search(r"DateTime\(ExcelDateTime \{ value: ([0-9.eE+-]+)", inner):
        return cell_text(excel_date(float(m2[1]), date1904))
    if m2 := re.fullmatch(r"Error\((\w+)\)", inner):
        return _EXCEL_ERRORS.get(m2[1], "#" + m2[1].upper())
    return inner


# ---------------------------------------------------------------------------------------------


def read_excel(
    path: Path, file: str, *, lang: str = "en"
) -> tuple[list[Sheet], list[Problem], list[str]]:
    """Every data sheet of a workbook as a Sheet; (sheets, problems, names of the sheets read).

    Sheets with no recognisable table get an `ignored-sheet` warning; hidden sheets, sheets with the
    NOT_DATA_MARK cell and sheets marked with the NOT_DATA_NAME defined name are skipped silently. A sheet
    that only looks like a table (its header lacks a needed column) is an `ignored-sheet` warning too when
    another sheet holds a complete table. Reads .xlsx, .xlsm, .xls, .xlsb and .ods. Raises UnreadableFile.
    """
    with _unreadable(file, lang):
        reader = fastexcel.read_excel(str(path))
        names = list(reader.sheet_names)
    peeked = peek_workbook(path) if zipfile.is_zipfile(path) else None
    ods_errors = ods_error_cells(path) if peeked is None and zipfile.is_zipfile(path) else {}
    sheets: list[Sheet] = []
    problems: list[Problem] = []
    try:
        for idx, name in enumerate(names):
            with _unreadable(file, lang):
                sheet = _read_sheet(reader, idx, name, file, peeked, ods_errors.get(name))
            if sheet is _IGNORED:
                problems.append(
                    Problem(file=file, sheet=name, code="ignored-sheet", lang=lang, name=name)
                )
            elif sheet is not None:
                sheets.append(sheet)
    finally:
        if peeked:
            peeked[1].close()
    sheets, ignored = _set_aside_partial_tables(sheets, lang)
    problems.extend(ignored)
    return sheets, problems, [s.sheet for s in sheets]


def _set_aside_partial_tables(sheets: list[Sheet], lang: str) -> tuple[list[Sheet], list[Problem]]:
    """Sheets whose header lacks a needed column, as warnings, when another sheet has a complete table.

    A sheet of notes or a reference list can look like a table (an old template's instructions re-saved
    by a spreadsheet app, a list of indicators): it must not fail a file whose data is elsewhere. Alone,
    or beside other partial tables only, such a sheet is left to the reshaper, which reports the missing
    columns as an error.
    """
    missing = [missing_roles(s.headers) for s in sheets]
    if all(missing) or not any(missing):
        return sheets, []
    kept, problems = [], []
    for sheet, lacks in zip(sheets, missing, strict=True):
        if not lacks:
            kept.append(sheet)
            continue
        found = [h for h in sheet.headers if h]
        problems.append(
            Problem(
                file=sheet.file,
                sheet=sheet.sheet,
                row=sheet.header_row,
                code="ignored-sheet",
                variant="partial",
                lang=lang,
                name=sheet.sheet,
                missing=[ROLE_LABELS[m] for m in lacks],
                found=found,
            )
        )
    return kept, problems


@contextmanager
def _unreadable(file: str, lang: str):
    """calamine's errors (and its Rust panics on malformed files) as UnreadableFile."""
    try:
        yield
    except _READ_ERRORS as e:
        raise DamagedWorkbook(file, lang=lang) from e
    except BaseException as e:
        if type(e).__name__ != "PanicException":
            raise
        raise DamagedWorkbook(file, lang=lang) from e


_IGNORED = object()


def _read_sheet(reader, idx: int, name: str, file: str, peeked, ods_errors=None):
    """One sheet as a Sheet; None for a sheet to skip silently (hidden, marked, empty), _IGNORED
    for a sheet with content but no recognisable table."""
    peek, date1904 = _first_rows(reader, idx, name, peeked)
    if peek is None or not peek.rows:
        return None  # hidden, marked, or empty: nothing to read, nothing to say
    if any(is_not_data_mark(v) for row in peek.rows.values() for v in row.values()):
        return None
    first = min(peek.rows)
    width = max(max(r) for r in peek.rows.values()) + 1
    dense = _dense(peek.rows, first, PEEK_ROWS, width)
    texts = [[cell_text(v) for v in row] for row in dense]
    h = find_header(texts)
    if h is None:
        return _IGNORED
    header_abs = first + h
    header = texts[h]
    numeric_cols = _numeric_columns(header, dense[h + 1 :])
    sheet, table, errors = _load(reader, idx, header_abs, numeric_cols, width)
    abs_cols = [ci.absolute_index for ci in sheet.available_columns()]
    headers = [header[c] if c < len(header) else "" for c in abs_cols]
    text_cells: dict[int, dict[int, str]] = {}
    for err in errors:
        r, rel = err.offset_position
        text_cells.setdefault(rel, {})[r] = _error_text(err.detail, date1904)
    for (r, c), text in (ods_errors or {}).items():
        if c in numeric_cols and c in abs_cols and r > header_abs:
            text_cells.setdefault(abs_cols.index(c), {})[r - header_abs - 1] = text
    table = pa.Table.from_arrays(
        [
            _text_or_number(table.column(i), abs_cols[i] in numeric_cols)
            for i in range(table.num_columns)
        ],
        names=[f"c{i}" for i in range(table.num_columns)],
    )
    table = _no_numbers_as_units(table, headers)
    titles = [" ".join(t for t in row if t.strip()) for row in texts[:h]]
    titles = [t for t in titles if t]
    percent: dict[int, list[int]] = {}
    if peeked is not None and peeked[0].percent_styles and numeric_cols:
        wb, zf = peeked
        by_abs = percent_cells(zf, wb.sheets[name], wb.percent_styles, numeric_cols, header_abs + 2)
        percent = {abs_cols.index(c): rows for c, rows in by_abs.items() if c in abs_cols}
    return Sheet(
        file=file,
        sheet=name,
        header_row=header_abs + 1,
        headers=[h_.strip() for h_ in headers],
        letters=[column_letter(c) for c in abs_cols],
        table=table,
        rows=row_numbers(header_abs + 2, table.num_rows),
        text_cells=text_cells,
        titles=titles,
        source=next((s for s in map(source_note, titles) if s), None),
        percent_cells=percent,
    )


def _first_rows(reader, idx: int, name: str, peeked) -> tuple[Peek | None, bool]:
    """(the sheet's first rows, whether its dates count from 1904); (None, False) for a hidden or
    not-data sheet. Peeked from the zip for .xlsx, else through a preview load."""
    if peeked is not None:
        wb, zf = peeked
        if wb.states.get(name, "visible") != "visible" or name in wb.not_data:
            return None, False
        member = wb.sheets.get(name)
        if member and member in zf.namelist():
            # The peek is only a shortcut: fastexcel has the last word on the file.
            try:
                return peek_sheet(zf, wb, member), wb.date1904
            except Exception:
                pass
    return _preview_load(reader, idx)


def _numeric_columns(header: list[str], below: list[list]) -> set[int]:
    """A value column with any number in its first cells is loaded as numbers: numeric cells keep
    their exact value and text cells come back one by one with their text. Only a column whose
    first cells are all text ("1 234,5" typed as text) is loaded as text."""
    numeric_cols = set()
    for c, head in enumerate(header):
        if classify_header(head).role in _NUMERIC_ROLES:
            cells = [row[c] for row in below if row[c] is not None]
            numbers = sum(1 for v in cells if isinstance(v, float) and not isinstance(v, bool))
            text = sum(1 for v in cells if isinstance(v, str) and v.strip())
            if numbers or not text:
                numeric_cols.add(c)
    return numeric_cols


def _load(reader, idx: int, header_abs: int, numeric_cols: set[int], width: int):
    # Value columns as numbers, everything else as text (codes, periods, regions, dates). fastexcel
    # keys dtypes by absolute column index and ignores keys past the sheet's last column.
    dtypes = {i: ("float" if i in numeric_cols else "string") for i in range(width + 64)}
    sheet = reader.load_sheet(idx, header_row=header_abs, dtypes=dtypes)
    if numeric_cols:
        table, errs = sheet.to_arrow_with_errors()
        errors = errs.errors if errs is not None else []
    else:
        table, errors = sheet.to_arrow(), []
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    return sheet, table, errors


def _text_or_number(col: pa.ChunkedArray, numeric: bool) -> pa.ChunkedArray:
    """Columns past the peeked width come back with guessed types: make them text like the rest."""
    if pa.types.is_string(col.type) or (numeric and pa.types.is_floating(col.type)):
        return col
    if pa.types.is_large_string(col.type):
        return col.cast(pa.string())
    if pa.types.is_null(col.type):
        return col.cast(pa.string())
    texts = [None if v is None else cell_text(v) for v in col.to_pylist()]
    return pa.chunked_array([pa.array(texts, pa.string())])


def _no_numbers_as_units(table: pa.Table, headers: list[str]) -> pa.Table:
    """Numbers in a unit column, or in a column for people only ("info": an indicator's name, its
    target), as blanks: a number is never a unit, an info column is never read, and a number there is
    what calamine reads for the text result of a formula in an .xls file. The template's name, unit and
    target columns are such formulas: re-saved as .xls by a spreadsheet app, they read 0 on all 500
    rows, which would make every empty row a row with missing values."""
    for i, head in enumerate(headers):
        if classify_header(head).role not in ("unit", "info"):
            continue
        if not pa.types.is_string(table.column(i).type):
            continue
        col = table.column(i)
        number = pc.fill_null(pc.match_substring_regex(col, r"^\s*-?\d+([.,]\d+)?\s*$"), False)
        table = table.set_column(
            i, table.field(i), pc.if_else(number, pa.scalar(None, pa.string()), col)
        )
    return table


def _preview_load(reader, idx: int) -> tuple[Peek | None, bool]:
    """For formats we cannot peek into: the first rows as text, through fastexcel."""
    sheet = reader.load_sheet(idx, header_row=None, skip_rows=0, n_rows=PEEK_ROWS, dtypes="string")
    if sheet.visible != "visible":
        return None, False
    cols = sheet.available_columns()
    table = sheet.to_arrow()
    rows: dict[int, dict[int, object]] = {}
    for c, ci in enumerate(cols):
        for r, v in enumerate(table.column(c).to_pylist()):
            if v is not None and v != "":
                # Plain numbers in text form are numbers for the type decision.
                cell = float(v) if re.fullmatch(r"-?\d+(\.\d+)?", v) else v
                rows.setdefault(r, {})[ci.absolute_index] = cell
    return Peek(rows=rows), False
