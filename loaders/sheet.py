"""The reader-neutral block of cells (Sheet) that CSV and Excel readers produce, and how its header row is found."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .normalize import classify_header, fold
from .problems import Problem

# Rows looked at to find the header (title rows above it are common, dozens are not).
HEADER_SEARCH_ROWS = 40
NAMED_ROLES = ("indicator", "code", "period", "region", "value", "unit", "source", "comment")
# A cell holding exactly this text (case and spaces aside) among a sheet's first rows marks the sheet as not
# data (the template's instructions and lists). It lives in the cells, so it survives every spreadsheet app
# and format (xlsx, ods, xls), unlike a defined name.
NOT_DATA_MARK = "marsad:not-data"
# A workbook can name sheets that are not data (our own template's instructions and lists) with a
# defined name starting with this; they are skipped without a warning. Only .xlsx keeps it: the
# marker cell above is what survives a re-save as .ods or .xls.
NOT_DATA_NAME = "Marsad_NotData"

_SOURCE_NOTE = re.compile(
    r"^\s*(?:sources?|المصدر|المصادر)(?:\s*[:：\-–]\s*|\s+)(.*)$", re.IGNORECASE | re.DOTALL
)


@dataclass
class Sheet:
    """A rectangular block of cells under one header row, located as a person sees it in Excel.

    - `header_row`: the header's real row number (1 = first line of the sheet / CSV record 1).
    - `headers[i]`, `letters[i]`, `table.column(i)` describe the same column; `letters[i]` is its
      Excel letter ("A", "AB"), also for CSV.
    - `table` holds the rows under the header: text columns are strings (Excel numbers and dates
      written as text, e.g. "2026", "2026-02-03 00:00:00"); value columns of an Excel sheet are
      float64 with the cells' own numbers, never re-read from text.
    - `text_cells[i]` gives, for such a float64 column, the cells that hold text instead of a number
      ({table row index: text}); they are parsed like CSV text.
    - `rows[j]` is the real row number of `table` row j (blank and embedded-newline lines counted
      as Excel counts them).
    - `titles` are the texts above the header; `source` the text of a "Source : …" line above or
      under the table; `notes` the other lines of the notes block under it (filled by the reshaper,
      which knows what a data row looks like).
    - `hint`: a language the file itself suggests ("ar" for a Windows-1256 CSV), used only to read
      ambiguous numbers.
    """

    file: str
    sheet: str | None
    header_row: int
    headers: list[str]
    letters: list[str]
    table: pa.Table
    rows: pa.Array
    text_cells: dict[int, dict[int, str]] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)
    source: str | None = None
    notes: list[str] = field(default_factory=list)
    hint: str | None = None
    problems: list[Problem] = field(default_factory=list)
    # Excel cells formatted as a percentage ("45%" holds 0.45): {column: [table row index]}.
    percent_cells: dict[int, list[int]] = field(default_factory=dict)

    @property
    def num_rows(self) -> int:
        return self.table.num_rows

    def nonempty(self, i: int) -> pa.Array:
        """True where column i holds something (a number, or text that is not blank)."""
        col = self.table.column(i)
        if pa.types.is_floating(col.type) or not pa.types.is_string(col.type):
            mask = pc.is_valid(col)
            if self.text_cells.get(i):
                extra = [False] * self.num_rows
                for j, t in self.text_cells[i].items():
                    extra[j] = bool(t.strip())
                mask = pc.or_(mask, pa.array(extra))
            return _as_array(mask)
        filled = pc.greater(pc.binary_length(col), 0)
        return _as_array(pc.fill_null(pc.and_(filled, pc.invert(pc.utf8_is_space(col))), False))


def row_numbers(first: int, n: int) -> pa.Array:
    """first, first + 1, … as int32 (rows of a table under its header)."""
    # From the numpy buffer directly: pa.array(ndarray) imports pandas (0.2 s at CLI start-up).
    data = np.arange(first, first + n, dtype=np.int32)
    return pa.Array.from_buffers(pa.int32(), n, [None, pa.py_buffer(data)])


def _as_array(x) -> pa.Array:
    return x.combine_chunks() if isinstance(x, pa.ChunkedArray) else x


def header_score(cells: list[str]) -> int:
    """How much a row looks like a header: 2 per distinct named column, 1 if it has period columns."""
    roles, periods = set(), False
    for c in cells:
        info = classify_header(c)
        if info.role in NAMED_ROLES:
            roles.add("indicator" if info.role == "code" else info.role)
        elif info.role == "period-column":
            periods = True
    return 2 * len(roles) + int(periods)


def find_header(rows: list[list[str]]) -> int | None:
    """Index of the header among the first rows: the best-scoring row with at least two named
    columns (or one and period columns); the first one on a tie. None when nothing looks like a table."""
    best, best_score = None, 2
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for c in cells if c and c.strip()) < 2:
            continue
        score = header_score(cells)
        if score > best_score:
            best, best_score = i, score
    return best


def is_not_data_mark(text) -> bool:
    return isinstance(text, str) and text.strip().casefold() == NOT_DATA_MARK


def missing_roles(headers: list[str]) -> list[str]:
    """The roles a long or wide table needs and these headers lack: indicator, period, value.

    The same rule the reshaper applies (a wide table's period columns stand for both period and value),
    so a sheet can be judged before it is reshaped.
    """
    roles = {classify_header(h).role for h in headers if h}
    missing = []
    if not roles & {"code", "indicator"}:
        missing.append("indicator")
    if "period-column" not in roles:
        missing += [r for r in ("period", "value") if r not in roles]
    return missing


def source_note(text: str) -> str | None:
    """'Source : HCP, 2025' -> 'HCP, 2025'; None for any other line."""
    m = _SOURCE_NOTE.match(text or "")
    if not m:
        return None
    rest = m.group(1).strip()
    return rest or None


def is_source_line(text: str) -> bool:
    return source_note(text) is not None or fold(text or "") in ("source", "sources", "المصدر")
