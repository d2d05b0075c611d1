"""The database: one schema behind SQLAlchemy (DuckDB file by default, PostgreSQL by URL), batches, current values, as-of and undo."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from .catalog import CATALOG_DIR, Catalog, load_catalog

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "marsad.duckdb"
SCHEMA_VERSION = "1"
NATIONAL = ""  # region key of national values: '' rather than NULL so keys compare with '='

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


def as_of_cutoff(as_of: dt.date | dt.datetime | str | None) -> dt.datetime | None:
    """'As known on date D' includes everything loaded during D."""
    if as_of is None or as_of == "":
        return None
    if isinstance(as_of, str):
        as_of = (
            dt.datetime.fromisoformat(as_of)
            if "T" in as_of or " " in as_of
            else dt.date.fromisoformat(as_of)
        )
    if isinstance(as_of, dt.datetime):
        return as_of
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())


class Store:
    """A database reached by URL. Connections are short-lived so other processes can take the DuckDB lock."""

    LOCK_RETRY_SECONDS = 20.0

    def __init__(self, url: str):
        self.url = url
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
    def begin(self):
        """A transaction; waits for a DuckDB file lock held by another process instead of failing."""
        deadline = time.monotonic() + self.LOCK_RETRY_SECONDS
        while True:
            try:
                conn_cm = self.engine.begin()
                conn = conn_cm.__enter__()
                break
            except sa.exc.DBAPIError as e:
                if "lock" not in str(e).lower() or time.monotonic() > deadline:
                    raise
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
        with self.begin() as conn:
            md.create_all(conn)
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

        A real value always wins over a DEMO one for the same key, so the demo never hides a published figure.

        Bound parameters: :cutoff. `where` is a fixed SQL fragment from callers in this package.
        """
        return f"""
            SELECT * FROM (
                SELECT o.*, b.created_at AS loaded_at, b.user_name, b.origin,
                       ROW_NUMBER() OVER (PARTITION BY o.indicator, o.period, o.region
                                          ORDER BY o.demo, o.batch_id DESC) AS rn,
                       COUNT(*) OVER (PARTITION BY o.indicator, o.period, o.region) AS versions
                FROM observation o JOIN batch b ON b.batch_id = o.batch_id
                WHERE (CAST(:cutoff AS TIMESTAMP) IS NULL OR b.created_at < CAST(:cutoff AS TIMESTAMP))
                  AND (b.undone_at IS NULL
                       OR (CAST(:cutoff AS TIMESTAMP) IS NOT NULL AND b.undone_at >= CAST(:cutoff AS TIMESTAMP)))
                  {where}
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
