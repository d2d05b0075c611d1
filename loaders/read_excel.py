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
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import XMLPullParser

import fastexcel
import pyarrow as pa
import pyarrow.compute as pc

from .normalize import ROLE_LABELS, classify_header
from .problems import DamagedWorkbook, Problem, column_letter
from .sheet import (
    HEADER_SEARCH_ROWS,
    Sheet,
    find_header,
    is_not_data_mark,
    missing_roles,
    row_numbers,
    source_note,
)

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
# A workbook can name sheets that are not data (our own template's instructions and lists) with a
# defined name starting with this; they are skipped without a warning. Only .xlsx keeps it readable here:
# the marker cell (sheet.NOT_DATA_MARK) is what survives a re-save as .ods or .xls.
NOT_DATA_NAME = "Marsad_NotData"
_PEEK_ROWS = HEADER_SEARCH_ROWS + 20  # header search + some data rows to see the cell types
_NUMERIC_ROLES = ("value", "period-column")
_BUILTIN_DATE_FORMATS = (
    set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
)
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
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
# Peeking at the first rows of an .xlsx sheet


@dataclass
class _Peek:
    rows: dict[int, dict[int, object]]  # 0-based row -> {0-based column: str | float | bool | date}


@dataclass
class _Workbook:
    sheets: dict[str, str] = field(default_factory=dict)  # name -> zip member
    states: dict[str, str] = field(default_factory=dict)
    not_data: set[str] = field(default_factory=set)
    date1904: bool = False
    date_styles: set[int] = field(default_factory=set)
    percent_styles: set[int] = field(default_factory=set)  # cell styles showing a number as "45%"
    shared: list[str] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _iter_xml(zf: zipfile.ZipFile, member: str, events=("end",)):
    parser = XMLPullParser(events=events)
    with zf.open(member) as f:
        while chunk := f.read(16384):
            parser.feed(chunk)
            yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def _is_date_format(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|E[+-]', "", code)
    return bool(re.search(r"[dmyhs]", code, re.IGNORECASE))


_BUILTIN_PERCENT_FORMATS = (9, 10)


def _is_percent_format(code: str) -> bool:
    return "%" in re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)


def _percent_cells(
    zf: zipfile.ZipFile, member: str, styles: set[int], columns: set[int], first_row: int
) -> dict[int, list[int]]:
    """The cells of `columns` formatted as a percentage: {column: [table row index]} (row
    `first_row` of the sheet, 1-based, is index 0). A regular expression over the sheet's XML, in
    chunks: only tags with a percent style match, so a large sheet costs one pass of bytes."""
    pattern = re.compile(
        rb'<c r="([A-Z]+)([0-9]+)"[^>]*?\ss="(?:'
        + b"|".join(str(i).encode() for i in sorted(styles))
        + rb')"'
    )
    found: dict[int, list[int]] = {}
    carry = b""
    with zf.open(member) as f:
        while True:
            chunk = f.read(1 << 20)
            data = carry + chunk
            if chunk:  # keep an unfinished tag for the next chunk
                cut = data.rfind(b"<")
                data, carry = data[:cut], data[cut:]
            for m in pattern.finditer(data):
                col = _col_index(m[1].decode())
                if col in columns:
                    row = int(m[2]) - first_row
                    if row >= 0:
                        found.setdefault(col, []).append(row)
            if not chunk:
                break
    return found


def _open_workbook(zf: zipfile.ZipFile) -> _Workbook:
    from xml.etree.ElementTree import fromstring

    wb = _Workbook()
    rels = {}
    for el in fromstring(zf.read("xl/_rels/workbook.xml.rels")).iter():
        if _local(el.tag) == "Relationship":
            target = el.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            rels[el.get("Id")] = target
    names_by_id = {}
    for el in fromstring(zf.read("xl/workbook.xml")).iter():
        tag = _local(el.tag)
        if tag == "workbookPr":
            wb.date1904 = el.get("date1904", "0") in ("1", "true")
        elif tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
            name = el.get("name", "")
            names_by_id[rid] = name
            wb.sheets[name] = rels.get(rid, "")
            wb.states[name] = el.get("state", "visible")
        elif tag == "definedName" and (el.get("name") or "").startswith(NOT_DATA_NAME):
            ref = (el.text or "").split("!")[0].strip("=").strip()
            wb.not_data.add(ref[1:-1].replace("''", "'") if ref.startswith("'") else ref)
    if "xl/styles.xml" in zf.namelist():
        custom: dict[int, str] = {}
        xfs: list[int] = []
        in_cellxfs = False
        for ev, el in _iter_xml(zf, "xl/styles.xml", events=("start", "end")):
            tag = _local(el.tag)
            if tag == "cellXfs":
                in_cellxfs = ev == "start"
            elif ev == "end" and tag == "numFmt":
                custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
            elif ev == "end" and tag == "xf" and in_cellxfs:
                xfs.append(int(el.get("numFmtId", "0")))
        for i, fmt_id in enumerate(xfs):
            if fmt_id in _BUILTIN_DATE_FORMATS or (
                fmt_id in custom and _is_date_format(custom[fmt_id])
            ):
                wb.date_styles.add(i)
            if fmt_id in _BUILTIN_PERCENT_FORMATS or (
                fmt_id in custom and _is_percent_format(custom[fmt_id])
            ):
                wb.percent_styles.add(i)
    return wb


