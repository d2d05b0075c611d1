"""The StoreError family: each kind says what happened and what to do, in three languages, with no driver text."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from loaders.i18n import translator
from loaders.store import (
    ForeignDatabase,
    NotADatabase,
    SchemaMismatch,
    Store,
    StoreBusy,
    StoreError,
    StoreFailure,
    StoreUnreachable,
    open_store,
)
from loaders.store.errors import KINDS

ROOT = Path(__file__).resolve().parent.parent
KIND_CLASSES = [
    StoreBusy,
    StoreUnreachable,
    NotADatabase,
    ForeignDatabase,
    SchemaMismatch,
    StoreFailure,
]


@pytest.mark.parametrize("kind", KIND_CLASSES, ids=lambda k: k.__name__)
def test_every_kind_has_its_own_title_and_hint_translated(kind):
    assert issubclass(kind, StoreError) and KINDS[kind.__name__] is kind
    e = kind("code", "message {x}", x=1)
    assert e.title != StoreError.TITLE and e.hint != StoreError.HINT
    for lang in ("fr", "ar"):
        _ = translator(lang)
        assert e.translated_title(_) != e.title, (lang, e.title)
        assert e.translated_hint(_) != e.hint, (lang, e.hint)


def test_titles_and_hints_differ_between_kinds():
    assert len({k.TITLE for k in KIND_CLASSES}) == len(KIND_CLASSES)
    assert len({k.HINT for k in KIND_CLASSES}) == len(KIND_CLASSES)


def test_an_unreachable_server_is_one_sentence_without_the_driver_text():
    store = Store("postgresql+psycopg://marsad@127.0.0.1:1/marsad", lock_wait=0)
    with pytest.raises(StoreUnreachable) as e:
        with store.begin():
            pass
    err = e.value
    assert err.message == (
        "Cannot open the database postgresql+psycopg://marsad@127.0.0.1:1/marsad: the server cannot be reached"
    )
    assert (
        "refused" in err.detail.lower() or "connect" in err.detail.lower()
    )  # kept for MARSAD_DEBUG
    assert "psycopg" not in err.translated(translator("fr")).replace("postgresql+psycopg", "")


def test_a_duckdb_file_held_by_another_process_is_busy_with_title_and_hint(tmp_path):
    db = tmp_path / "held.duckdb"
    open_store(str(db))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time, duckdb\n"
            f"c = duckdb.connect({str(db)!r})\n"
            "print('held', flush=True); time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        waits = []
        store = Store(f"duckdb:///{db}", lock_wait=0.5, on_wait=lambda: waits.append(1))
        for enter in (store.begin, store.transaction):  # SQLAlchemy and native connections alike
            with pytest.raises(StoreBusy) as e:
                with enter():
                    pass
            assert e.value.code == "database-busy"
            assert e.value.translated_title(translator("fr")) == "La base de données est occupée"
            assert "lock" not in e.value.message.lower()
        assert waits == [1, 1]
    finally:
        holder.kill()
        holder.wait()


def test_an_error_inside_the_database_becomes_a_store_failure_whose_message_hides_the_driver(
    tmp_path,
):
    store = open_store(str(tmp_path / "m.duckdb"))
    with store.transaction() as conn:
        with pytest.raises(duckdb.Error) as raised:
            store.execute(conn, "SELECT * FROM no_such_table")
    e = store.translate(raised.value)
    assert isinstance(e, StoreFailure) and e.code == "database-error"
    assert e.message == f"The database {tmp_path / 'm.duckdb'} could not be used"
    assert "no_such_table" in e.detail and "no_such_table" not in e.message
    assert store.translate(ValueError("not the database's")) is None


def test_a_foreign_database_and_a_newer_schema_are_refused_by_kind(tmp_path):
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.close()
    with pytest.raises(ForeignDatabase) as e:
        open_store(str(other))
    assert e.value.translated(translator("fr")).startswith(f"{other} n'est pas une base Marsad")
    with pytest.raises(NotADatabase):
        from loaders.store import check_target

        check_target(f"duckdb:///{tmp_path}")
