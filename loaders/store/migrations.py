"""Schema versions: the ordered upgrades an older database goes through when it is opened."""

# How to change the schema (see also the package docstring): describe the final shape in schema.py, then
# append the next version here, so that older code refuses the database and newer code upgrades it:
# - a new table is created on open: `MIGRATIONS.append((2, None))`;
# - a change an existing database needs (a column, data), two lines:
#        def _v2_batch_publication(conn): add_column(conn, "batch", "published_at", "TIMESTAMP")
#        MIGRATIONS.append((2, _v2_batch_publication))
# A migration gets a SQLAlchemy connection inside the opening transaction (all or nothing), runs after the
# missing tables are created, and must work on DuckDB and PostgreSQL (plain SQL, or the helpers below).

from __future__ import annotations

from collections.abc import Callable

# (version reached, function upgrading from the version before), in order. Version 1 is the schema as
# created before versions were counted: it has no function.
MIGRATIONS: list[tuple[int, Callable]] = [(1, None)]


def _v2_review(conn) -> None:
    """Review before publication: batches gain a status and a publication time; every batch already there
    was published when it was loaded (the new review, event and target tables are created on open)."""
    import sqlalchemy as sa

    add_column(conn, "batch", "status", "VARCHAR DEFAULT 'published'")
    for column, sql_type in (
        ("submitted_at", "TIMESTAMP"),
        ("published_at", "TIMESTAMP"),
        ("published_by", "VARCHAR"),
        ("review_comment", "VARCHAR"),
    ):
        add_column(conn, "batch", column, sql_type)
    conn.execute(sa.text(BACKFILL_PUBLISHED))


# Batches from before version 2 (or restored from an older backup) were published when loaded.
BACKFILL_PUBLISHED = """
    UPDATE batch SET status = 'published', published_at = created_at, published_by = user_name
    WHERE (status IS NULL OR status = 'published') AND published_at IS NULL
"""
MIGRATIONS.append((2, _v2_review))


def latest() -> int:
    """The version this code creates and upgrades to."""
    return MIGRATIONS[-1][0]


def pending(stored: int) -> list[tuple[int, Callable]]:
    """The migrations a database at version `stored` needs, in order."""
    return [(v, fn) for v, fn in MIGRATIONS if v > stored and fn is not None]


def add_column(conn, table: str, column: str, sql_type: str) -> None:
    """Add a column unless it is there (a table just created from schema.py already has it).

    `table`, `column` and `sql_type` are written by developers in this module, never taken from data.
    """
    import sqlalchemy as sa

    if column in {c["name"] for c in sa.inspect(conn).get_columns(table)}:
        return
    conn.execute(sa.text(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {sql_type}'))


# PostgreSQL refuses any change to an audit row (a trigger); DuckDB has no triggers: there the code only ever
# inserts (loaders/access/audit.py).
PG_APPEND_ONLY = [
    """CREATE OR REPLACE FUNCTION marsad_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_append_only ON audit",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
       FOR EACH ROW EXECUTE FUNCTION marsad_audit_append_only()""",
]


def _v3_access(conn) -> None:
    """Accounts, sessions and the audit trail (tables created on open); the audit trail append-only."""
    import sqlalchemy as sa

    if conn.dialect.name == "postgresql":
        for stmt in PG_APPEND_ONLY:
            conn.execute(sa.text(stmt))


MIGRATIONS.append((3, _v3_access))


def _v4_account_producer(conn) -> None:
    """An account may name the producer it reports for (the Reporting page lists it first); none before."""
    add_column(conn, "account", "producer", "VARCHAR")


MIGRATIONS.append((4, _v4_account_producer))
MIGRATIONS.append((5, None))  # corrected catalog texts: the text_revision table (loaders/texts.py)
