"""Backup of every store table to Parquet with a checksummed manifest, and restore into an empty database."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from .i18n import translator
from .store import Store, md

FORMAT = "marsad-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_CHUNK_ROWS = 200_000


class BackupError(Exception):
    """A backup that cannot be trusted or restored; carries a user-facing message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class BackupResult:
    directory: Path
    tables: dict[str, int]  # table -> rows


def _arrow_type(col: sa.Column) -> pa.DataType:
    t = col.type
    if isinstance(t, sa.Boolean):
        return pa.bool_()
    if isinstance(t, sa.Integer):  # BigInteger and SmallInteger too
        return pa.int64()
    if isinstance(t, (sa.Float, sa.Numeric)):
        return pa.float64()
    if isinstance(t, sa.DateTime):
        return pa.timestamp("us")
    if isinstance(t, sa.Date):
        return pa.date32()
    return pa.string()


def _schema(table: sa.Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, _arrow_type(c), nullable=c.nullable) for c in table.columns])


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _order(table: sa.Table) -> list[sa.Column]:
    """A stable row order (primary key, else every column) so that a backup of the same data is the same."""
    return list(table.primary_key.columns) or list(table.columns)


def _batches(store: Store, conn, table: sa.Table, schema: pa.Schema):
    # Identifiers come from the store's own metadata (an allow-list by construction).
    query = sa.select(*table.columns).order_by(*_order(table))
    if store.is_duckdb:
        sql = str(query.compile(dialect=conn.dialect))
        reader = conn.connection.driver_connection.sql(sql).to_arrow_reader(_CHUNK_ROWS)
        for rb in reader:
            yield pa.Table.from_batches([rb]).cast(schema)
        return
    result = conn.execution_options(stream_results=True, yield_per=_CHUNK_ROWS).execute(query)
    names = schema.names
    for part in result.partitions():
        cols = list(zip(*part, strict=True)) if part else [[] for _ in names]
        yield pa.table(
            {n: pa.array(list(cols[i]), schema.field(n).type) for i, n in enumerate(names)},
            schema=schema,
        )


def _sequences(conn) -> dict[str, int]:
    """The next value each sequence would give is past the largest id it gave: record that id."""
    from .access.audit import audit  # H7: the audit trail's ids too
    from .store import batch

    ids = {"batch_id_seq": batch.c.batch_id, "audit_id_seq": audit.c.audit_id}
    return {
        k: int(conn.execute(sa.select(sa.func.max(c))).scalar_one() or 0) for k, c in ids.items()
    }


def backup(store: Store, directory: str | os.PathLike) -> BackupResult:
    """Write every table of the store as <table>.parquet plus manifest.json (rows, columns, SHA-256 of each file).

    One read transaction, so the files describe one moment. The directory must be new or empty.
    """
    out = Path(directory)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty: a backup goes into a new directory")
    out.mkdir(parents=True, exist_ok=True)
    tables: dict[str, dict] = {}
    with store.begin() as conn:
        for table in md.sorted_tables:
            if not _has_table(conn, table.name):
                continue  # a table newer code defines but this database does not have yet
            schema = _schema(table)
            path = out / f"{table.name}.parquet"
            rows = 0
            with pq.ParquetWriter(path, schema, compression="zstd") as w:
                for chunk in _batches(store, conn, table, schema):
                    w.write_table(chunk)
                    rows += chunk.num_rows
            tables[table.name] = {
                "file": path.name,
                "rows": rows,
                "columns": {f.name: str(f.type) for f in schema},
                "sha256": _sha256(path),
            }
        sequences = _sequences(conn)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "source": "duckdb" if store.is_duckdb else "postgresql",
        "tables": tables,
        "sequences": sequences,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return BackupResult(out, {k: v["rows"] for k, v in tables.items()})


def _has_table(conn, name: str) -> bool:
    sql = "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
    if conn.dialect.name.startswith("duckdb"):
        return bool(conn.connection.driver_connection.execute(sql, [name]).fetchall()[0][0])
    return bool(conn.execute(sa.text(sql.replace("?", ":n")), {"n": name}).scalar())


