"""The database: one schema, one adapter per engine (DuckDB file by default, PostgreSQL by URL), batches,
current values, as-of, undo, schema versions and the StoreError family.

Modules: `common` (constants, dates, the current-values SQL and `visible_batches`, the one rule for which
batches count), `errors` (StoreError and its kinds, each with a title and a hint), `schema` (the tables as
SQLAlchemy metadata), `migrations` (schema versions), `base` (the Store every engine shares), `current`
(its reading of current values: as of a date, for an upload's keys, of one key, and what an undo changes),
`duckdb` and `postgres` (the adapters: reading to Arrow, current values of a set of keys, bulk inserts,
locking and retry, error translation). No module outside this package imports a database driver or asks
which engine it is.

Changing the schema: describe the final shape in `schema.py`, then append the next version to
`migrations.MIGRATIONS`. A new table is created when a database is opened: `MIGRATIONS.append((2, None))`.
A change an existing database needs (a column, data) is a function, two lines:

    def _v2_batch_publication(conn): add_column(conn, "batch", "published_at", "TIMESTAMP")
    MIGRATIONS.append((2, _v2_batch_publication))

Every schema change takes a version: a database already at the code's version and catalog is opened
without looking at its tables (the fast path of every command).

Opening an older database runs the missing migrations in order, in the opening transaction, and records the
new version in `meta`; a database with a newer version than the code knows is refused (SchemaMismatch) and
left untouched.

Importing this package does not import SQLAlchemy: the tables (`md`, `batch`, `observation`...) are loaded
on first use, and the DuckDB ingest path runs on the driver alone.
"""

from __future__ import annotations

from .base import Store, open_store
from .common import (
    CURRENT_FOR_KEYS_SCHEMA,
    DATA_FILE_SUFFIXES,
    DEFAULT_DB,
    DUCKDB_MAGIC,
    LOCAL_TZ,
    NATIONAL,
    OBS_ARROW_SCHEMA,
    OBS_COLUMNS,
    SEQUENCES,
    as_of_cutoff,
    as_of_date,
    current_sql,
    display_url,
    local_time,
    local_today,
    resolve_url,
    utcnow,
    visible_batches,
)
from .errors import (
    ForeignDatabase,
    NotADatabase,
    SchemaMismatch,
    StoreBusy,
    StoreError,
    StoreFailure,
    StoreUnreachable,
)
from .target import check_target

_display_url = display_url
_SCHEMA_NAMES = {
    "md",
    "meta",
    "pillar",
    "indicator",
    "milestone",
    "region",
    "batch_seq",
    "batch",
    "observation",
    "review_event_seq",
    "review_event",
    "batch_problem",
    "target_revision_seq",
    "target_revision",
    "account",
    "session",
    "audit_seq",
    "audit",
    "TABLES",
}


def __getattr__(name: str):
    """The SQLAlchemy tables and the schema version, loaded on first use."""
    if name in _SCHEMA_NAMES:
        from . import schema

        return getattr(schema, name)
    if name == "SCHEMA_VERSION":
        from .migrations import latest

        return str(latest())
    if name == "scratch":
        from .duckdb import scratch

        return scratch
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CURRENT_FOR_KEYS_SCHEMA",
    "DATA_FILE_SUFFIXES",
    "DEFAULT_DB",
    "DUCKDB_MAGIC",
    "LOCAL_TZ",
    "NATIONAL",
    "OBS_ARROW_SCHEMA",
    "OBS_COLUMNS",
    "SEQUENCES",
    "SCHEMA_VERSION",
    "ForeignDatabase",
    "NotADatabase",
    "SchemaMismatch",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreFailure",
    "StoreUnreachable",
    "as_of_cutoff",
    "as_of_date",
    "check_target",
    "current_sql",
    "display_url",
    "local_time",
    "local_today",
    "open_store",
    "resolve_url",
    "scratch",
    "utcnow",
    "visible_batches",
    *sorted(_SCHEMA_NAMES),
]
