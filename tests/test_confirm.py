"""Confirm after a preview: the commit refuses a preview that the database has moved past (nothing written)."""

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from loaders.batches import history, undo
from loaders.ingest import ingest
from loaders.store import open_store

FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"
NOW = dt.datetime(2026, 7, 1, 9, 0)


def _observations(store) -> int:
    with store.begin() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM observation")).scalar_one()


def test_confirm_of_a_stale_preview_writes_nothing_and_returns_the_new_preview(db_url):
    store = open_store(db_url)
    mine = FIX / "stale_preview_one_new_value.csv"  # Casablanca-Settat jobs 2026-Q1 = 1250
    preview = ingest(store, [mine], user="amina", dry_run=True, now=NOW)
    assert (preview.status, preview.inserted, preview.revised) == ("dry-run", 1, 0)

    # A colleague loads Casablanca-Settat = 1200 between the preview and Confirm.
    ingest(store, [FIX / "good_long_three_values.csv"], user="omar", now=NOW)
    rows_before = _observations(store)

    stale = ingest(store, [mine], user="amina", now=NOW, expected_state=preview.state)
    assert (stale.status, stale.batch_id, stale.inserted, stale.revised) == ("stale", None, 0, 1)
    assert stale.message == (
        "The data changed since your preview (another upload or an undo): nothing was written."
        " Check the new preview: 0 new, 1 revised, 0 unchanged"
    )
    ch = stale.changes.to_pylist()[0]
    assert (ch["old_value"], ch["new_value"]) == (1200.0, 1250.0)
    assert history(store).batch_id.tolist()[:2] == [25, 24] and _observations(store) == rows_before

    # Confirming the new preview commits the revision it showed.
    done = ingest(store, [mine], user="amina", now=NOW, expected_state=stale.state)
    assert (done.status, done.batch_id, done.revised) == ("committed", 26, 1)


def test_an_undo_between_preview_and_confirm_also_makes_the_preview_stale(db_url):
    store = open_store(db_url)
    colleague = ingest(store, [FIX / "good_long_three_values.csv"], user="omar", now=NOW)
    mine = FIX / "stale_preview_one_new_value.csv"
    preview = ingest(store, [mine], user="amina", dry_run=True, now=NOW)
    assert (preview.inserted, preview.revised) == (0, 1)
    undo(store, colleague.batch_id, user="lead", now=NOW)
    stale = ingest(store, [mine], user="amina", now=NOW, expected_state=preview.state)
    assert (stale.status, stale.inserted, stale.revised) == ("stale", 1, 0)


def test_a_load_of_other_keys_or_of_the_same_values_does_not_make_the_preview_stale(db_url):
    store = open_store(db_url)
    ingest(store, [FIX / "good_long_three_values.csv"], user="omar", now=NOW)
    mine = FIX / "stale_preview_one_new_value.csv"
    preview = ingest(store, [mine], user="amina", dry_run=True, now=NOW)
    # The same content again: the values the preview rests on are the same.
    ingest(store, [FIX / "good_long_three_values.csv"], user="omar", now=NOW)
    done = ingest(store, [mine], user="amina", now=NOW, expected_state=preview.state)
    assert (done.status, done.revised) == ("committed", 1)
