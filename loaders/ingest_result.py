"""What one upload gives back: the preview of its changes (new, revised, unchanged) and its outcome, with the
sentence a person reads and the object `python -m loaders ingest --json` prints."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from .problems import Problem

CHANGES_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("period", pa.string()),
        ("region", pa.string()),
        ("old_value", pa.float64()),
        ("new_value", pa.float64()),
        ("change", pa.string()),  # new | revised | unchanged | checked (no error, rejected preview)
        ("file", pa.string()),
        ("sheet", pa.string()),
        ("row_number", pa.int32()),
        ("old_batch_id", pa.int32()),  # batch holding the value being revised (kept there)
    ]
)


@dataclass
class IngestResult:
    """Outcome of one upload (one call = one batch). `changes` is the preview of what is (or would be) written."""

    # committed (published: viewers see it) | submitted (written, waits for a validator to publish it) |
    # unchanged | rejected | dry-run | stale
    status: str
    batch_id: int | None
    rows: int  # distinct values read, after leaving out rows with errors and repeated duplicates
    inserted: int
    revised: int
    unchanged: int
    problems: list[Problem]
    changes: pa.Table
    message: str = ""  # one sentence for people, in the requested language
    files: list[str] = field(default_factory=list)
    same_as_batch: int | None = None  # "already loaded in batch N" when the content hash matches
    # Digest of the current values of the uploaded keys the diff was computed against. Passing it back as
    # `expected_state` makes the commit refuse (status "stale", nothing written) if they changed since.
    state: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def changed(self, kind: str) -> pa.Table:
        """The preview rows of one kind: "new", "revised" or "unchanged"."""
        import pyarrow.compute as pc

        return self.changes.filter(pc.equal(self.changes["change"], kind))

    def as_json(self) -> dict:
        """The object `python -m loaders ingest --json` prints."""
        return {
            "status": self.status,
            "batch_id": self.batch_id,
            "rows": self.rows,
            "inserted": self.inserted,
            "revised": self.revised,
            "unchanged": self.unchanged,
            "problems": [
                {
                    "file": p.file,
                    "sheet": p.sheet,
                    "row": p.row,
                    "column": p.column,
                    "code": p.code,  # the stable id; the title and message are for people
                    "title": p.title,
                    "message": p.message,
                    "severity": p.severity,
                }
                for p in self.problems
            ],
            "message": self.message,
            "files": self.files,
            "state": self.state,
        }


def empty_changes() -> pa.Table:
    return CHANGES_SCHEMA.empty_table()


@dataclass
class Preview:
    """An upload checked and compared with the current values: the counts every outcome reports."""

    rows: int
    inserted: int
    revised: int
    unchanged: int
    problems: list[Problem]
    changes: pa.Table
    files: list[str]
    state: str

    def counts(self) -> dict[str, int]:
        return {"inserted": self.inserted, "revised": self.revised, "unchanged": self.unchanged}

    def result(
        self, status: str, message: str, batch_id: int | None = None, same: int | None = None
    ) -> IngestResult:
        return IngestResult(
            status,
            batch_id,
            self.rows,
            self.inserted,
            self.revised,
            self.unchanged,
            self.problems,
            self.changes,
            message,
            list(self.files),
            same,
            self.state,
        )


def preview_message(_, preview: Preview, *, stale: bool) -> str:
    """What a dry run (or a commit refused because the data changed since its preview) says."""
    if stale:
        return _(
            "The data changed since your preview (another upload or an undo): nothing was"
            " written. Check the new preview: {inserted} new, {revised} revised, {unchanged}"
            " unchanged",
            **preview.counts(),
        )
    return _(
        "Preview only, nothing written: {inserted} new, {revised} revised, {unchanged} unchanged",
        **preview.counts(),
    )


def loaded(_, batch_id: int, *, inserted: int, revised: int, unchanged: int) -> str:
    """The sentence of a batch viewers now see."""
    return _(
        "Batch {batch_id} loaded: {inserted} new, {revised} revised, {unchanged} unchanged",
        batch_id=batch_id,
        inserted=inserted,
        revised=revised,
        unchanged=unchanged,
    )


def pending(_) -> str:
    """What an unchanged batch under review adds to its sentence."""
    return ". " + _("Submitted for review: a validator must publish it.")


def written(
    _, preview: Preview, *, batch_id: int, same: int | None, batch_status: str
) -> IngestResult:
    """The outcome of a batch written: its status and the sentence saying what changed and who sees it."""
    if preview.inserted + preview.revised and batch_status == "submitted":
        # Written, but no viewer sees it until a validator publishes it (loaders/submit.py).
        msg = _(
            "Submitted for review as batch {batch_id}: {inserted} new, {revised} revised, {unchanged}"
            " unchanged. A validator must publish it before anyone sees it.",
            batch_id=batch_id,
            **preview.counts(),
        )
        return preview.result("submitted", msg, batch_id, same)
    if preview.inserted + preview.revised:
        return preview.result("committed", loaded(_, batch_id, **preview.counts()), batch_id, same)
    # Recorded all the same: these values now rest on this batch too, so undoing the batch that first
    # loaded them keeps them (as if that batch had never been loaded).
    msg = (
        _(
            "Nothing new: this content was already loaded in batch {same}; recorded as batch"
            " {batch_id}, {unchanged} unchanged",
            same=same,
            batch_id=batch_id,
            unchanged=preview.unchanged,
        )
        if same
        else _(
            "Nothing new: every value is already the current one; recorded as batch {batch_id},"
            " {unchanged} unchanged",
            batch_id=batch_id,
            unchanged=preview.unchanged,
        )
    )
    if batch_status == "submitted":
        msg += pending(_)
    return preview.result("unchanged", msg, batch_id, same)
