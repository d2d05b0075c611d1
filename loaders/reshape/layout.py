"""The columns of a sheet: which one holds the indicator, period, region, value…; long or wide layout."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..normalize import ROLE_LABELS, HeaderInfo, classify_header
from ..problems import Problems
from ..sheet import Sheet

_SINGLE_ROLES = ("period", "region", "value", "unit", "source", "comment")


@dataclass
class Layout:
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

    def value_columns(self) -> list[int]:
        return [self.value] if self.value is not None else [c for c, _p, _u in self.periods]


def layout(sheet: Sheet, probs: Problems) -> Layout | None:
    """The sheet's layout from its headers, with an `ignored-column` warning for each column not
    read; None (and a `missing-column` error) when a needed column is missing."""
    infos = [classify_header(h) for h in sheet.headers]
    lay = Layout()
    duplicates = _assign_roles(infos, lay)
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
    _report_ignored(sheet, infos, lay, duplicates, probs)
    langs = Counter(i.lang for i in infos if i.lang)
    if sheet.hint:
        lay.hint = sheet.hint
    elif langs:
        (top, n), *rest = langs.most_common()
        lay.hint = top if not rest or rest[0][1] < n else None
    return lay


def _assign_roles(infos: list[HeaderInfo], lay: Layout) -> list[tuple[int, str]]:
    """Fill lay's columns from the header roles (the first of each wins); returns the repeats."""
    codes = [i for i, inf in enumerate(infos) if inf.role == "code"]
    names = [i for i, inf in enumerate(infos) if inf.role == "indicator"]
    lay.key = codes[0] if codes else (names[0] if names else None)
    duplicates = []
    for i, inf in enumerate(infos):
        role = inf.role
        if role in ("code", "indicator"):
            if i != lay.key and (role == "code" or not codes):
                duplicates.append((i, "indicator"))
        elif role in _SINGLE_ROLES:
            if getattr(lay, role) is None:
                setattr(lay, role, i)
                if role == "value":
                    lay.value_unit = inf.unit
            else:
                duplicates.append((i, role))
        elif role == "period-column":
            lay.periods.append((i, inf.period, inf.unit))
    return duplicates


def _report_ignored(sheet: Sheet, infos: list[HeaderInfo], lay: Layout,
                    duplicates: list[tuple[int, str]], probs: Problems) -> None:  # fmt: skip
    """`ignored-column` for period headers of a long table, repeated roles and unknown headers."""
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
