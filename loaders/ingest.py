"""The upload pipeline: read files, check them together, diff against current values, commit one batch atomically."""

# Rules applied across all the files of one upload (the readers have already checked each cell):
# - the same (indicator, period, region) twice: equal values -> `duplicate-key` warning, kept once (the first in
#   file order); different values -> `conflicting-duplicate` error on every row involved, naming the other one;
# - a unit written in the file (unit column or "Valeur (%)") is compared with the catalog unit after
#   normalisation (case, accents, "%"/"pourcent"/"٪", "emplois"/"مناصب الشغل", "/an"...): only a unit that means
#   something else ("milliers", "%" for jobs) is a `unit-mismatch`, once per file, sheet, indicator and unit;
# - a regional value of a national-only indicator -> `region-not-allowed`; a milestone takes 0 or 1 (`bad-number`);
# - a period that has not started yet (after `now`) -> `future-period`: only observed values are loaded, never
#   forecasts or targets;
# - a quarter of an annual or biennial indicator is accepted (finer than the catalog frequency, not wrong: the
#   KPI engine rolls quarters up by kind), so `period-frequency` is not raised.
# Any error: nothing is written. The diff compares with the current real value (a DEMO value never counts):
# equal value -> unchanged (a new unit, source or comment alone is not a revision). Unchanged values are still
# written in the batch that reported them: the value then rests on every batch that reported it, so undoing
# any one of them leaves the others' value and provenance in place.

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from .catalog import CATALOG_DIR, Catalog, load_catalog
from .checks import (
    MAX_PER_CODE,
    check_duplicates,
    check_jumps,
    check_rows,
    check_units,
    checks_connection,
    good_rows,
    scan,
)
from .i18n import translator
from .ingest_result import (
    CHANGES_SCHEMA,
    IngestResult,
    Preview,
    empty_changes,
    preview_message,
    written,
)
from .located import COUNT_WORDS, Located, range_text, sort_problems, unit_label, units_match
from .longform import LongResult
from .problems import FileMissing, Problem, Problems, ReaderFailed, UnreadableFile
from .store import Store, utcnow
from .submit import after_ingest, audit_row, initial_status
from .units import unit_key

# Names other modules import from here (the pipeline's public face) although they live in its parts.
__all__ = [
    "CHANGES_SCHEMA",
    "COUNT_WORDS",
    "FAULT_POINTS",
    "MAX_PER_CODE",
    "IngestResult",
    "checkpoint",
    "ingest",
    "ingest_long",
    "ingest_uploads",
    "problems_csv",
    "range_text",
    "read_files",
    "store_catalog",
    "unit_key",
    "unit_label",
    "units_match",
]
_empty_changes = empty_changes  # loaders/sandbox.py builds its own rejected result with it

# Points inside the open write transaction where `checkpoint` is called: just before the observations are
# inserted, and just before COMMIT. The kill-mid-load test installs a hook there (tests/fault.py).
FAULT_POINTS = ("before-insert", "before-commit")


def _no_checkpoint(point: str) -> None:
    """The production hook: nothing."""


checkpoint = _no_checkpoint


def store_catalog(store: Store) -> Catalog:
    """The catalog the store was built on (the store keeps its catalog directory in `meta`)."""
    return load_catalog(store.meta_value("catalog_dir") or CATALOG_DIR)


# Every uploaded value beside the current one: new, revised, or unchanged (same value: not written).
_DIFF = """
    SELECT u.indicator, u.period, u.region, c.old_value, u.value AS new_value,
           CASE WHEN c.old_value IS NULL THEN 'new'
                WHEN c.old_value = u.value THEN 'unchanged' ELSE 'revised' END AS change,
           u.file, u.sheet, u.row_number, c.old_batch_id, u.unit, u.source, u.comment, u.fidx, u.col
    FROM clean u LEFT JOIN cur c
      ON c.indicator = u.indicator AND c.period = u.period AND c.region = u.region
"""
_TO_WRITE = """
    SELECT $batch_id::INTEGER AS batch_id, indicator, period, region, new_value AS value, unit, comment,
           source, file, sheet, row_number, false AS demo
    FROM diff
"""
INSERT_CHUNK_ROWS = 1_000_000


