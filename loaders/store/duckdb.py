"""The DuckDB adapter: a file reached through the duckdb driver itself on the hot paths, SQLAlchemy elsewhere."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from ..i18n import N_
from .base import Store
from .common import SEQUENCES, display_url, duckdb_path
from .errors import NotADatabase, StoreError, failure

_PARAM = re.compile(r"(?<![:\w]):(\w+)")


def duck_sql(sql: str) -> str:
    """`:name` parameters (the store's SQL is written once for both engines) -> DuckDB's `$name`."""
    return _PARAM.sub(r"$\1", sql)


def scratch() -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB for computations on Arrow data (checks, exports), not the store."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # it would print on stdout, into --json output
    return con


class DuckDBStore(Store):
    """A DuckDB file. One process holds it at a time: others wait (retry) up to `lock_wait`, then StoreBusy."""

    kind = "duckdb"

    def __init__(self, url: str, **kwargs):
        super().__init__(url, **kwargs)
        self.path = duckdb_path(url)
        if self.path and self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)

    # -- connections ----------------------------------------------------------------------------------

    def _connect(self) -> duckdb.DuckDBPyConnection:
        """The one way this store opens its file, so native and SQLAlchemy connections share one
        configuration (DuckDB refuses two configurations of one file in a process)."""
        con = duckdb.connect(self.path or ":memory:")
        # DuckDB draws a progress bar on stdout for long queries: it would corrupt `--json` output.
        con.execute("SET enable_progress_bar = false")
        return con

    def _make_engine(self):
        import sqlalchemy as sa
        from duckdb_sqlalchemy import ConnectionWrapper
        from sqlalchemy.pool import NullPool

        return sa.create_engine(
            self.url, poolclass=NullPool, creator=lambda: ConnectionWrapper(self._connect())
        )

    @contextmanager
    def transaction(self, *, write: bool = False):
        """A transaction on the driver's own connection: no SQLAlchemy import on the ingest path."""
        with self._serialised(write):
            con = self._retry(self._connect)
            try:
                con.begin()
                try:
                    yield con
                except BaseException:
                    con.rollback()
                    raise
                else:
                    con.commit()
            finally:
                con.close()

    @staticmethod
    def _raw(conn) -> duckdb.DuckDBPyConnection:
        """The driver connection behind a handle from `begin()` (SQLAlchemy) or `transaction()` (native)."""
        inner = getattr(conn, "connection", None)
        if inner is not None and hasattr(inner, "driver_connection"):
            return inner.driver_connection
        return conn

    def _retryable(self, e: BaseException) -> bool:
        # DuckDB has no error class of its own for a file locked by another process.
        text = str(getattr(e, "orig", None) or e).lower()
        return "could not set lock" in text or "conflicting lock" in text

    def _translate(self, e: BaseException) -> StoreError | None:
        if isinstance(e, duckdb.Error) or type(e).__module__.startswith("sqlalchemy"):
            text = str(e).lower()
            if isinstance(e, duckdb.IOException) and (
                "not a valid duckdb" in text or "corrupt" in text
            ):
                return NotADatabase(
                    "not-a-database",
                    N_("{path} is not a DuckDB database file"),
                    path=display_url(self.url),
                    detail=str(e)[:300],
                )
            return failure(e, display_url(self.url))
        return None

    def ensure(self, catalog_dir=None, *, seed_public: bool = True):
        """As Store.ensure; a database already at this schema version and catalog is only read, through the
        driver (no SQLAlchemy import: the common case of every command)."""
        catalog = self._ready_catalog(catalog_dir, seed_public)
        return (
            catalog if catalog is not None else super().ensure(catalog_dir, seed_public=seed_public)
        )

    def _ready_catalog(self, catalog_dir, seed_public: bool):
        """The catalog when nothing needs creating, upgrading, reloading or seeding; else None."""
        from ..catalog import CATALOG_DIR, load_catalog
        from . import migrations

        with self.transaction() as con:
            found = self.execute(
                con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
            )
            stored = self._stored_meta(con) if found[0][0] else {}
        if stored.get("schema_version") != str(migrations.latest()):
            return None
        if catalog_dir is None and stored.get("catalog_dir") not in (None, str(CATALOG_DIR)):
            catalog_dir = stored["catalog_dir"]  # a store built on another catalog keeps it
        catalog = load_catalog(catalog_dir or CATALOG_DIR)
        if stored.get("catalog_digest") != catalog.digest:
            return None
        if seed_public and stored.get("public_seeded") != catalog.digest:
            return None
        return catalog

    # -- primitives -----------------------------------------------------------------------------------

    def execute(self, conn, sql: str, params: dict | None = None) -> list[tuple]:
        raw = self._raw(conn)
        raw.execute(duck_sql(sql), params or None)
        try:
            return raw.fetchall()
        except duckdb.InvalidInputException:  # a statement: no result set
            return []

    def read_arrow(self, conn, sql: str, params: dict | None = None, schema=None) -> pa.Table:
        out = self._raw(conn).sql(duck_sql(sql), params=params or None).to_arrow_table()
        return out.cast(schema) if schema is not None else out

    def read_frame(self, conn, sql: str, params: dict | None = None):
        # Through Arrow: half the time of pandas.read_sql.
        return self.read_arrow(conn, sql, params).to_pandas()

    def in_list(self, column: str, param: str) -> str:
        return f"list_contains(:{param}, {column})"

    def bulk_insert(self, conn, name: str, data: pa.Table) -> None:
        table, cols = self._identifiers(name, data.column_names)
        raw = self._raw(conn)
        raw.register("_marsad_bulk_in", data)
        try:
            # Identifiers only, quoted and checked against the schema by _identifiers (the allow-list);
            # the values never enter the SQL: they come from the registered Arrow table.
            raw.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _marsad_bulk_in")
        finally:
            raw.unregister("_marsad_bulk_in")

    def current_for_keys(self, conn, keys: list[pa.Table]) -> pa.Table:
        # The readers' Arrow tables are scanned in place (no copy of the keys); names are ours.
        raw = self._raw(conn)
        names = [f"_marsad_up_{i}" for i in range(len(keys))]
        for name, k in zip(names, keys, strict=True):
            raw.register(name, k.select(["indicator", "period", "region"]))
        parts = [
            f"SELECT indicator, period, coalesce(region, '') AS region FROM {n}" for n in names
        ]
        if not parts:
            parts = [
                "SELECT NULL::VARCHAR AS indicator, NULL::VARCHAR AS period, '' AS region LIMIT 0"
            ]
        try:
            sql = (
                f"WITH _marsad_keys AS ({' UNION ALL '.join(parts)}) {self._current_for_keys_sql()}"
            )
            out = raw.sql(duck_sql(sql), params={"cutoff": None}).to_arrow_table()
        finally:
            for name in names:
                raw.unregister(name)
        return out.cast(self._current_schema)

    def stream_table(self, conn, name: str, schema: pa.Schema, chunk_rows: int):
        reader = self._raw(conn).sql(self._ordered_select(name)).to_arrow_reader(chunk_rows)
        for rb in reader:
            yield pa.Table.from_batches([rb])

    def advance_sequence(self, conn, last: int, seq: str = "batch_id_seq") -> None:
        if seq not in SEQUENCES:  # allow-list: names never come from a file
            raise ValueError(seq)
        if last > 0:
            # DuckDB cannot move a sequence that a column default uses: draw the numbers already given.
            self.execute(conn, f"SELECT max(nextval('{seq}')) FROM range(:n)", {"n": last})
