"""The one shape every data problem takes: Problem, its stable codes, and the error for unreadable files."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Stable codes: tools and tests match on these, so they never change meaning.
ERROR_CODES = {
    "unknown-indicator",
    "bad-period",
    "bad-number",
    "unknown-region",
    "old-region",
    "conflicting-duplicate",
    "missing-value",
    "missing-column",
    "unit-mismatch",
    "total-mismatch",
    "region-not-allowed",
    "future-period",
    "unreadable-file",
    "no-data",
    "catalog-field",
    "catalog-unknown-field",
    "catalog-reference",
    "out-of-range",  # a value outside its unit's range (units.csv), not finite, or too large to be real
    "not-whole",  # a count or rank with decimals
}
WARNING_CODES = {
    "ambiguous-number",
    "duplicate-key",
    "footnote-stripped",
    "ignored-column",
    "ignored-sheet",
    "total-row",
    "skipped-row",  # a row read as a title, heading or note, left out of the data
    "percent-scaled",  # Excel cells formatted as % (0.45 shown as 45%) stored as 45
    "sudden-jump",  # a value more than MARSAD_JUMP_FACTOR times the previous period's
    "mixed-encoding",  # a CSV mixing UTF-8 and Windows-1252/1256 lines, each read in its own
}
# Size limits and the upload worker (loaders/limits.py, loaders/sandbox.py): a hostile or oversized file.
ERROR_CODES |= {
    "file-too-large",
    "archive-too-large",
    "archive-ratio",
    "archive-members",
    "archive-size-mismatch",
    "too-many-cells",
    "worker-memory",
    "worker-timeout",
    "worker-failed",
}
# Counts the problems left out of a long list; it takes the severity of what it counts.
SUMMARY_CODES = {"too-many-problems"}


@dataclass(frozen=True)
class Problem:
    """One problem, located as a person sees it in Excel (row 1 = first line, column letter or name)."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    code: str
    message: str
    severity: str = "error"
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("params")
        return d

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class UnreadableFile(Exception):
    """A file that cannot be read at all (not a table, corrupt, wrong type). Carries a user-facing title."""

    def __init__(self, file: str, title: str):
        super().__init__(f"{file}: {title}")
        self.file = file
        self.title = title


def column_letter(index: int) -> str:
    """0-based column index -> Excel letter (0 -> A, 26 -> AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