def _shared_strings(zf: zipfile.ZipFile, wb: _Workbook, upto: int) -> None:
    """Read shared strings until index `upto` (they are stored in order; big tables have many)."""
    if len(wb.shared) > upto or "xl/sharedStrings.xml" not in zf.namelist():
        return
    wb.shared.clear()
    parts: list[str] = []
    for ev, el in _iter_xml(zf, "xl/sharedStrings.xml", events=("start", "end")):
        tag = _local(el.tag)
        if ev == "start" and tag == "si":
            parts = []
        elif ev == "end" and tag == "t":
            parts.append(el.text or "")
        elif ev == "end" and tag == "rPh":  # phonetic run: not part of the text
            pass
        elif ev == "end" and tag == "si":
            wb.shared.append("".join(parts))
            el.clear()
            if len(wb.shared) > upto:
                return


def _excel_date(serial: float, date1904: bool) -> dt.datetime:
    base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    return base + dt.timedelta(days=serial)


def _peek_sheet(zf: zipfile.ZipFile, wb: _Workbook, member: str) -> _Peek:
    rows: dict[int, dict[int, object]] = {}
    pending: list[tuple[int, int, int]] = []  # shared-string cells to resolve: (row, col, index)
    row_idx, col_idx = -1, -1
    cell_type, cell_style, value, inline = "n", 0, None, []
    for ev, el in _iter_xml(zf, member, events=("start", "end")):
        tag = _local(el.tag)
        if ev == "start":
            if tag == "row":
                r = el.get("r")
                row_idx = int(r) - 1 if r else row_idx + 1
                col_idx = -1
            elif tag == "c":
                ref = el.get("r")
                m = _CELL_REF.match(ref) if ref else None
                col_idx = _col_index(m[1]) if m else col_idx + 1
                cell_type, cell_style = el.get("t", "n"), int(el.get("s", "0"))
                value, inline = None, []
            continue
        if tag == "v":
            value = el.text
        elif tag == "t" and cell_type == "inlineStr":
            inline.append(el.text or "")
        elif tag == "c":
            cell = None
            if cell_type == "s" and value is not None:
                pending.append((row_idx, col_idx, int(value)))
            elif cell_type == "inlineStr":
                cell = "".join(inline)
            elif cell_type in ("str", "e", "d"):
                cell = value
            elif cell_type == "b":
                cell = value == "1"
            elif value is not None:
                num = float(value)
                cell = _excel_date(num, wb.date1904) if cell_style in wb.date_styles else num
            if cell is not None and cell != "":
                rows.setdefault(row_idx, {})[col_idx] = cell
            el.clear()
        elif tag == "row":
            el.clear()
            if row_idx >= 0 and len(rows) >= _PEEK_ROWS and max(rows) <= row_idx:
                break
    if pending:
        _shared_strings(zf, wb, max(i for _, _, i in pending))
        for r, c, i in pending:
            if i < len(wb.shared) and wb.shared[i] != "":
                rows.setdefault(r, {})[c] = wb.shared[i]
    return _Peek(rows=rows)


def _peek_workbook(path: Path) -> tuple[_Workbook, zipfile.ZipFile] | None:
    try:
        zf = zipfile.ZipFile(path)
        return _open_workbook(zf), zf
    except Exception:  # not an OOXML package we can peek into: fastexcel alone reads it
        return None


# ---------------------------------------------------------------------------------------------
# Error cells of an .ods file

_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"


def _ods_error_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """{sheet: {(0-based row, column): "#DIV/0!"}} for the error cells of an .ods file.

    Calc saves an error as an empty string value with the error text beside it, and calamine reads the
    empty string: without this, "#DIV/0!" would be reported as a missing value instead of a bad number.
    Files without an error cell (the usual case) are only scanned, not parsed.
    """
    needle = b'value-type="error"'  # only calcext:value-type takes this value
    try:
        with zipfile.ZipFile(path) as zf:
            if "content.xml" not in zf.namelist():
                return {}
            with zf.open("content.xml") as f:
                prev = b""
                while chunk := f.read(1 << 20):
                    if needle in prev[-len(needle) :] + chunk:
                        return _ods_errors_parse(zf)
                    prev = chunk
        return {}
    except Exception:  # the errors are a refinement; fastexcel has the last word on the file
        return {}


