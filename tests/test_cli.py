"""`python -m loaders` as a person or a tool runs it: exit codes 0/1/2, the JSON shape, never a traceback."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"
JSON_KEYS = {"status", "batch_id", "rows", "inserted", "revised", "unchanged", "problems"}
PROBLEM_KEYS = {"file", "sheet", "row", "column", "code", "message"}


def run(*args, db=None, env=None):
    full_env = {k: v for k, v in os.environ.items() if k != "MARSAD_DB_URL"}
    full_env.update({"MARSAD_USER": "tester", **(env or {})})
    cmd = [sys.executable, "-m", "loaders", *map(str, args)]
    if db:
        cmd += ["--db", str(db)]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=full_env, timeout=120)
    assert "Traceback" not in p.stderr, p.stderr
    return p


@pytest.fixture
def db(tmp_path):
    return tmp_path / "m.duckdb"


def test_ingest_json_committed_then_unchanged(db):
    p = run("ingest", FIX / "good_long_three_values.csv", "--json", db=db)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert JSON_KEYS <= set(out)
    assert {k: out[k] for k in JSON_KEYS} == {
        "status": "committed",
        "batch_id": 25,
        "rows": 3,
        "inserted": 3,
        "revised": 0,
        "unchanged": 0,
        "problems": [],
    }
    again = run("ingest", FIX / "good_long_three_values.csv", "--json", db=db)
    assert again.returncode == 0
    out = json.loads(again.stdout)
    assert (out["status"], out["batch_id"], out["unchanged"]) == ("unchanged", None, 3)
    assert out["message"] == "Nothing new: this content was already loaded in batch 25"


def test_ingest_with_a_bad_row_exits_1_lists_the_problem_and_writes_nothing(db):
    p = run("ingest", FIX / "bad_number_row4.csv", "--json", db=db)
    assert p.returncode == 1
    out = json.loads(p.stdout)
    assert (out["status"], out["batch_id"], out["inserted"]) == ("rejected", None, 0)
    assert [{k: pr[k] for k in PROBLEM_KEYS - {"message"}} for pr in out["problems"]] == [
        {
            "file": "bad_number_row4.csv",
            "sheet": None,
            "row": 4,
            "column": "D",
            "code": "bad-number",
        }
    ]
    assert all(PROBLEM_KEYS <= set(pr) for pr in out["problems"])
    h = json.loads(run("history", "--json", db=db).stdout)
    assert [b["batch_id"] for b in h] == list(
        range(24, 0, -1)
    )  # only the reference batches: nothing was written


def test_ingest_text_output_names_the_problem_for_a_person(db):
    p = run("ingest", FIX / "bad_number_row4.csv", "--lang", "fr", db=db)
    assert p.returncode == 1
    assert p.stdout.splitlines()[0] == "Rien n'a été écrit : 1 problèmes sont à corriger d'abord"
    assert "bad_number_row4.csv" in p.stdout and "bad-number" in p.stdout and " 4 " in p.stdout


def test_conflicting_files_in_one_upload_exit_1(db):
    p = run(
        "ingest",
        FIX / "good_long_three_values.csv",
        FIX / "conflict_casa_jobs_1300.csv",
        "--json",
        db=db,
    )
    assert p.returncode == 1
    out = json.loads(p.stdout)
    assert [(pr["file"], pr["row"], pr["code"]) for pr in out["problems"]] == [
        ("good_long_three_values.csv", 2, "conflicting-duplicate"),
        ("conflict_casa_jobs_1300.csv", 2, "conflicting-duplicate"),
    ]


@pytest.mark.parametrize("name", ["corrupt_not_a_zip.xlsx", "does_not_exist.csv"])
def test_unreadable_or_missing_file_exits_2_without_traceback(db, name):
    p = run("ingest", FIX / name, "--json", db=db)
    assert p.returncode == 2
    out = json.loads(p.stdout)
    assert out["status"] == "rejected" and out["problems"][0]["code"] == "unreadable-file"
    assert out["problems"][0]["file"] == name
    if name.endswith(".xlsx"):  # the same without --json: a message for a person on stderr
        plain = run("ingest", FIX / name, db=db)
        assert plain.returncode == 2 and name in plain.stderr


def test_wrong_command_line_exits_2(db):
    assert run("frobnicate").returncode == 2
    assert run("ingest", db=db).returncode == 2  # no file
    assert run("undo", "not-a-number", db=db).returncode == 2


def test_dry_run_then_revision_undo_and_export(db, tmp_path):
    assert run("ingest", FIX / "good_long_three_values.csv", db=db).returncode == 0
    dry = json.loads(
        run("ingest", FIX / "revision_casa_jobs.csv", "--dry-run", "--json", db=db).stdout
    )
    assert {k: dry[k] for k in ("status", "batch_id", "inserted", "revised", "unchanged")} == {
        "status": "dry-run",
        "batch_id": None,
        "inserted": 1,
        "revised": 1,
        "unchanged": 1,
    }
    p = run("ingest", FIX / "revision_casa_jobs.csv", db=db)
    assert p.returncode == 0
    assert p.stdout.splitlines()[0] == "Batch 26 loaded: 1 new, 1 revised, 1 unchanged"
    assert "1200" in p.stdout and "1250" in p.stdout  # the revision, old -> new

    out = tmp_path / "current.csv"
    assert run("export", "-o", out, db=db).returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    casa = [r for r in rows if r["indicator"] == "IA.JOBS" and r["region"] == "MA-06"]
    assert [(r["value"], r["batch_id"]) for r in casa] == [("1250.0", "26")]

    u = run("undo", "26", db=db)
    assert (u.returncode, u.stdout.strip()) == (
        0,
        "Batch 26 undone: 1 values back to their previous version, 1 values removed",
    )
    again = run("undo", "26", db=db)
    assert again.returncode == 1 and "already undone" in again.stderr
    assert run("undo", "1", db=db).returncode == 1  # the published reference batch

    stdout_export = run("export", db=db).stdout
    reader = list(csv.DictReader(io.StringIO(stdout_export)))
    casa = [r for r in reader if r["indicator"] == "IA.JOBS" and r["region"] == "MA-06"]
    assert [(r["value"], r["batch_id"]) for r in casa] == [("1200.0", "25")]
    assert (
        stdout_export.splitlines()[0] == "indicator,period,region,value,unit,source,batch_id,demo"
    )

    h = json.loads(run("history", "--json", db=db).stdout)
    assert [(b["batch_id"], b["user_name"], b["undone_by"]) for b in h][:3] == [
        (26, "tester", "tester"),
        (25, "tester", None),
        (24, "marsad (reference data)", None),
    ]


def test_template_and_demo_commands(db, tmp_path):
    out = tmp_path / "modele.xlsx"
    p = run("template", "-o", out, "--lang", "fr")
    assert p.returncode == 0 and out.stat().st_size > 5000
    assert run("demo", "add", db=db).returncode == 0
    assert any(b["origin"] == "demo" for b in json.loads(run("history", "--json", db=db).stdout))
    assert run("demo", "remove", db=db).returncode == 0
    assert not any(
        b["origin"] == "demo" for b in json.loads(run("history", "--json", db=db).stdout)
    )


def test_db_from_environment(tmp_path):
    db = tmp_path / "env.duckdb"
    p = run(
        "ingest",
        FIX / "good_long_three_values.csv",
        "--json",
        env={"MARSAD_DB_URL": f"duckdb:///{db}"},
    )
    assert p.returncode == 0 and db.exists()
