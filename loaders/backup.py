"""Backup of every store table to Parquet with a checksummed manifest, and restore into an empty database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from .i18n import translator
from .store import SEQUENCES, Store, md

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


def _sequences(store: Store, conn) -> dict[str, int]:
    """The next value each sequence would give is past the largest id it gave: record that id."""

    out = {}
    for seq, (table, column) in SEQUENCES.items():  # identifiers from the store's allow-list
        out[seq] = int(store.execute(conn, f'SELECT max("{column}") FROM "{table}"')[0][0] or 0)
    return out


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
            if not store.has_table(conn, table.name):
                continue  # a table newer code defines but this database does not have yet
            schema = _schema(table)
            path = out / f"{table.name}.parquet"
            rows = 0
            with pq.ParquetWriter(path, schema, compression="zstd") as w:
                for chunk in store.stream_table(conn, table.name, schema, _CHUNK_ROWS):
                    chunk = chunk.cast(schema)
                    w.write_table(chunk)
                    rows += chunk.num_rows
            tables[table.name] = {
                "file": path.name,
                "rows": rows,
                "columns": {f.name: str(f.type) for f in schema},
                "sha256": _sha256(path),
            }
        sequences = _sequences(store, conn)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "source": store.kind,
        "tables": tables,
        "sequences": sequences,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return BackupResult(out, {k: v["rows"] for k, v in tables.items()})


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
            if data.num_rows:
                store.bulk_insert(conn, table.name, data)
            rows[table.name] = data.num_rows
        for seq, last in manifest.get("sequences", {}).items():
            if seq in SEQUENCES:  # names from the file only pick among the store's own
                store.advance_sequence(conn, int(last or 0), seq)
    return BackupResult(src, rows)