def _chunks(reader: pa.RecordBatchReader, rows: int):
    """Tables of about `rows` rows from a stream of record batches."""
    pending, n = [], 0
    for rb in reader:
        pending.append(rb)
        n += rb.num_rows
        if n >= rows:
            yield pa.Table.from_batches(pending)
            pending, n = [], 0
    if pending:
        yield pa.Table.from_batches(pending)


def _state_token(con) -> str:
    """Digest of the current values the diff is computed against (`cur`): any change to them changes it."""
    n, xor = con.execute(
        "SELECT count(*), bit_xor(hash(indicator, period, region, old_value)) FROM cur"
    ).fetchone()
    return f"{n}:{(xor or 0):016x}"


# -- entry points -----------------------------------------------------------------------------------------


def read_files(
    paths: list[Path], catalog: Catalog, *, lang: str = "en", display_names: list[str] | None = None
) -> list[LongResult]:
    """Read every file with the format readers; an unreadable file raises UnreadableFile (nothing else)."""
    from .reshape import read_long

    _ = translator(lang)
    names = list(display_names) if display_names else [Path(p).name for p in paths]
    out = []
    for path, name in zip(paths, names, strict=True):
        path = Path(path)
        if not path.is_file():
            raise FileMissing(name, lang=lang)
        try:
            out.append(read_long(path, catalog, lang=lang, display_name=name))
        except UnreadableFile:
            raise
        except Exception as e:  # a reader bug must still not leave a person with a traceback
            raise ReaderFailed(name, lang=lang, error=type(e).__name__) from e
        # Reading a large file leaves freed buffers cached in Arrow's allocator: give them back to the
        # system now, before the checks and the insert need memory (halves the peak of a 5M-row load).
        pa.default_memory_pool().release_unused()
    return out


def ingest(
    store: Store,
    paths: list[Path],
    *,
    user: str,
    dry_run: bool = False,
    lang: str = "en",
    display_names: list[str] | None = None,
    now: dt.datetime | None = None,
    catalog: Catalog | None = None,
    preview: bool = True,
    expected_state: str | None = None,
) -> IngestResult:
    """Load files as one batch: all checked together, nothing written if any error (raises UnreadableFile)."""
    catalog = catalog or store_catalog(store)
    names = list(display_names) if display_names else [Path(p).name for p in paths]
    longs = read_files(paths, catalog, lang=lang, display_names=names)
    return ingest_long(
        store,
        longs,
        files=names,
        user=user,
        dry_run=dry_run,
        lang=lang,
        now=now,
        catalog=catalog,
        preview=preview,
        expected_state=expected_state,
    )


@dataclass
class _Checked:
    """An upload after the cross-row checks: its problems (sorted), how many are errors, the values kept."""

    problems: list[Problem]
    errors: int
    rows: int
    duplicates: bool  # the same key more than once: only the first copy is written
    xor: int | None  # content hash of the upload's values (before dropping repeated copies)


def _run_checks(store: Store, con, longs: list[LongResult], files: list[str], catalog, lang, now):
    """Every cross-row check over the upload in `con` (see checks.py), problems collected and sorted."""
    loc = Located(catalog, lang)
    probs = Problems(lang=lang)
    for lr in longs:
        probs.extend(lr.problems)
    n_read = sum(lr.rows.num_rows for lr in longs)
    n_up, n_distinct, xor, bad_rows = scan(con, now)
    if bad_rows:
        key_columns = {k: v for lr in longs for k, v in lr.key_columns.items()}
        bad_rows = check_rows(con, loc, probs, now, catalog, key_columns)
    conflict_rows = extra_copies = 0
    any_dup = n_distinct != n_up
    if any_dup:
        conflict_rows, extra_copies, any_dup = check_duplicates(con, loc, probs)
    check_units(con, loc, probs, catalog)
    check_jumps(store, con, loc, probs)
    problems = probs.done()
    n_errors = sum(p.is_error for p in problems)
    if not n_errors and n_read == 0:
        problems.append(Problem(file=", ".join(files), code="no-data", variant="upload", lang=lang))
        n_errors = 1
    rows = n_read - bad_rows - conflict_rows - extra_copies
    return _Checked(sort_problems(problems, files), n_errors, rows, any_dup, xor)