def _ods_errors_parse(zf: zipfile.ZipFile) -> dict[str, dict[tuple[int, int], str]]:
    t = "{" + _ODS_TABLE + "}"
    value_type = "{" + _ODS_CALCEXT + "}value-type"
    out: dict[str, dict[tuple[int, int], str]] = {}
    sheet, row, col, depth, in_row = None, 0, 0, 0, []
    for ev, el in _iter_xml(zf, "content.xml", events=("start", "end")):
        tag = el.tag
        if tag == t + "table":
            depth += 1 if ev == "start" else -1
            if ev == "start" and depth == 1:
                sheet, row = el.get(t + "name"), 0
            continue
        if depth != 1:
            continue
        if tag == t + "table-row":
            if ev == "start":
                col, in_row = 0, []
            else:
                repeat = int(el.get(t + "number-rows-repeated", "1"))
                for k in range(1, min(repeat, 1024)):
                    for c, text in in_row:
                        out[sheet][row + k, c] = text
                row += repeat
                el.clear()
        elif tag in (t + "table-cell", t + "covered-table-cell") and ev == "end":
            repeat = int(el.get(t + "number-columns-repeated", "1"))
            if el.get(value_type) == "error":
                text = "".join(el.itertext()).strip()
                for k in range(min(repeat, 1024)):
                    out.setdefault(sheet, {})[row, col + k] = text
                    in_row.append((col + k, text))
            col += repeat
    return out


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
        return cell_text(_excel_date(float(m2[1]), date1904))
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
    peeked = _peek_workbook(path) if zipfile.is_zipfile(path) else None
    ods_errors = _ods_error_cells(path) if peeked is None and zipfile.is_zipfile(path) else {}
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
    peek = None
    if peeked is not None:
        wb, zf = peeked
        if wb.states.get(name, "visible") != "visible" or name in wb.not_data:
            return None
        member = wb.sheets.get(name)
        if member and member in zf.namelist():
            # The peek is only a shortcut: fastexcel has the last word on the file.
            try:
                peek = _peek_sheet(zf, wb, member)
                date1904 = wb.date1904
            except Exception:
                peek = None
    if peek is None:
        peek, date1904 = _preview_load(reader, idx)
        if peek is None:
            return None
    if not peek.rows:
        return None  # empty sheet: nothing to read, nothing to say
    if any(is_not_data_mark(v) for row in peek.rows.values() for v in row.values()):
        return None
    first = min(peek.rows)
    width = max(max(r) for r in peek.rows.values()) + 1
    dense = _dense(peek.rows, first, _PEEK_ROWS, width)
    texts = [[cell_text(v) for v in row] for row in dense]
    h = find_header(texts)
    if h is None:
        return _IGNORED
    header_abs = first + h
    header = texts[h]
    # A value column with any number in its first cells is loaded as numbers: numeric cells keep
    # their exact value and text cells come back one by one with their text. Only a column whose
    # first cells are all text ("1 234,5" typed as text) is loaded as text.
    numeric_cols = set()
    for c, head in enumerate(header):
        if classify_header(head).role in _NUMERIC_ROLES:
            below = [row[c] for row in dense[h + 1 :] if row[c] is not None]
            numbers = sum(1 for v in below if isinstance(v, float) and not isinstance(v, bool))
            text = sum(1 for v in below if isinstance(v, str) and v.strip())
            if numbers or not text:
                numeric_cols.add(c)
    sheet, table, errors = _load(reader, idx, header_abs, numeric_cols, width)
    cols = sheet.available_columns()
    abs_cols = [ci.absolute_index for ci in cols]
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
    n = table.num_rows
    percent: dict[int, list[int]] = {}
    if peeked is not None and peeked[0].percent_styles and numeric_cols:
        wb, zf = peeked
        by_abs = _percent_cells(
            zf, wb.sheets[name], wb.percent_styles, numeric_cols, header_abs + 2
        )
        percent = {abs_cols.index(c): rows for c, rows in by_abs.items() if c in abs_cols}
    return Sheet(
        file=file,
        sheet=name,
        header_row=header_abs + 1,
        headers=[h_.strip() for h_ in headers],
        letters=[column_letter(c) for c in abs_cols],
        table=table,
        rows=row_numbers(header_abs + 2, n),
        text_cells=text_cells,
        titles=titles,
        source=next((s for s in map(source_note, titles) if s), None),
        percent_cells=percent,
    )


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


def _preview_load(reader, idx: int) -> tuple[_Peek | None, bool]:
    """For formats we cannot peek into: the first rows as text, through fastexcel."""
    sheet = reader.load_sheet(idx, header_row=None, skip_rows=0, n_rows=_PEEK_ROWS, dtypes="string")
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
    return _Peek(rows=rows), False
