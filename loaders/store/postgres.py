"""The PostgreSQL adapter: SQLAlchemy with psycopg, bulk writes through COPY, writers serialised by an advisory lock."""

from __future__ import annotations

import io

import pyarrow as pa

from .base import Store
from .common import SEQUENCES, display_url
from .errors import StoreError, failure, unreachable

# Any fixed number: the advisory lock all Marsad writers of one database take.
WRITE_LOCK_KEY = 4242424242


class PostgresStore(Store):
    kind = "postgresql"

    def _make_engine(self):
        import sqlalchemy as sa
        from sqlalchemy.pool import NullPool

        return sa.create_engine(self.url, poolclass=NullPool)

    def _write_guard(self, conn) -> None:
        self.execute(conn, f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    def _translate(self, e: BaseException) -> StoreError | None:
        import sqlalchemy as sa

        if not isinstance(e, sa.exc.SQLAlchemyError):
            return None
        shown = display_url(self.url)
        if isinstance(e, sa.exc.OperationalError):
            found = unreachable(e, shown)
            if found is not None:
                return found
        return failure(e, shown)

    @staticmethod
    def _copy(conn, target: str, data: pa.Table) -> None:
        """COPY an Arrow table into `target` (a table and its quoted column list, from the store's code)."""
        import pyarrow.csv as pacsv

        buf = io.BytesIO()
        pacsv.write_csv(data, buf, pacsv.WriteOptions(include_header=False))
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {target} FROM STDIN WITH (FORMAT csv)") as cp:
            cp.write(buf.getvalue())

    def bulk_insert(self, conn, name: str, data: pa.Table) -> None:
        table, cols = self._identifiers(name, data.column_names)
        self._copy(conn, f"{table} ({cols})", data)

    def current_for_keys(self, conn, keys: list[pa.Table]) -> pa.Table:
        # The keys go to a temporary table through COPY; the join runs in the database.
        import pyarrow.compute as pc

        parts = [
            pa.table(
                {
                    "indicator": k.column("indicator").cast(pa.string()),
                    "period": k.column("period").cast(pa.string()),
                    "region": pc.fill_null(k.column("region").cast(pa.string()), ""),
                }
            )
            for k in keys
        ]
        self.execute(
            conn,
            "CREATE TEMPORARY TABLE _marsad_keys (indicator TEXT, period TEXT, region TEXT) ON COMMIT DROP",
        )
        if parts:
            self._copy(conn, "_marsad_keys", pa.concat_tables(parts))
        self.execute(conn, "ANALYZE _marsad_keys")
        return self.read_arrow(
            conn, self._current_for_keys_sql(), {"cutoff": None}, self._current_schema
        )

    def stream_table(self, conn, name: str, schema: pa.Schema, chunk_rows: int):
        import sqlalchemy as sa

        result = conn.execution_options(stream_results=True, yield_per=chunk_rows).execute(
            sa.text(self._ordered_select(name))
        )
        names = schema.names
        for part in result.partitions():
            cols = list(zip(*part, strict=True)) if part else [[] for _ in names]
            yield pa.table(
                {n: pa.array(list(cols[i]), schema.field(n).type) for i, n in enumerate(names)},
                schema=schema,
            )

    def advance_sequence(self, conn, last: int, seq: str = "batch_id_seq") -> None:
        if seq not in SEQUENCES:  # allow-list: names never come from a file
            raise ValueError(seq)
        if last > 0:
            self.execute(conn, f"SELECT setval('{seq}', :n)", {"n": last})
