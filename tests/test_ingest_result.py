"""What an upload says it did: "submitted" while a batch waits for a validator (nobody sees it yet),
"committed" once viewers see it, in the result, in `python -m loaders ingest --json` and in its sentence."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from loaders import review
from loaders.access import accounts as acc
from loaders.ingest import ingest_long
from loaders.store import open_store
from tests.test_ingest import long_rows

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "tests" / "fixtures" / "ingest" / "good_long_three_values.csv"
NOW = dt.datetime(2026, 5, 4, 9, 30)
PW = "correct horse battery"


def _cli(db: Path, *args, review_on: bool):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env.update({"MARSAD_USER": "amina", "MARSAD_REVIEW": "1" if review_on else "0"})
    cmd = [sys.executable, "-m", "loaders", "ingest", str(REPORT), "--db", str(db), *args]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout


def _gdp(store) -> float | None:
    df = store.current_observations()
    df = df[(df["indicator"] == "IA.GDP") & (df["period"] == "2026")]
    return None if df.empty else float(df["value"].iloc[0])


def test_cli_says_submitted_when_review_is_on_and_committed_when_it_is_off(tmp_path):
    out = json.loads(_cli(tmp_path / "review.duckdb", "--json", review_on=True))
    assert (out["status"], out["batch_id"], out["inserted"]) == ("submitted", 25, 3)
    assert out["message"] == (
        "Submitted for review as batch 25: 3 new, 0 revised, 0 unchanged."
        " A validator must publish it before anyone sees it."
    )
    out = json.loads(_cli(tmp_path / "open.duckdb", "--json", review_on=False))
    assert (out["status"], out["batch_id"], out["inserted"]) == ("committed", 25, 3)
    assert out["message"] == "Batch 25 loaded: 3 new, 0 revised, 0 unchanged"


def test_the_cli_tells_a_person_in_french_and_arabic_that_a_validator_must_publish(tmp_path):
    fr = _cli(tmp_path / "fr.duckdb", "--lang", "fr", review_on=True)
    assert fr.splitlines()[0] == (
        "Soumis pour validation comme lot 25 : 3 nouvelles, 0 révisées, 0 inchangées."
        " Un valideur doit le publier avant que quiconque le voie."
    )
    ar = _cli(tmp_path / "ar.duckdb", "--lang", "ar", review_on=True)
    assert "قُدِّمت للمراجعة" in ar.splitlines()[0]
    assert "يجب أن يَنشرها مُصادِق" in ar.splitlines()[0]


def test_an_account_turns_review_on_and_the_status_follows_what_viewers_see(db_url, monkeypatch):
    monkeypatch.delenv("MARSAD_REVIEW", raising=False)
    monkeypatch.delenv("MARSAD_AUTH", raising=False)
    monkeypatch.delenv("MARSAD_SELF_PUBLISH", raising=False)
    store = open_store(db_url)
    acc.add_user(store, "ops", "amina", "analyst", PW)
    acc.add_user(store, "ops", "karim", "validator", PW)
    rows = [("IA.GDP", "2026", None, 7.5, 2)]
    r = ingest_long(store, [long_rows(rows)], files=["report.csv"], user="amina", now=NOW)
    assert (r.status, r.batch_id, r.inserted) == ("submitted", 25, 1)
    assert _gdp(store) is None  # submitted: not shown yet
    review.publish(store, r.batch_id, user="karim", role="validator")
    assert _gdp(store) == 7.5
    # The same value again: nothing new to show, still reported as waiting for a validator.
    again = ingest_long(store, [long_rows(rows)], files=["report.csv"], user="amina", now=NOW)
    assert again.status == "unchanged"
    assert again.message.endswith(". Submitted for review: a validator must publish it.")


def test_cli_publish_prints_what_viewers_see_after_publishing(tmp_path):
    # Review on, --publish: published before the status is printed, so it reads "committed", not "submitted".
    db = tmp_path / "publish.duckdb"
    out = json.loads(_cli(db, "--json", "--publish", review_on=True))
    assert (out["status"], out["batch_id"], out["inserted"]) == ("committed", 25, 3)
    assert out["message"] == "Batch 25 loaded: 3 new, 0 revised, 0 unchanged"
    store = open_store(f"duckdb:///{db}")
    assert review.status_of(store, 25) == "published"
    df = store.current_observations()
    exports = df[(df["indicator"] == "DM.EXPORTS") & (df["period"] == "2025")]
    assert exports["value"].tolist() == [18.5]  # viewers see it
    # The same file again: nothing new, published all the same, and no sentence asking for a validator.
    out = json.loads(_cli(db, "--json", "--publish", review_on=True))
    assert (out["status"], out["batch_id"]) == ("unchanged", 26)
    assert "validator" not in out["message"]
