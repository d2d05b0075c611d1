"""The canonical long table every reader produces and the ingest pipeline consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from .problems import Problem

# One row per value, already mapped to catalog codes, canonical periods and ISO region codes.
LONG_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),  # catalog code, e.g. "IA.JOBS"
        ("period", pa.string()),  # "YYYY-Qn" or "YYYY"
        ("region", pa.string()),  # "MA-01".."MA-12", or "" for national
        ("value", pa.float64()),
        (
            "unit",
            pa.string(),
        ),  # unit as written in the file (column or header brackets), null if none
        ("source", pa.string()),  # source column, or the sheet's "Source:" note, null if none
        ("comment", pa.string()),  # comment column plus stripped footnote marks, null if none
        ("file", pa.string()),  # file name as the user knows it
        ("sheet", pa.string()),  # Excel sheet name, null for CSV
        ("row_number", pa.int32()),  # row as seen in Excel (CSV: record number, header = 1)
        ("column", pa.string()),  # Excel column letter of the value cell
    ]
)


@dataclass
class LongResult:
    """What reading one file gives: its values in long form and every problem found on the way."""

    rows: pa.Table
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # sheets read (empty for CSV)
    # (file, sheet) -> column letters of its "indicator", "period" and "region" cells (None: no such column)
    key_columns: dict[tuple[str, str | None], dict[str, str | None]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def empty_long() -> pa.Table:
    return LONG_SCHEMA.empty_table()
