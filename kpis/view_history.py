"""The History page's view: the batches table (undone ones marked) and one value's versions, sized for 1440 px."""

from __future__ import annotations

import pandas as pd

from loaders.i18n import fmt_date, fmt_number, translator

from .text import texts

# Undone batches read greyed in every language; the Status column says it in words.
UNDONE_STYLE = "color: #8a8a8a; text-decoration: line-through;"


def when(value, lang: str, to_local) -> str:
    """A stored (UTC) time as the time in Morocco (`to_local`: loaders.store.local_time)."""
    if value is None or pd.isna(value):
        return ""
    return fmt_date(to_local(pd.Timestamp(value).to_pydatetime()), lang)


def batches_frame(batches: pd.DataFrame, lang: str, to_local) -> pd.DataFrame:
    """One row per batch. Nine columns, so that all fit at 1440 px in French and English: the values read
    are the sum of new, revised and unchanged; undone on/by are one Status sentence."""
    _ = translator(lang)
    t = texts(lang)
    origins = {"public": _("published reference"), "upload": _("upload"), "demo": _("DEMO")}
    status = [
        _("in force")
        if at is None or pd.isna(at)
        else _("undone on {when} by {user}", when=when(at, lang, to_local), user=t.user(by))
        for at, by in zip(batches["undone_at"], batches["undone_by"], strict=True)
    ]
    return pd.DataFrame(
        {
            _("Batch"): batches["batch_id"],
            _("Loaded on"): [when(v, lang, to_local) for v in batches["created_at"]],
            _("By"): [t.user(u) for u in batches["user_name"]],
            _("Origin"): [origins.get(o, o) for o in batches["origin"]],
            _("Files"): [
                f if o == "upload" else _file_names(f, t)  # an uploaded name is shown as sent
                for f, o in zip(batches["files"], batches["origin"], strict=True)
            ],
            _("New"): batches["inserted"],
            _("Revised"): batches["revised"],
            _("Unchanged"): batches["unchanged"],
            _("Status"): status,
        }
    )


def _file_names(files, t) -> str:
    """The seed's files without their folders (data/catalog/… takes a third of the table's width); the
    DEMO generator's "file" in words."""
    if not isinstance(files, str):
        return ""
    return "; ".join(t.file(f.strip().rsplit("/", 1)[-1]) for f in files.split(";"))


def undone_rows(batches: pd.DataFrame) -> list[bool]:
    return [not (v is None or pd.isna(v)) for v in batches["undone_at"]]


def styled(frame: pd.DataFrame, undone: list[bool]):
    """The frame as a Styler with the undone batches greyed (and struck through in the Arabic HTML table;
    the data grid shows the colour only)."""
    marks = pd.Series(undone, index=frame.index)
    return frame.style.apply(
        lambda row: [UNDONE_STYLE if marks[row.name] else ""] * len(row), axis=1
    )


def versions_frame(versions: pd.DataFrame, lang: str, to_local) -> pd.DataFrame:
    """Every version of one value, newest first; where it came from as one column (file · sheet · row)."""
    _ = translator(lang)
    t = texts(lang)

    def where(file, sheet, row) -> str:
        parts = [t.file(p) for p in (file, sheet) if isinstance(p, str) and p]
        if row is not None and not pd.isna(row):
            parts.append(_("row {row}", row=int(row)))
        return " · ".join(parts)

    return pd.DataFrame(
        {
            _("Batch"): versions["batch_id"],
            _("Value"): [fmt_number(v, lang) for v in versions["value"]],
            _("Current"): [_("yes") if v else "" for v in versions["current"]],
            _("Loaded on"): [when(v, lang, to_local) for v in versions["created_at"]],
            _("By"): [t.user(u) for u in versions["user_name"]],
            _("Where"): [
                where(f, s, r)
                for f, s, r in zip(
                    versions["file"], versions["sheet"], versions["row_number"], strict=True
                )
            ],
            _("Source"): [t.source(v) for v in versions["source"]],
            _("Undone on"): [when(v, lang, to_local) for v in versions["undone_at"]],
        }
    )


def first_with_values(codes: list[str], observed: set[str]) -> str:
    """The indicator "versions of a value" opens on: the first with a value, else the first."""
    return next((c for c in codes if c in observed), codes[0])
