"""What every engine shares, without SQLAlchemy: constants, Moroccan dates, URLs, and the current-values SQL."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa

from .. import settings

DEFAULT_DB = Path(__file__).resolve().parent.parent.parent / "data" / "marsad.duckdb"
NATIONAL = ""  # region key of national values: '' rather than NULL so keys compare with '='
# Dates people pick or read ("figures as known on", "loaded on") are Moroccan dates; stored times are UTC.
LOCAL_TZ = ZoneInfo("Africa/Casablanca")
# A DuckDB file starts with an 8-byte checksum, then this magic.
DUCKDB_MAGIC = b"DUCK"
# What a --db path must not look like: a report file given in the wrong place.
DATA_FILE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".json", ".parquet")

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
OBS_COLUMNS = OBS_ARROW_SCHEMA.names
# The current value of each key beside the upload (`Store.current_for_keys`).
CURRENT_FOR_KEYS_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("period", pa.string()),
        ("region", pa.string()),
        ("old_value", pa.float64()),
        ("old_batch_id", pa.int32()),
    ]
)


def resolve_url(db: str | os.PathLike | None = None) -> str:
    """--db value, else MARSAD_DB_URL, else the default DuckDB file; a plain path means a DuckDB file."""
    db = db or settings.get("MARSAD_DB_URL") or DEFAULT_DB
    db = str(db)
    if "://" in db:
        return db
    return "duckdb:///" + str(Path(db).expanduser().resolve())


def is_duckdb_url(url: str) -> bool:
    return url.startswith("duckdb")


def duckdb_path(url: str) -> str:
    """The file of a duckdb:/// URL ('' or ':memory:' for none), without SQLAlchemy."""
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return path.split("?", 1)[0]


def display_url(url: str) -> str:
    """A URL for messages: the password hidden, a DuckDB file as its path."""
    if url.startswith("duckdb:///"):
        return url[len("duckdb:///") :]
    import sqlalchemy as sa

    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return url


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


# -- which batches count ------------------------------------------------------------------------------


def visible_batches(b: str = "b") -> str:
    """THE rule deciding which batches count for figures as known at :cutoff (NULL = now), as SQL on alias `b`.

    A batch counts when it was published (loaders/review.py: a submitted, sent-back or withdrawn batch is
    seen by validators only) before the cutoff and was not undone by then. Every reading of current values
    goes through this one fragment. Bound parameters: :cutoff.
    """
    return f"""{b}.status = 'published'
               AND (CAST(:cutoff AS TIMESTAMP) IS NULL OR {b}.published_at < CAST(:cutoff AS TIMESTAMP))
               AND ({b}.undone_at IS NULL
                    OR (CAST(:cutoff AS TIMESTAMP) IS NOT NULL AND {b}.undone_at >= CAST(:cutoff AS TIMESTAMP)))"""


def current_sql(where: str = "") -> str:
    """Rows current as of :cutoff (NULL = now): latest batch per key among the visible batches.

    Every batch that reported a value holds its own row, even when the value was unchanged, so the latest
    batch that reported a key gives its value and its provenance, and undoing any batch falls back on the
    batches that remain. A real value always wins over a DEMO one for the same key, so the demo never hides a
    published figure. `versions` counts the distinct successive values (a value reported again unchanged
    is not a new version).

    Bound parameters: :cutoff. `where` is a fixed SQL fragment on `o` (observation) from the store's own code.
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
                    WHERE {visible_batches("b")}
                      {where}
                ) y
            ) x WHERE rn = 1
        """


# Sequences and the id column they number (backup and restore carry each one's last value).
SEQUENCES = {
    "batch_id_seq": ("batch", "batch_id"),
    "review_event_id_seq": ("review_event", "event_id"),
    "target_revision_id_seq": ("target_revision", "revision_id"),
    "audit_id_seq": ("audit", "audit_id"),
    "text_revision_id_seq": ("text_revision", "revision_id"),
}
