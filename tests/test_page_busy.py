"""A load holding the DuckDB file: the dashboard keeps showing the last figures it read, with a note, no error."""

import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def _hold_lock(db, seconds=120):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from loaders.store import Store, resolve_url\n"
            f"s = Store(resolve_url({str(db)!r}))\n"
            "with s.begin() as c:\n"
            f"    print('held', flush=True); time.sleep({seconds})\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def _tables(at):
    return [t.value.to_dict() for t in at.table]


def _app(db, lang, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    return at


def test_overview_keeps_the_last_figures_with_a_note_while_a_load_holds_the_database(
    tmp_path, monkeypatch
):
    db = tmp_path / "m.duckdb"
    at = _app(db, "fr", monkeypatch).run()
    assert not at.exception and len(at.table) == 6
    before = _tables(at)

    holder = _hold_lock(db)
    try:
        # A viewer opening the dashboard while the load runs (each visit runs app.py and reads the database).
        during = _app(db, "fr", monkeypatch).run()
    finally:
        holder.kill()
        holder.wait(10)
    assert not during.exception
    notes = [w.value for w in during.warning]
    assert any(
        n.startswith("Des données sont en cours de chargement : voici les chiffres lus à")
        for n in notes
    ), notes
    assert _tables(during) == before  # the same figures, not an error page

    after = _app(db, "fr", monkeypatch).run()  # the load is over: fresh figures, no note
    assert not after.exception
    assert not any("en cours de chargement" in w.value for w in after.warning)
    assert _tables(after) == before


def test_a_first_visit_during_a_load_gets_a_note_not_an_error(tmp_path, monkeypatch):
    db = tmp_path / "m.duckdb"
    at = AppTest.from_file(APP, default_timeout=90)
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(db)])
    at.query_params["lang"] = "en"
    at.run()  # creates the database
    assert not at.exception
    holder = _hold_lock(db)
    try:
        from pages import _ui

        _ui._LAST_GOOD.clear()  # as a process that has read nothing yet
        fresh = AppTest.from_file(APP, default_timeout=90)
        fresh.query_params["lang"] = "en"
        fresh.run()
    finally:
        holder.kill()
        holder.wait(10)
    assert not fresh.exception
    assert [i.value for i in fresh.info][-1].startswith(
        "Data is being loaded: the figures will appear"
    )
