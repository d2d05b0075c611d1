"""Schema versions: an older database is upgraded on open with its data intact; a newer one is refused untouched."""

import pytest
import sqlalchemy as sa

from loaders.store import SchemaMismatch, Store, meta, migrations, open_store
from loaders.store.migrations import add_column


def _version(store) -> str:
    return store.meta_value("schema_version")


def _counts(store) -> tuple[int, int]:
    with store.begin() as conn:
        return (
            conn.execute(sa.text("SELECT count(*) FROM batch")).scalar(),
            conn.execute(sa.text("SELECT count(*) FROM observation")).scalar(),
        )


def test_a_new_database_records_the_latest_version(db_url):
    store = open_store(db_url)
    assert _version(store) == str(migrations.latest()) == "1"


def test_a_v1_database_is_upgraded_on_open_and_keeps_its_data(db_url, monkeypatch):
    old = open_store(db_url)  # version 1, as the code before migrations created it
    with old.begin() as conn:  # and as a v1 database made before the version was recorded at all
        conn.execute(sa.delete(meta).where(meta.c.key == "schema_version"))
    before = _counts(old)
    assert before == (24, 29)
    ran = []

    def v2(conn):
        ran.append(2)
        add_column(conn, "batch", "published_at", "TIMESTAMP")
        conn.execute(sa.text("UPDATE batch SET published_at = created_at"))

    def v3(conn):
        ran.append(3)
        add_column(conn, "batch", "published_by", "VARCHAR")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (2, v2), (3, v3)])
    store = open_store(db_url)
    assert ran == [2, 3]  # in order, each once
    assert _version(store) == "3"
    assert _counts(store) == before
    with store.begin() as conn:
        cols = {c["name"] for c in sa.inspect(conn).get_columns("batch")}
        missing = conn.execute(
            sa.text("SELECT count(*) FROM batch WHERE published_at IS NULL")
        ).scalar()
    assert {"published_at", "published_by"} <= cols and missing == 0
    assert len(store.current_observations()) == 29
    open_store(db_url)  # opening again runs nothing
    assert ran == [2, 3]


def test_a_failing_migration_leaves_the_database_as_it_was(db_url, monkeypatch):
    open_store(db_url)

    def broken(conn):
        add_column(conn, "batch", "half_done", "INTEGER")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (2, broken)])
    with pytest.raises(RuntimeError):
        open_store(db_url)
    store = Store(db_url)
    assert _version(store) == "1"
    with store.begin() as conn:
        assert "half_done" not in {c["name"] for c in sa.inspect(conn).get_columns("batch")}


def test_a_database_from_a_newer_marsad_is_refused_and_left_untouched(db_url):
    store = open_store(db_url)
    with store.begin() as conn:
        store.set_meta(conn, "schema_version", "7")
    before = _counts(store)
    with pytest.raises(SchemaMismatch) as e:
        open_store(db_url)
    assert e.value.code == "schema-too-new"
    assert "newer version of Marsad (schema 7; this version knows up to 1)" in e.value.message
    assert (
        e.value.translated_title(lambda m, **k: m)
        == "The database was made by another version of Marsad"
    )
    assert _version(store) == "7" and _counts(store) == before
