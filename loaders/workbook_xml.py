"""What fastexcel does not tell, read straight from the zip: an .xlsx sheet's first rows (header row
and cell types, before the typed load), its date and percent styles, hidden and not-data sheets; an
.ods file's error cells."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import XMLPullParser

from .sheet import HEADER_SEARCH_ROWS, NOT_DATA_NAME

PEEK_ROWS = HEADER_SEARCH_ROWS + 20  # header search + some data rows to see the cell types
_BUILTIN_DATE_FORMATS = (
    set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
)
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")

# ---------------------------------------------------------------------------------------------
# Peeking at the first rows of an .xlsx sheet


@dataclass
class Peek:
    rows: dict[int, dict[int, object]]  # 0-based row -> {0-based column: str | float | bool | date}


@dataclass
class Workbook:
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


def iter_xml(zf: zipfile.ZipFile, member: str, events=("end",)):
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


def percent_cells(
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


def _open_workbook(zf: zipfile.ZipFile) -> Workbook:
    from xml.etree.ElementTree import fromstring

    wb = Workbook()
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
        for ev, el in iter_xml(zf, "xl/styles.xml", events=("start", "end")):
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


def _shared_strings(zf: zipfile.ZipFile, wb: Workbook, upto: int) -> None:
    """Read shared strings until index `upto` (they are stored in order; big tables have many)."""
    if len(wb.shared) > upto or "xl/sharedStrings.xml" not in zf.namelist():
        return
    wb.shared.clear()
    parts: list[str] = []
    for ev, el in iter_xml(zf, "xl/sharedStrings.xml", events=("start", "end")):
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


def excel_date(serial: float, date1904: bool) -> dt.datetime:
    base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    return base + dt.timedelta(days=serial)


def peek_sheet(zf: zipfile.ZipFile, wb: Workbook, member: str) -> Peek:
    rows: dict[int, dict[int, object]] = {}
    pending: list[tuple[int, int, int]] = []  # shared-string cells to resolve: (row, col, index)
    row_idx, col_idx = -1, -1
    cell_type, cell_style, value, inline = "n", 0, None, []
    for ev, el in iter_xml(zf, member, events=("start", "end")):
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
                cell = excel_date(num, wb.date1904) if cell_style in wb.date_styles else num
            if cell is not None and cell != "":
                rows.setdefault(row_idx, {})[col_idx] = cell
            el.clear()
        elif tag == "row":
            el.clear()
            if row_idx >= 0 and len(rows) >= PEEK_ROWS and max(rows) <= row_idx:
                break
    if pending:
        _shared_strings(zf, wb, max(i for _, _, i in pending))
        for r, c, i in pending:
            if i < len(wb.shared) and wb.shared[i] != "":
                rows.setdefault(r, {})[c] = wb.shared[i]
    return Peek(rows=rows)


def peek_workbook(path: Path) -> tuple[Workbook, zipfile.ZipFile] | None:
    try:
        zf = zipfile.ZipFile(path)
        return _open_workbook(zf), zf
    except Exception:  # not an OOXML package we can peek into: fastexcel alone reads it
        return None


# ---------------------------------------------------------------------------------------------
# Error cells of an .ods file

_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"


def ods_error_cells(path: Path) -> dict[str, dict[tuple[int, int], str]]:
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
    for ev, el in iter_xml(zf, "content.xml", events=("start", "end")):
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