def _keep_first(con, checked: _Checked) -> str:
    """`clean` = the upload with one copy of each key (file order, then row); returns its content hash."""
    xor = checked.xor
    if checked.duplicates:  # equal copies: keep the first (file order, then row)
        con.execute("""CREATE TEMP TABLE clean AS SELECT * FROM up
                       QUALIFY row_number() OVER (PARTITION BY indicator, period, region
                                                  ORDER BY fidx, sheet, row_number, col) = 1""")
        xor = con.execute(
            "SELECT bit_xor(hash(indicator, period, region, value)) FROM clean"
        ).fetchall()[0][0]
    else:
        con.execute("CREATE VIEW clean AS SELECT * FROM up")
    return f"{checked.rows}:{(xor or 0):016x}"


def _diff(store: Store, conn, con, longs, checked: _Checked, files, preview: bool) -> Preview:
    """Each kept value beside the current one, in the write transaction `conn` (so the state is exact)."""
    con.register("cur", store.current_for_keys(conn, [lr.rows for lr in longs]))
    state = _state_token(con)
    con.execute("CREATE VIEW diff AS " + _DIFF)  # fixed SQL text, no values
    counts = dict(con.execute("SELECT change, count(*) FROM diff GROUP BY ALL").fetchall())
    only = "" if preview else "WHERE change = 'revised'"
    changes = (
        con.sql(
            f"SELECT {', '.join(CHANGES_SCHEMA.names)} FROM diff {only}"
            " ORDER BY fidx, sheet, row_number, col"
        )
        .to_arrow_table()
        .cast(CHANGES_SCHEMA)
    )
    return Preview(
        checked.rows,
        *(int(counts.get(k, 0)) for k in ("new", "revised", "unchanged")),
        checked.problems,
        changes,
        list(files),
        state,
    )


def _insert(store: Store, conn, con, batch_id: int) -> None:
    """New and revised values, shaped for the observation table, streamed in chunks so a large upload
    never exists twice in memory."""
    reader = con.sql(_TO_WRITE, params={"batch_id": batch_id}).to_arrow_reader(INSERT_CHUNK_ROWS)
    for chunk in _chunks(reader, INSERT_CHUNK_ROWS):
        store.bulk_insert_observations(conn, chunk)


def _write_batch(
    store: Store, conn, con, preview: Preview, *, user: str, now, content_hash: str
) -> tuple[int, str, int | None]:
    """The batch row, its values and its trail in the open transaction; (batch id, status, same content as)."""
    changed = preview.inserted + preview.revised
    same = store.same_content_batch(conn, content_hash) if changed == 0 else None
    batch_status = initial_status(store, conn)  # "submitted" when review before publication is on
    batch_id = store.new_batch(
        conn,
        user=user,
        origin="upload",
        files="; ".join(preview.files),
        demo=False,
        created_at=now,
        content_hash=content_hash,
        status=batch_status,
    )
    after_ingest(store, conn, batch_id, user, batch_status, preview.problems, now)
    checkpoint("before-insert")
    _insert(store, conn, con, batch_id)
    # The checks' DuckDB and its cached buffers are not needed any more: free them before COMMIT,
    # which needs memory of its own (the primary-key index).
    con.close()
    pa.default_memory_pool().release_unused()
    store.finish_batch(conn, batch_id, rows=preview.rows, **preview.counts())
    audit_row(
        store, conn, user=user, action="upload", subject=batch_id, after={"files": preview.files}
    )
    checkpoint("before-commit")
    return batch_id, batch_status, same


