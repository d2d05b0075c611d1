"""The database: one schema behind SQLAlchemy (DuckDB file by default, PostgreSQL by URL), batches, current values, as-of and undo."""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from .catalog import CATALOG_DIR, Catalog, load_catalog
from .i18n import N_

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "marsad.duckdb"
SCHEMA_VERSION = "1"
NATIONAL = ""  # region key of national values: '' rather than NULL so keys compare with '='
# Dates people pick or read ("figures as known on", "loaded on") are Moroccan dates; stored times are UTC.
LOCAL_TZ = ZoneInfo("Africa/Casablanca")
# A DuckDB file starts with an 8-byte checksum, then this magic.
DUCKDB_MAGIC = b"DUCK"
# What a --db path must not look like: a report file given in the wrong place.
DATA_FILE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".json", ".parquet")

md = sa.MetaData()

meta = sa.Table(
    "meta", md, sa.Column("key", sa.String, primary_key=True), sa.Column("value", sa.String)
)
pillar = sa.Table(
    "pillar",
    md,
    sa.Column("programme", sa.String, primary_key=True),
    sa.Column("pillar", sa.String, primary_key=True),
    sa.Column("name_fr", sa.String),
    sa.Column("name_en", sa.String),
    sa.Column("name_ar", sa.String),
    sa.Column("position", sa.Integer),
)
indicator = sa.Table(
    "indicator",
    md,
    sa.Column("code", sa.String, primary_key=True),
    sa.Column("programme", sa.String),
    sa.Column("pillar", sa.String),
    sa.Column("name_fr", sa.String),
    sa.Column("name_en", sa.String),
    sa.Column("name_ar", sa.String),
    sa.Column("unit", sa.String),
    sa.Column("direction", sa.String),
    sa.Column("kind", sa.String),
    sa.Column("frequency", sa.String),
    sa.Column("by_region", sa.Boolean),
    sa.Column("baseline_year", sa.Integer),
    sa.Column("baseline_value", sa.Float),
    sa.Column("target_year", sa.Integer),
    sa.Column("target_value", sa.Float),
    sa.Column("confidence", sa.String),
    sa.Column("sources", sa.String),
    sa.Column("notes", sa.String),
    sa.Column("position", sa.Integer),
)
milestone = sa.Table(
    "milestone",
    md,
    sa.Column("indicator", sa.String, primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("value", sa.Float),
)
region = sa.Table(
    "region",
    md,
    sa.Column("iso", sa.String, primary_key=True),
    sa.Column("hcp_code", sa.String),
    sa.Column("name_fr", sa.String),
    sa.Column("name_en", sa.String),
    sa.Column("name_ar", sa.String),
    sa.Column("capital", sa.String),
    sa.Column("population_2024", sa.BigInteger),
)
batch_seq = sa.Sequence("batch_id_seq", metadata=md)
batch = sa.Table(
    "batch",
    md,
    sa.Column("batch_id", sa.Integer, batch_seq, primary_key=True, autoincrement=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("user_name", sa.String, nullable=False),
    sa.Column("origin", sa.String, nullable=False),  # public | upload | demo
    sa.Column("files", sa.String, nullable=False),
    sa.Column("demo", sa.Boolean, nullable=False),
    sa.Column("rows", sa.Integer),
    sa.Column("inserted", sa.Integer),
    sa.Column("revised", sa.Integer),
    sa.Column("unchanged", sa.Integer),
    sa.Column("content_hash", sa.String),
    sa.Column("undone_at", sa.DateTime),
    sa.Column("undone_by", sa.String),
)
# Append-only: a revision is a new row from a later batch; undo marks the batch, never deletes.
observation = sa.Table(
    "observation",
    md,
    sa.Column("batch_id", sa.Integer, nullable=False),
    sa.Column("indicator", sa.String, nullable=False),
    sa.Column("period", sa.String, nullable=False),
    sa.Column("region", sa.String, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("unit", sa.String),
    sa.Column("comment", sa.String),
    sa.Column("source", sa.String),
    sa.Column("file", sa.String),
    sa.Column("sheet", sa.String),
    sa.Column("row_number", sa.Integer),
    sa.Column("demo", sa.Boolean, nullable=False),
)
# One row per key and batch. Ingest guarantees it before writing; PostgreSQL also enforces it with an
# index. DuckDB does not: its ART indexes live in memory, are loaded at every open, and a four-text-column
# key cost ~1 s per million rows inserted (bench/ingest.py).
sa.Index(
    "observation_key",
    observation.c.batch_id,
    observation.c.indicator,
    observation.c.period,
    observation.c.region,
    unique=True,
).ddl_if(dialect="postgresql")
OBS_COLUMNS = [c.name for c in observation.columns]
OBS_ARROW_SCHEMA = pa.schema(
    [
        ("batch_id", pa.int32()),
        ("indicator", pa.string()),
        ("period", pa.string()),
        ("region", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("comment", pa.string()),
        ("source", pa.string()),
        ("file", pa.string()),
        ("sheet", pa.string()),
        ("row_number", pa.int32()),
        ("demo", pa.bool_()),
    ]
)


def resolve_url(db: str | os.PathLike | None = None) -> str:
    """--db value, else MARSAD_DB_URL, else the default DuckDB file; a plain path means a DuckDB file."""
    db = db or os.environ.get("MARSAD_DB_URL") or DEFAULT_DB
    db = str(db)
    if "://" in db:
        return db
    return "duckdb:///" + str(Path(db).expanduser().resolve())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _parse_as_of(as_of: dt.date | dt.datetime | str) -> dt.date | dt.datetime:
    if isinstance(as_of, str):
        return (
            dt.datetime.fromisoformat(as_of)
            if "T" in as_of or " " in as_of
            else dt.date.fromisoformat(as_of)
        )
    return as_of


def as_of_cutoff(as_of: dt.date | dt.datetime | str | None) -> dt.datetime | None:
    """The (naive UTC) instant before which a batch counts for 'as known on `as_of`'.

    A date D means the end of D in Morocco (Africa/Casablanca: UTC+1, UTC+0 during Ramadan): a batch loaded at
    23:30 UTC on D-1 in summer was loaded on D there. A timezone-aware datetime is that instant; a naive one is
    UTC, like the stored batch times.
    """
    if as_of is None or as_of == "":
        return None
    as_of = _parse_as_of(as_of)
    if isinstance(as_of, dt.datetime):
        if as_of.tzinfo is not None:
            return as_of.astimezone(dt.UTC).replace(tzinfo=None)
        return as_of
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ)
    return end.astimezone(dt.UTC).replace(tzinfo=None)


def as_of_date(as_of: dt.date | dt.datetime | str | None) -> dt.date | None:
    """The Moroccan calendar date an `as_of` value stands for (None = now)."""
    if as_of is None or as_of == "":
        return None
    as_of = _parse_as_of(as_of)
    if isinstance(as_of, dt.datetime):
        return local_time(as_of).date()
    return as_of


def local_today() -> dt.date:
    """Today's date in Morocco (the default "as known on" date)."""
    return dt.datetime.now(LOCAL_TZ).date()


def local_time(utc: dt.datetime) -> dt.datetime:
    """A stored time (naive UTC) as the aware time in Morocco, as History shows it."""
    if utc.tzinfo is None:
        utc = utc.replace(tzinfo=dt.UTC)
    return utc.astimezone(LOCAL_TZ)


class StoreError(Exception):
    """The database cannot be used as asked; `message` is one sentence for people (English, see `translated`)."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message.format(**params))
        self.code = code
        self.msgid = message
        self.params = params
        self.message = message.format(**params)

    def translated(self, _) -> str:
        return _(self.msgid, **self.params)


class StoreBusy(StoreError):
    """Another process kept the DuckDB file locked for longer than the store waits."""


def check_target(url: str) -> None:
    """Refuse, before anything is created, a --db that cannot be a Marsad database (StoreError).

    A path that is a directory, a file that is not a DuckDB database, a report file (.csv, .xlsx…), a folder that
    does not exist, or a URL SQLAlchemy cannot parse.
    """
    if "://" not in url:
        raise StoreError("bad-url", N_("{url} is not a database URL or file path"), url=url)
    try:
        parsed = sa.engine.make_url(url)
    except (sa.exc.ArgumentError, ValueError) as e:
        raise StoreError("bad-url", N_("{url} is not a valid database URL"), url=url) from e
    if parsed.get_backend_name() not in ("duckdb", "postgresql"):
        raise StoreError(
            "bad-url",
            N_("{url}: only DuckDB files and PostgreSQL URLs are supported"),
            url=url,
        )
    if parsed.get_backend_name() != "duckdb":
        return
    path = parsed.database or ""
    if not path or path == ":memory:":
        raise StoreError(
            "not-a-database",
            N_(
                "An in-memory database keeps nothing between commands: give a DuckDB file or a PostgreSQL URL"
            ),
        )
    p = Path(path)
    if p.is_dir():
        raise StoreError("not-a-database", N_("{path} is a folder, not a database file"), path=path)
    if p.suffix.lower() in DATA_FILE_SUFFIXES:
        raise StoreError(
            "not-a-database",
            N_(
                "{path} looks like a report file, not a database: give the files to load after"
                " `ingest`, and a .duckdb file or a URL to --db"
            ),
            path=path,
        )
    if p.exists():
        try:
            with p.open("rb") as f:
                head = f.read(12)
        except OSError as e:
            raise StoreError("unreadable-database", N_("{path} cannot be read"), path=path) from e
        if head[8:12] != DUCKDB_MAGIC:
            raise StoreError(
                "not-a-database", N_("{path} is not a DuckDB database file"), path=path
            )
    elif not p.parent.is_dir():
        raise StoreError(
            "missing-folder",
            N_("The folder {folder} does not exist"),
            folder=str(p.parent),
        )


def _display_url(url: str) -> str:
    """A URL for messages: the password hidden, a DuckDB file as its path."""
    if url.startswith("duckdb:///"):
        return url[len("duckdb:///") :]
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return url


def _is_lock_error(e: Exception) -> bool:
    text = str(e).lower()
    return "could not set lock" in text or "conflicting lock" in text


_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


class Store:
    """A database reached by URL. Connections are short-lived so other processes can take the DuckDB lock."""

    LOCK_RETRY_SECONDS = 20.0

    def __init__(self, url: str, *, lock_wait: float | None = None, on_wait=None):
        self.url = url
        # How long to wait for a DuckDB file another process holds; then StoreBusy. MARSAD_LOCK_WAIT_SECONDS
        # overrides the default (tests, or a deployment with long loads).
        self.lock_wait = (
            lock_wait
            if lock_wait is not None
            else float(os.environ.get("MARSAD_LOCK_WAIT_SECONDS", self.LOCK_RETRY_SECONDS))
        )
        self.on_wait = (
            on_wait  # called once when a wait for the lock starts (the CLI says so on stderr)
        )
        self.is_duckdb = url.startswith("duckdb")
        if self.is_duckdb:
            path = url.split(":///", 1)[1] if ":///" in url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(url, poolclass=NullPool)
        if self.is_duckdb:
            # DuckDB draws a progress bar on stdout for long queries: it would corrupt `--json` output.
            sa.event.listen(
                self.engine,
                "connect",
                lambda dbapi_conn, _rec: dbapi_conn.execute("SET enable_progress_bar = false"),
            )

    @contextmanager
    def begin(self, *, write: bool = False):
        """A transaction; waits for a DuckDB file lock held by another process, then raises StoreBusy.

        `write=True` serialises the writers that read before they write (ingest, undo): one at a time in this
        process, and on PostgreSQL one at a time across processes (a DuckDB file admits one process anyway).
        """
        lock = self._write_lock() if write else None
        if lock is not None:
            lock.acquire()
        try:
            with self._begin() as conn:
                if write and not self.is_duckdb:
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(4242424242)"))
                yield conn
        finally:
            if lock is not None:
                lock.release()

    def _write_lock(self) -> threading.Lock:
        with _WRITE_LOCKS_GUARD:
            return _WRITE_LOCKS.setdefault(self.url, threading.Lock())

    @contextmanager
    def _begin(self):
        deadline = time.monotonic() + self.lock_wait
        waiting = False
        while True:
            try:
                conn_cm = self.engine.begin()
                conn = conn_cm.__enter__()
                break
            except sa.exc.DBAPIError as e:
                if not _is_lock_error(e):
                    raise
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
        try:
            yield conn
        except BaseException:
            conn_cm.__exit__(*__import__("sys").exc_info())
            raise
        else:
            conn_cm.__exit__(None, None, None)

    # -- schema and catalog -------------------------------------------------------------------

    def ensure(
        self, catalog_dir: Path | str | None = None, *, seed_public: bool = True
    ) -> Catalog | None:
        """Create the schema, (re)load the catalog when its files changed, seed real public observations once."""
        with self.begin(write=True) as conn:
            self._refuse_foreign(conn)
            md.create_all(conn)
            _access.migrate_add_access(
                conn
            )  # H7 hook: account, session, audit (a migration at merge)
            stored = dict(conn.execute(sa.select(meta.c.key, meta.c.value)).all())
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
                from .seed import seed_public_observations

                seed_public_observations(self, conn, catalog)
                self._set_meta(conn, "public_seeded", catalog.digest)
            self._set_meta(conn, "schema_version", SCHEMA_VERSION)
        return catalog

    def _refuse_foreign(self, conn) -> None:
        """A database holding other tables and no Marsad `meta` table is someone else's: leave it untouched."""
        names = set(sa.inspect(conn).get_table_names())
        if names and "meta" not in names:
            raise StoreError(
                "foreign-database",
                N_(
                    "{url} is not a Marsad database (it holds other tables: {tables}); nothing was changed"
                ),
                url=_display_url(self.url),
                tables=", ".join(sorted(names)[:5]),
            )

    def _set_meta(self, conn, key: str, value: str) -> None:
        conn.execute(sa.delete(meta).where(meta.c.key == key))
        conn.execute(sa.insert(meta).values(key=key, value=value))

    def _write_catalog(self, conn, catalog: Catalog) -> None:
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
        self._set_meta(conn, "catalog_digest", catalog.digest)
        self._set_meta(conn, "catalog_dir", str(catalog.directory))

    # -- batches and bulk writes -------------------------------------------------------------

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
    ) -> int:
        batch_id = conn.execute(sa.select(batch_seq.next_value())).scalar_one()
        conn.execute(
            sa.insert(batch).values(
                batch_id=batch_id,
                created_at=created_at or utcnow(),
                user_name=user,
                origin=origin,
                files=files,
                demo=demo,
                rows=0,
                inserted=0,
                revised=0,
                unchanged=0,
                content_hash=content_hash,
            )
        )
        return int(batch_id)

    def bulk_insert_observations(self, conn, table: pa.Table) -> int:
        """Bulk-append observation rows through the database's native path (DuckDB Arrow scan, PostgreSQL COPY)."""
        table = table.select(OBS_COLUMNS).cast(OBS_ARROW_SCHEMA)
        if table.num_rows == 0:
            return 0
        if self.is_duckdb:
            raw = conn.connection.driver_connection
            raw.register("_marsad_obs_in", table)
            try:
                raw.execute(
                    f"INSERT INTO observation ({', '.join(OBS_COLUMNS)}) SELECT {', '.join(OBS_COLUMNS)} FROM _marsad_obs_in"
                )
            finally:
                raw.unregister("_marsad_obs_in")
        else:
            raw = conn.connection.driver_connection
            buf = io.BytesIO()
            import pyarrow.csv as pacsv

            pacsv.write_csv(table, buf, pacsv.WriteOptions(include_header=False))
            with (
                raw.cursor() as cur,
                cur.copy(
                    f"COPY observation ({', '.join(OBS_COLUMNS)}) FROM STDIN WITH (FORMAT csv)"
                ) as cp,
            ):
                cp.write(buf.getvalue())
        return table.num_rows

    # -- reading ------------------------------------------------------------------------------

    @staticmethod
    def current_sql(where: str = "") -> str:
        """Rows current as of :cutoff (NULL = now): latest batch per key among batches loaded and not undone then.

        Every batch that reported a value holds its own row, even when the value was unchanged, so the latest
        batch that reported a key gives its value and its provenance, and undoing any batch falls back on the
        batches that remain. A real value always wins over a DEMO one for the same key, so the demo never hides a
        published figure. `versions` counts the distinct successive values (a value reported again unchanged
        is not a new version).

        Bound parameters: :cutoff. `where` is a fixed SQL fragment from callers in this package.
        """
        cols = ", ".join(f"y.{c}" for c in OBS_COLUMNS)
        return f"""
            SELECT * FROM (
                SELECT {cols}, y.loaded_at, y.user_name, y.origin,
                       ROW_NUMBER() OVER (PARTITION BY y.indicator, y.period, y.region
                                          ORDER BY y.demo, y.batch_id DESC) AS rn,
                       CAST(SUM(CASE WHEN y.prev_value IS NULL OR y.prev_value <> y.value THEN 1 ELSE 0 END)
                           OVER (PARTITION BY y.indicator, y.period, y.region) AS INTEGER) AS versions
                FROM (
                    SELECT o.*, b.created_at AS loaded_at, b.user_name, b.origin,
                           LAG(o.value) OVER (PARTITION BY o.indicator, o.period, o.region, o.demo
                                              ORDER BY o.batch_id) AS prev_value
                    FROM observation o JOIN batch b ON b.batch_id = o.batch_id
                    WHERE (CAST(:cutoff AS TIMESTAMP) IS NULL OR b.created_at < CAST(:cutoff AS TIMESTAMP))
                      AND (b.undone_at IS NULL
                           OR (CAST(:cutoff AS TIMESTAMP) IS NOT NULL AND b.undone_at >= CAST(:cutoff AS TIMESTAMP)))
                      {where}
                ) y
            ) x WHERE rn = 1
        """

    def current_observations(self, as_of=None, *, include_demo: bool = True):
        import pandas as pd

        where = "" if include_demo else "AND NOT o.demo"
        with self.begin() as conn:
            df = pd.read_sql(
                sa.text(self.current_sql(where)), conn, params={"cutoff": as_of_cutoff(as_of)}
            )
        return df.drop(columns=["rn"])

    def read_table(self, name: str):
        import pandas as pd

        tables = {
            "pillar": pillar,
            "indicator": indicator,
            "milestone": milestone,
            "region": region,
            "batch": batch,
        }
        t = tables[name]  # allow-list
        order = [c for c in ("position", "batch_id", "iso", "indicator", "year") if c in t.c]
        with self.begin() as conn:
            return pd.read_sql(sa.select(t).order_by(*[t.c[o] for o in order[:1]]), conn)

    def data_version(self) -> str:
        """Changes whenever anything a page shows could change (cache key for the UI)."""
        with self.begin() as conn:
            b = conn.execute(
                sa.select(sa.func.max(batch.c.batch_id), sa.func.count(batch.c.undone_at))
            ).one()
            d = conn.execute(sa.select(meta.c.value).where(meta.c.key == "catalog_digest")).scalar()
        return f"{b[0]}-{b[1]}-{d}"


def open_store(
    db: str | None = None, catalog_dir: Path | str | None = None, *, seed_public: bool = True
) -> Store:
    """Open (and on first use create and seed) the store named by --db / MARSAD_DB_URL / the default."""
    store = Store(resolve_url(db))
    store.ensure(catalog_dir, seed_public=seed_public)
    return store


# H7 hook: registers the account, session and audit tables on `md` (so create_all, backup and restore see them).
from .access import accounts as _access  # noqa: E402
