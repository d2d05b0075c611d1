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
    # 2: review before publication (batch status and publication time); 3: accounts and the audit trail;
    # 4: an account's producer
    assert _version(store) == str(migrations.latest()) == "5"


def test_a_v1_database_is_upgraded_on_open_and_keeps_its_data(db_url, monkeypatch):
    old = open_store(db_url)
    with old.begin() as conn:  # as a v1 database made before the version was recorded at all
        for c in ("status", "submitted_at", "published_at", "published_by", "review_comment"):
            conn.execute(sa.text(f"ALTER TABLE batch DROP COLUMN {c}"))
        conn.execute(sa.delete(meta).where(meta.c.key == "schema_version"))
    before = _counts(old)
    assert before == (24, 29)
    ran = []
    latest = migrations.latest()

    def v_next(conn):
        ran.append(latest + 1)
        add_column(conn, "batch", "extra_a", "TIMESTAMP")
        conn.execute(sa.text("UPDATE batch SET extra_a = created_at"))

    def v_after(conn):
        ran.append(latest + 2)
        add_column(conn, "batch", "extra_b", "VARCHAR")

    monkeypatch.setattr(
        migrations,
        "MIGRATIONS",
        [*migrations.MIGRATIONS, (latest + 1, v_next), (latest + 2, v_after)],
    )
    store = open_store(db_url)
    assert ran == [latest + 1, latest + 2]  # in order, each once
    assert _version(store) == str(latest + 2)
    assert _counts(store) == before
    with store.begin() as conn:
        cols = {c["name"] for c in sa.inspect(conn).get_columns("batch")}
        missing = conn.execute(
            sa.text("SELECT count(*) FROM batch WHERE extra_a IS NULL OR published_at IS NULL")
        ).scalar()
    assert {"extra_a", "extra_b", "status", "published_at"} <= cols and missing == 0
    assert len(store.current_observations()) == 29  # the v2 upgrade published every older batch
    open_store(db_url)  # opening again runs nothing
    assert ran == [latest + 1, latest + 2]


def test_a_failing_migration_leaves_the_database_as_it_was(db_url, monkeypatch):
    open_store(db_url)

    def broken(conn):
        add_column(conn, "batch", "half_done", "INTEGER")
        raise RuntimeError("migration bug")

    latest = migrations.latest()
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (latest + 1, broken)])
    with pytest.raises(RuntimeError):
        open_store(db_url)
    store = Store(db_url)
    assert _version(store) == str(latest)
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
    assert "newer version of Marsad (schema 7; this version knows up to 5)" in e.value.message
    assert (
        e.value.translated_title(lambda m, **k: m)
        == "The database was made by another version of Marsad"
    )
    assert _version(store) == "7" and _counts(store) == before