def ingest_long(
    store: Store,
    longs: list[LongResult],
    *,
    files: list[str],
    user: str,
    dry_run: bool = False,
    lang: str = "en",
    now: dt.datetime | None = None,
    catalog: Catalog | None = None,
    preview: bool = True,
    expected_state: str | None = None,
) -> IngestResult:
    """The pipeline after reading: cross-row checks, diff against current values, one atomic batch.

    `preview=False` keeps only the revised rows in `result.changes` (what the CLI prints), which spares a
    sorted copy of a large upload. `expected_state` is the `state` of the preview a person approved: if the
    current values of the uploaded keys differ now (another upload or an undo landed in between), nothing is
    written and the result, status "stale", is the new preview.
    """
    catalog = catalog or store_catalog(store)
    _ = translator(lang)
    now = now or utcnow()
    con = checks_connection(longs, catalog)
    try:
        checked = _run_checks(store, con, longs, files, catalog, lang, now)
        if checked.errors:
            return IngestResult(
                "rejected",
                None,
                max(checked.rows, 0),
                0,
                0,
                0,
                checked.problems,
                good_rows(con, now, checked.problems) if preview and dry_run else empty_changes(),
                _(
                    "Nothing was written: {count} problems must be fixed first",
                    count=checked.errors,
                ),
                list(files),
            )
        content_hash = _keep_first(con, checked)
        with store.transaction(write=not dry_run) as conn:
            diff = _diff(store, conn, con, longs, checked, files, preview)
            stale = expected_state is not None and expected_state != diff.state
            if dry_run or stale:
                return diff.result(
                    "stale" if stale else "dry-run", preview_message(_, diff, stale=stale)
                )
            batch_id, batch_status, same = _write_batch(
                store, conn, con, diff, user=user, now=now, content_hash=content_hash
            )
    finally:
        con.close()
    return written(_, diff, batch_id=batch_id, same=same, batch_status=batch_status)


def ingest_uploads(
    store: Store,
    uploads: list[tuple[str, bytes]],
    *,
    user: str,
    dry_run: bool = False,
    lang: str = "en",
    now: dt.datetime | None = None,
    expected_state: str | None = None,
) -> IngestResult:
    """`ingest` for files received as (name, bytes), e.g. from the Upload page; never raises for a bad file.

    Each file goes to a temporary copy (keeping its extension, which tells the reader the format); problems
    and provenance carry the uploaded names. An unreadable file gives a "rejected" result whose one problem
    has the code `unreadable-file`.
    """
    import tempfile

    names = [name for name, _data in uploads]
    with tempfile.TemporaryDirectory(prefix="marsad-upload-") as tmp:
        paths = []
        for i, (name, data) in enumerate(uploads):
            path = Path(tmp) / f"{i}{Path(name).suffix.lower()}"
            path.write_bytes(data)
            paths.append(path)
        try:
            return ingest(
                store,
                paths,
                user=user,
                dry_run=dry_run,
                lang=lang,
                display_names=names,
                now=now,
                expected_state=expected_state,
            )
        except UnreadableFile as e:
            return IngestResult(
                "rejected", None, 0, 0, 0, 0, [e.problem()], empty_changes(), e.title, names
            )


def problems_csv(problems: list[Problem]) -> bytes:
    """The problems as a CSV file for people (UTF-8 with BOM so Excel shows Arabic); formula-like cells escaped."""
    import csv
    import io

    from .csvtext import formula_safe as cell

    buf = io.StringIO()
    w = csv.writer(buf)
    # The code stays as the stable id; the title says it in the reader's language.
    w.writerow(["file", "sheet", "row", "column", "severity", "code", "title", "message"])
    for p in problems:
        w.writerow(
            [
                cell(p.file),
                cell(p.sheet),
                p.row if p.row is not None else "",
                cell(p.column),
                p.severity,
                p.code,
                cell(p.title),
                cell(p.message),
            ]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
