"""The Store: what every engine does the same way (connections, schema, catalog, batches, tables); reading current
values is in `current`, adapters do the rest."""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

from .. import settings
from ..i18n import N_
from . import migrations
from .common import OBS_COLUMNS, display_url, utcnow
from .current import CurrentValues
from .errors import ForeignDatabase, SchemaMismatch, StoreBusy, StoreError, failure

_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()

# How each table reads in a stable order (identifiers: an allow-list).
TABLE_ORDER = {
    "pillar": "position",
    "indicator": "position",
    "milestone": "indicator, year",
    "region": "iso",
    "batch": "batch_id",
}
BATCH_COLUMNS = (
    "batch_id, created_at, user_name, origin, files, demo, rows, inserted, revised, unchanged, content_hash,"
    " status, submitted_at, published_at, published_by"
)


class Store(CurrentValues):
    """A database reached by URL. `Store(url)` gives the adapter of its engine (DuckDB file or PostgreSQL).

    Connections are short-lived so other processes can take the DuckDB lock. `begin()` gives a SQLAlchemy
    connection; `transaction()` the engine's own fast handle. Every method taking `conn` accepts either.
    """

    LOCK_RETRY_SECONDS = 20.0
    kind = "?"  # "duckdb" | "postgresql": a label for manifests and messages, never a branch outside the store

    def __new__(cls, url: str, **kwargs):
        if cls is Store:
            if url.startswith("duckdb"):
                from .duckdb import DuckDBStore as cls
            else:
                from .postgres import PostgresStore as cls
        return super().__new__(cls)

    def __init__(self, url: str, *, lock_wait: float | None = None, on_wait=None):
        self.url = url
        # How long to wait for a DuckDB file another process holds; then StoreBusy. MARSAD_LOCK_WAIT_SECONDS
        # overrides the default (tests, or a deployment with long loads).
        self.lock_wait = (
            lock_wait if lock_wait is not None else settings.get("MARSAD_LOCK_WAIT_SECONDS")
        )
        self.on_wait = (
            on_wait  # called once when a wait for the lock starts (the CLI says so on stderr)
        )
        self._engine = None

    # -- connections (adapters: _make_engine, _retryable, _translate, _write_guard, _native) -------------

    @property
    def engine(self):
        """The SQLAlchemy engine, made on first use (the DuckDB fast path never needs it)."""
        if self._engine is None:
            self._engine = self._make_engine()
        return self._engine

    @contextmanager
    def begin(self, *, write: bool = False):
        """A SQLAlchemy transaction; waits for a DuckDB file lock held by another process, then StoreBusy.

        `write=True` serialises the writers that read before they write (ingest, undo): one at a time in this
        process, and across processes (PostgreSQL: an advisory lock; a DuckDB file admits one process anyway).
        """
        with self._serialised(write):

            def enter():
                cm = self.engine.begin()
                return cm, cm.__enter__()

            cm, conn = self._retry(enter)
            try:
                if write:
                    self._write_guard(conn)
                yield conn
            except BaseException:
                cm.__exit__(*sys.exc_info())
                raise
            else:
                cm.__exit__(None, None, None)

    @contextmanager
    def transaction(self, *, write: bool = False):
        """The engine's fastest transaction handle for the store's own methods (DuckDB: no SQLAlchemy)."""
        with self.begin(write=write) as conn:
            yield conn

    @contextmanager
    def using(self, conn=None):
        """`conn` when the caller has one, else a transaction of its own (for methods taking `conn=None`)."""
        if conn is not None:
            yield conn
            return
        with self.transaction() as conn:
            yield conn

    @contextmanager
    def _serialised(self, write: bool):
        lock = None
        if write:
            with _WRITE_LOCKS_GUARD:
                lock = _WRITE_LOCKS.setdefault(self.url, threading.Lock())
            lock.acquire()
        try:
            yield
        finally:
            if lock is not None:
                lock.release()

    def _retry(self, connect):
        """connect() until it works; a lock held elsewhere is waited for up to lock_wait, then StoreBusy."""
        deadline = time.monotonic() + self.lock_wait
        waiting = False
        while True:
            try:
                return connect()
            except StoreError:
                raise
            except Exception as e:
                if not self._retryable(e):
                    translated = self.translate(e)
                    if translated is None:
                        raise
                    raise translated from e
                if time.monotonic() > deadline:
                    raise StoreBusy(
                        "database-busy",
                        N_(
                            "The database is still busy after {seconds} seconds: another program is"
                            " writing to it; try again when it has finished"
                        ),
                        seconds=round(self.lock_wait),
                    ) from e
                if not waiting and self.on_wait is not None:
                    self.on_wait()
                waiting = True
                time.sleep(0.2)

    def translate(self, e: BaseException) -> StoreError | None:
        """The StoreError a driver or SQLAlchemy error stands for; None for errors that are not the database's."""
        if isinstance(e, StoreError):
            return e
        return self._translate(e)

    def _retryable(self, e: BaseException) -> bool:
        return False

    def _translate(self, e: BaseException) -> StoreError | None:
        return failure(e, display_url(self.url))

    def _write_guard(self, conn) -> None:
        pass

    # -- primitives every method is written with (adapters) -------------------------------------------

    def execute(self, conn, sql: str, params: dict | None = None) -> list[tuple]:
        """Run fixed SQL (`:name` parameters, bound) and return its rows (none for a statement)."""
        import sqlalchemy as sa

        result = conn.execute(sa.text(sql), params or {})
        return [tuple(r) for r in result.all()] if result.returns_rows else []

    def read_arrow(self, conn, sql: str, params: dict | None = None, schema=None) -> pa.Table:
        """Fixed SQL with bound `:name` parameters, as an Arrow table (cast to `schema` when given)."""
        import sqlalchemy as sa

        result = conn.execute(sa.text(sql), params or {})
        names = list(result.keys())
        rows = result.all()
        if schema is not None:
            return pa.table(
                {f.name: pa.array([r[i] for r in rows], f.type) for i, f in enumerate(schema)},
                schema=schema,
            )
        return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})

    def read_frame(self, conn, sql: str, params: dict | None = None):
        """The same as read_arrow, as a pandas DataFrame."""
        import pandas as pd
        import sqlalchemy as sa

        return pd.read_sql(sa.text(sql), conn, params=params or {})

    def in_list(self, column: str, param: str) -> str:
        """SQL true when `column` is one of the values of the list parameter `param`."""
        return f"{column} = ANY(:{param})"

    # -- schema and catalog ---------------------------------------------------------------------------

    def ensure(self, catalog_dir: Path | str | None = None, *, seed_public: bool = True):
        """Create or upgrade the schema, (re)load the catalog when its files changed, seed real public
        observations once. Returns the catalog."""
        import sqlalchemy as sa

        from ..catalog import CATALOG_DIR, load_catalog
        from .schema import md

        with self.begin(write=True) as conn:
            names = set(sa.inspect(conn).get_table_names())
            self._refuse_foreign(names)
            stored = self._stored_meta(conn) if "meta" in names else {}
            version = self._check_version(stored)
            md.create_all(conn)
            for _v, upgrade in migrations.pending(version):
                upgrade(conn)
            if (
                catalog_dir is None
                and "catalog_dir" in stored
                and stored.get("catalog_dir") != str(CATALOG_DIR)
            ):
                catalog_dir = stored["catalog_dir"]  # a store built on another catalog keeps it
            catalog = load_catalog(catalog_dir or CATALOG_DIR)
            if stored.get("catalog_digest") != catalog.digest:
                self._write_catalog(conn, catalog)
            if seed_public and stored.get("public_seeded") != catalog.digest:
                from ..seed import seed_public_observations

                seed_public_observations(self, conn, catalog)
                self.set_meta(conn, "public_seeded", catalog.digest)
            if stored.get("schema_version") != str(migrations.latest()):
                self.set_meta(conn, "schema_version", str(migrations.latest()))
        return catalog

    def _stored_meta(self, conn) -> dict[str, str]:
        return dict(self.execute(conn, "SELECT key, value FROM meta"))

    def _check_version(self, stored: dict[str, str]) -> int:
        """The stored schema version (1 when not recorded); a newer one than this code knows is refused."""
        text = stored.get("schema_version") or "1"
        try:
            version = int(text)
        except ValueError:
            version = 10**9
        if version > migrations.latest():
            raise SchemaMismatch(
                "schema-too-new",
                N_(
                    "{url} was made by a newer version of Marsad (schema {stored}; this version knows up to"
                    " {known}): update Marsad to open it; nothing was changed"
                ),
                url=display_url(self.url),
                stored=text,
                known=str(migrations.latest()),
            )
        return version

    def _refuse_foreign(self, names: set[str]) -> None:
        """A database holding other tables and no Marsad `meta` table is someone else's: leave it untouched."""
        if names and "meta" not in names:
            raise ForeignDatabase(
                "foreign-database",
                N_(
                    "{url} is not a Marsad database (it holds other tables: {tables}); nothing was changed"
                ),
                url=display_url(self.url),
                tables=", ".join(sorted(names)[:5]),
            )

    def meta_value(self, key: str, conn=None) -> str | None:
        with self.using(conn) as conn:
            rows = self.execute(conn, "SELECT value FROM meta WHERE key = :key", {"key": key})
        return rows[0][0] if rows else None

    def set_meta(self, conn, key: str, value: str) -> None:
        self.execute(conn, "DELETE FROM meta WHERE key = :key", {"key": key})
        self.execute(
            conn,
            "INSERT INTO meta (key, value) VALUES (:key, :value)",
            {"key": key, "value": value},
        )

    _set_meta = set_meta

    def _write_catalog(self, conn, catalog) -> None:
        import sqlalchemy as sa

        from .schema import indicator, milestone, pillar, region

        for t in (milestone, indicator, pillar, region):
            conn.execute(sa.delete(t))
        conn.execute(
            sa.insert(pillar),
            [{**p.model_dump(), "position": i} for i, p in enumerate(catalog.pillars)],
        )
        conn.execute(
            sa.insert(indicator),
            [
                {**i.model_dump(exclude={"milestones"}), "position": n}
                for n, i in enumerate(catalog.indicators)
            ],
        )
        ms = [
            {"indicator": i.code, "year": m.year, "value": m.value}
            for i in catalog.indicators
            for m in i.milestones
        ]
        if ms:
            conn.execute(sa.insert(milestone), ms)
        conn.execute(sa.insert(region), [r.model_dump() for r in catalog.regions])
        self.set_meta(conn, "catalog_digest", catalog.digest)
        self.set_meta(conn, "catalog_dir", str(catalog.directory))

    # -- batches and bulk writes ----------------------------------------------------------------------

    def new_batch(
        self,
        conn,
        *,
        user: str,
        origin: str,
        files: str,
        demo: bool,
        created_at: dt.datetime | None = None,
        content_hash: str | None = None,
        status: str = "published",
    ) -> int:
        """A new batch: `published` at once, or `submitted` for review (loaders/review.py)."""
        batch_id = int(self.execute(conn, "SELECT nextval('batch_id_seq')")[0][0])
        created_at = created_at or utcnow()
        published = status == "published"
        self.execute(
            conn,
            f"INSERT INTO batch ({BATCH_COLUMNS}) VALUES (:batch_id, :created_at, :user_name, :origin,"
            " :files, :demo, 0, 0, 0, 0, :content_hash, :status, :submitted_at, :published_at,"
            " :published_by)",
            {
                "status": status,
                "submitted_at": None if published else created_at,
                "published_at": created_at if published else None,
                "published_by": user if published else None,
                "batch_id": batch_id,
                "created_at": created_at,
                "user_name": user,
                "origin": origin,
                "files": files,
                "demo": demo,
                "content_hash": content_hash,
            },
        )
        return batch_id

    def finish_batch(
        self, conn, batch_id: int, *, rows: int, inserted: int, revised: int, unchanged: int
    ):
        """Record what a batch held once its values are written."""
        self.execute(
            conn,
            "UPDATE batch SET rows = :rows, inserted = :inserted, revised = :revised, unchanged = :unchanged"
            " WHERE batch_id = :batch_id",
            {
                "rows": rows,
                "inserted": inserted,
                "revised": revised,
                "unchanged": unchanged,
                "batch_id": batch_id,
            },
        )

    def same_content_batch(self, conn, content_hash: str) -> int | None:
        """The latest batch still in force that loaded exactly this content."""
        rows = self.execute(
            conn,
            "SELECT max(batch_id) FROM batch WHERE content_hash = :h AND undone_at IS NULL",
            {"h": content_hash},
        )
        return rows[0][0] if rows else None

    def bulk_insert_observations(self, conn, table: pa.Table) -> int:
        """Bulk-append observation rows through the engine's native path (DuckDB Arrow scan, PostgreSQL COPY)."""
        from .common import OBS_ARROW_SCHEMA

        table = table.select(OBS_COLUMNS).cast(OBS_ARROW_SCHEMA)
        if table.num_rows == 0:
            return 0
        self.bulk_insert(conn, "observation", table)
        return table.num_rows

    def bulk_insert(self, conn, name: str, data: pa.Table) -> None:
        """Append an Arrow table to a store table; names are checked against the schema (the allow-list)."""
        raise NotImplementedError

    @staticmethod
    def _identifiers(name: str, columns: list[str]) -> tuple[str, str]:
        """Quoted table and column names, checked against the schema (the allow-list); the observation
        columns are known without loading SQLAlchemy (the ingest path)."""
        if name == "observation":
            known = set(OBS_COLUMNS)
        else:
            from .schema import TABLES

            known = {c.name for c in TABLES[name].columns} if name in TABLES else set()
        if not known or not set(columns) <= known:
            raise ValueError(f"{name}: not a table or column of the store")
        return f'"{name}"', ", ".join(f'"{c}"' for c in columns)

    # -- tables and history ------------------------------------------------------------------------

    def table(self, conn, name: str, *, frame: bool = False):
        """A catalog table or `batch`, in its stable order (Arrow, or pandas with `frame=True`)."""
        order = TABLE_ORDER[name]  # allow-list
        sql = f"SELECT * FROM {name} ORDER BY {order}"
        return self.read_frame(conn, sql) if frame else self.read_arrow(conn, sql)

    def read_table(self, name: str):
        """One table as a pandas DataFrame (see `table`)."""
        with self.begin() as conn:
            return self.table(conn, name, frame=True)

    def data_version(self) -> str:
        """Changes whenever anything a page shows could change (cache key for the UI)."""
        with self.transaction() as conn:
            b = self.execute(conn, "SELECT max(batch_id), count(undone_at) FROM batch")[0]
            d = self.meta_value("catalog_digest", conn)
            # Bumped by every review action and target change (loaders/submit.record).
            r = self.meta_value("review_version", conn)
        return f"{b[0]}-{b[1]}-{d}-{r}"

    # -- backup ---------------------------------------------------------------------------------------

    def has_table(self, conn, name: str) -> bool:
        rows = self.execute(
            conn,
            "SELECT count(*) FROM information_schema.tables WHERE table_name = :n",
            {"n": name},
        )
        return bool(rows[0][0])

    def stream_table(self, conn, name: str, schema: pa.Schema, chunk_rows: int):
        """Every row of a table in a stable order (primary key, else all columns), as Arrow chunks."""
        raise NotImplementedError

    def advance_sequence(self, conn, last: int) -> None:
        """Make the batch numbering continue after `last` (restore)."""
        raise NotImplementedError

    @staticmethod
    def _ordered_select(name: str) -> str:
        from .schema import TABLES

        t = TABLES[name]  # allow-list
        order = list(t.primary_key.columns) or list(t.columns)
        cols = ", ".join(f'"{c.name}"' for c in t.columns)
        return f'SELECT {cols} FROM "{name}" ORDER BY ' + ", ".join(f'"{c.name}"' for c in order)


def open_store(
    db: str | None = None, catalog_dir: Path | str | None = None, *, seed_public: bool = True
) -> Store:
    """Open (and on first use create and seed) the store named by --db / MARSAD_DB_URL / the default."""
    from .common import resolve_url

    store = Store(resolve_url(db))
    store.ensure(catalog_dir, seed_public=seed_public)
    return store
