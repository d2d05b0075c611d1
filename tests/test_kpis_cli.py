"""`python -m kpis`: the JSON record shape, as-of, explain, and the readable table in a language."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa

from loaders.store import OBS_ARROW_SCHEMA, open_store

ROOT = Path(__file__).resolve().parent.parent
KEYS = [
    "indicator",
    "region",
    "latest_period",
    "latest_value",
    "coverage",
    "partial_sum",
    "baseline_value",
    "baseline_year",
    "baseline_from",
    "target_value",
    "target_year",
    "progress",
    "expected_progress",
    "status",
    "status_group",
    "projection",
    "projection_low",
    "projection_high",
    "projection_reason",
    "flags",
    "explain",
]


def _run(*args):
    out = subprocess.run(
        [sys.executable, "-m", "kpis", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def _store(tmp_path):
    db = str(tmp_path / "cli.duckdb")
    store = open_store(db)
    with store.begin() as conn:
        b = store.new_batch(
            conn,
            user="analyst",
            origin="upload",
            files="jobs.csv",
            demo=False,
            created_at=dt.datetime(2026, 1, 10),
        )
        rows = [
            {
                "batch_id": b,
                "indicator": "DM.JOBS",
                "period": p,
                "region": r,
                "value": v,
                "unit": None,
                "comment": None,
                "source": "test",
                "file": "jobs.csv",
                "sheet": None,
                "row_number": n,
                "demo": False,
            }
            for n, (p, r, v) in enumerate(
                [("2025-Q3", "MA-01", 10_000), ("2025-Q4", "MA-01", 11_000)], start=2
            )
        ]
        store.bulk_insert_observations(conn, pa.Table.from_pylist(rows, schema=OBS_ARROW_SCHEMA))
    store.engine.dispose()
    return db


def test_status_json_has_exactly_the_documented_keys(tmp_path):
    db = _store(tmp_path)
    records = json.loads(_run("status", "--json", "--db", db))
    assert len(records) == 32
    assert all(list(r) == KEYS for r in records)
    jobs = next(r for r in records if r["indicator"] == "DM.JOBS")
    # One region of twelve reported: its sum is shown with its coverage, never as the national value.
    assert jobs["region"] is None and jobs["latest_value"] is None and jobs["target_year"] == 2030
    assert jobs["partial_sum"] == {
        "value": 11_000,
        "period": "2025-Q4",
        "coverage": "1/12",
        "used": False,
    }
    assert jobs["status"] == "no-data" and jobs["progress"] is None
    assert "partial-coverage" in jobs["flags"] and jobs["baseline_value"] is None

    regional = json.loads(
        _run("status", "--json", "--by-region", "--db", db, "--method", "growth-ratio")
    )
    assert len(regional) == 32 + 14 * 12  # 14 regional indicators x 12 regions
    ma01 = next(r for r in regional if r["indicator"] == "DM.JOBS" and r["region"] == "MA-01")
    assert (
        ma01["explain"]["latest"]["row_number"] == 3 and ma01["explain"]["method"] == "growth-ratio"
    )


def test_as_of_and_explain(tmp_path):
    db = _store(tmp_path)
    before = json.loads(_run("status", "--json", "--db", db, "--as-of", "2026-01-09"))
    jobs = next(r for r in before if r["indicator"] == "DM.JOBS")
    assert jobs["latest_value"] is None and jobs["status"] == "no-data"
    assert jobs["explain"]["as_of"] == "2026-01-09" and jobs["explain"]["today"] == "2026-01-09"
    ex = json.loads(_run("explain", "DM.JOBS", "--json", "--db", db, "--region", "MA-01"))
    assert ex["latest"]["file"] == "jobs.csv" and ex["baseline"]["from"] == "first-observation"
    text = _run("explain", "DM.JOBS", "--db", db, "--lang", "fr", "--region", "MA-01")
    assert "Formule" in text and "jobs.csv" in text


def test_readable_table_in_arabic(tmp_path):
    db = _store(tmp_path)
    text = _run("status", "--db", db, "--lang", "ar")
    assert "المؤشر" in text and "DM.JOBS" in text and "بيانات غير كافية" in text
