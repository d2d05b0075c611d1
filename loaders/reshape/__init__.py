"""One file -> the canonical long table (LongResult): layout (long or wide), mapping to catalog codes, problems."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from ..catalog import Catalog
from ..limits import check_cells, check_workbook
from ..longform import LongResult, empty_long
from ..problems import EmptyFile, FileNotOpened, NotASpreadsheet, Problem, UnsupportedFileType
from ..read_csv import read_csv
from ..read_excel import EXCEL_SUFFIXES, read_excel
from .context import context
from .one_sheet import reshape_sheet

CSV_SUFFIXES = (".csv", ".tsv", ".txt")

__all__ = ["CSV_SUFFIXES", "read_long"]


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
    ctx = context(catalog, lang)
    tables, key_columns = [], {}
    while sheets:  # popped, so a sheet's cells can be freed as soon as it is reshaped
        table, sheet_problems = reshape_sheet(sheets.pop(0), ctx, key_columns)
        tables.append(table)
        problems.extend(sheet_problems)
    rows = pa.concat_tables(tables) if tables else empty_long()
    if rows.num_rows == 0 and not any(p.is_error for p in problems):
        problems.append(Problem(file=file, code="no-data", lang=lang))
    return LongResult(rows=rows, problems=problems, sheets=names, key_columns=key_columns)