def verify(directory: str | os.PathLike, *, lang: str = "en") -> dict:
    """The manifest of a backup after checking every file against it; raises BackupError on any difference."""
    _ = translator(lang)
    src = Path(directory)
    try:
        manifest = json.loads((src / MANIFEST).read_text())
    except (OSError, ValueError) as e:
        raise BackupError(_("No readable backup manifest in {dir}", dir=str(src))) from e
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError(_("{dir} is not a Marsad backup this version can restore", dir=str(src)))
    known = {t.name: t for t in md.sorted_tables}
    for name, entry in manifest.get("tables", {}).items():
        path = src / str(entry.get("file", ""))
        if name not in known or path.parent != src or path.name != f"{name}.parquet":
            raise BackupError(_("The backup names an unknown table: {table}", table=name))
        if not path.is_file() or _sha256(path) != entry.get("sha256"):
            raise BackupError(
                _(
                    "The backup file {file} does not match its checksum: it was changed or damaged; nothing was restored",
                    file=path.name,
                )
            )
        meta = pq.read_metadata(path)
        if meta.num_rows != entry.get("rows"):
            raise BackupError(
                _(
                    "The backup file {file} does not match its checksum: it was changed or damaged; nothing was restored",
                    file=path.name,
                )
            )
        cols = set(meta.schema.to_arrow_schema().names)
        unknown = cols - set(known[name].columns.keys())
        if unknown:
            raise BackupError(_("The backup names an unknown table: {table}", table=name))
    return manifest


def restore(store: Store, directory: str | os.PathLike, *, lang: str = "en") -> BackupResult:
    """Rebuild an empty database from a verified backup, all tables in one transaction."""
    _ = translator(lang)
    src = Path(directory)
    manifest = verify(src, lang=lang)
    rows: dict[str, int] = {}
    with store.begin() as conn:
        md.create_all(conn)
        for table in md.sorted_tables:
            if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
                raise BackupError(_("The database is not empty: restore into a new database"))
        for table in md.sorted_tables:
            entry = manifest["tables"].get(table.name)
            if entry is None:
                continue  # a table added after the backup was made stays empty
            data = pq.read_table(src / entry["file"])
            schema = _schema(table)
            # Columns added to the store since the backup come back empty (NULL).
            data = pa.table(
                {
                    f.name: data.column(f.name).cast(f.type)
                    if f.name in data.column_names
                    else pa.nulls(data.num_rows, f.type)
                    for f in schema
                }
            )
            _insert(store, conn, table, data)
            rows[table.name] = data.num_rows
        _set_sequences(store, conn, manifest.get("sequences", {}))
    return BackupResult(src, rows)


def _identifiers(table: sa.Table, columns: list[str]) -> tuple[str, str]:
    """The table and column names, quoted, after checking each against the store's own metadata
    (the allow-list: nothing read from a backup file reaches the SQL text)."""
    known = {t.name: {c.name for c in t.columns} for t in md.sorted_tables}
    if table.name not in known or not set(columns) <= known[table.name]:
        raise ValueError(f"{table.name}: not a table or column of the store")
    return f'"{table.name}"', ", ".join(f'"{c}"' for c in columns)


def _insert(store: Store, conn, table: sa.Table, data: pa.Table) -> None:
    if data.num_rows == 0:
        return
    name, names = _identifiers(table, data.column_names)
    raw = conn.connection.driver_connection
    if store.is_duckdb:
        raw.register("_marsad_restore", data)
        try:
            insert = f"INSERT INTO {name} ({names}) SELECT {names} FROM _marsad_restore"
            raw.execute(insert)
        finally:
            raw.unregister("_marsad_restore")
        return
    import pyarrow.csv as pacsv

    buf = io.BytesIO()
    pacsv.write_csv(data, buf, pacsv.WriteOptions(include_header=False))
    with (
        raw.cursor() as cur,
        cur.copy(f"COPY {name} ({names}) FROM STDIN WITH (FORMAT csv)") as cp,
    ):
        cp.write(buf.getvalue())


def _set_sequences(store: Store, conn, sequences: dict) -> None:
    for seq in ("batch_id_seq", "audit_id_seq"):  # allow-list: names never come from the file
        last = int(sequences.get(seq, 0) or 0)
        if last <= 0:
            continue
        if store.is_duckdb:
            # DuckDB cannot move a sequence that a column default uses: draw the numbers already given.
            conn.execute(sa.text(f"SELECT max(nextval('{seq}')) FROM range(:n)"), {"n": last})
        else:
            conn.execute(sa.text(f"SELECT setval('{seq}', :n)"), {"n": last})
