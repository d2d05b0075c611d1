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
    # Recorded as its own batch: undoing batch 2 later keeps these values, reported here too.
    assert (out["status"], out["batch_id"], out["unchanged"]) == ("unchanged", 26, 3)
    assert out["message"] == (
        "Nothing new: this content was already loaded in batch 25; recorded as batch 26, 3 unchanged"
    )


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
        "Batch 26 undone: 1 values back to their previous version, 1 values removed,"
        " 1 values kept as other batches reported them too",
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


# -- misuse of --db: one sentence on stderr, exit 2, nothing created or changed ---------------------------------

CLI_FIX = Path(__file__).resolve().parent / "fixtures" / "cli"
MISUSE = {
    "report file": (
        str(CLI_FIX / "db_given_a_report_file.csv"),
        "db_given_a_report_file.csv looks like a report file, not a database",
    ),
    "text file named .duckdb": (
        str(CLI_FIX / "db_text_file_named_duckdb.duckdb"),
        "db_text_file_named_duckdb.duckdb is not a DuckDB database file",
    ),
    "directory": (str(CLI_FIX), "cli is a folder, not a database file"),
    "missing folder": (
        "{tmp}/no/such/folder/m.duckdb",
        "The folder {tmp}/no/such/folder does not exist",
    ),
    "malformed URL": (
        "postgresql+psycopg://u@host:notaport/x",
        "postgresql+psycopg://u@host:notaport/x is not a valid database URL",
    ),
    "unknown scheme": (
        "mysql://u@h/x",
        "mysql://u@h/x: only DuckDB files and PostgreSQL URLs are supported",
    ),
    "unreachable PostgreSQL": (
        "postgresql+psycopg://marsad@127.0.0.1:1/marsad",
        "Cannot open the database postgresql+psycopg://marsad@127.0.0.1:1/marsad: the server cannot be reached",
    ),
    "in memory": (
        "duckdb:///:memory:",
        "An in-memory database keeps nothing between commands: give a DuckDB file or a PostgreSQL URL",
    ),
}


def _one_sentence(p, expected: str) -> None:
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""
    lines = [line for line in p.stderr.splitlines() if line.strip() and "nanobind" not in line]
    assert len(lines) == 1 and expected in lines[0], p.stderr


@pytest.mark.parametrize("case", list(MISUSE))
@pytest.mark.parametrize("cli", ["loaders", "kpis"])
def test_a_bad_db_is_one_sentence_and_exit_2_for_both_commands(tmp_path, case, cli):
    target, expected = (x.replace("{tmp}", str(tmp_path)) for x in MISUSE[case])
    before = sorted(p.name for p in CLI_FIX.iterdir())
    args = ["history"] if cli == "loaders" else ["status"]
    env = {k: v for k, v in os.environ.items() if k != "MARSAD_DB_URL"}
    p = subprocess.run(
        [sys.executable, "-m", cli, *args, "--db", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    _one_sentence(p, expected)
    assert (
        sorted(p.name for p in CLI_FIX.iterdir()) == before
    )  # nothing created beside the fixtures
    assert not (tmp_path / "no").exists()


def test_a_duckdb_file_of_another_application_is_refused_and_left_unchanged(tmp_path):
    import duckdb

    other = tmp_path / "foreign_tables.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE customers (id INTEGER, name VARCHAR)")
    con.execute("INSERT INTO customers VALUES (1, 'Amina')")
    con.close()
    p = run("ingest", FIX / "good_long_three_values.csv", db=other)
    _one_sentence(
        p,
        f"{other} is not a Marsad database (it holds other tables: customers); nothing was changed",
    )
    con = duckdb.connect(str(other), read_only=True)
    tables = [
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    ]
    rows = con.execute("SELECT * FROM customers").fetchall()
    con.close()
    assert (tables, rows) == (["customers"], [(1, "Amina")])
    k = subprocess.run(
        [sys.executable, "-m", "kpis", "status", "--db", str(other), "--lang", "fr"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (
        k.returncode == 2
        and "n'est pas une base Marsad" in k.stderr
        and "Traceback" not in k.stderr
    )


# -- a writer holding the DuckDB file -------------------------------------------------------------------------


def _hold_lock(db, seconds=60):
    """Another process holding the DuckDB file in an open transaction (as a long load does)."""
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


@pytest.mark.parametrize("cli", ["loaders", "kpis"])
def test_a_long_lock_says_it_waits_then_fails_with_one_sentence(db, cli):
    assert run("history", db=db).returncode == 0  # the database exists
    holder = _hold_lock(db)
    try:
        args = ["history"] if cli == "loaders" else ["status", "--lang", "fr"]
        env = {k: v for k, v in os.environ.items() if k != "MARSAD_DB_URL"}
        p = subprocess.run(
            [sys.executable, "-m", cli, *args, "--db", str(db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**env, "MARSAD_LOCK_WAIT_SECONDS": "2"},
            timeout=120,
        )
    finally:
        holder.kill()
        holder.wait(10)
    lines = [line for line in p.stderr.splitlines() if line.strip() and "nanobind" not in line]
    assert "Traceback" not in p.stderr and p.stdout == ""
    assert p.returncode == 3
    if cli == "loaders":
        assert lines == [
            "The database is busy (another program is writing to it), waiting…",
            "The database is still busy after 2 seconds: another program is writing to it;"
            " try again when it has finished",
        ]
    else:
        assert lines == [
            "La base de données est occupée (un autre programme y écrit), attente…",
            "La base de données est toujours occupée après 2 secondes : un autre programme y écrit ;"
            " réessayez quand il aura terminé",
        ]


def test_ingest_with_the_state_of_a_stale_dry_run_writes_nothing_and_exits_1(db):
    mine = FIX / "stale_preview_one_new_value.csv"
    preview = json.loads(run("ingest", mine, "--dry-run", "--json", db=db).stdout)
    assert (preview["status"], preview["inserted"], preview["revised"]) == ("dry-run", 1, 0)
    assert (
        run("ingest", FIX / "good_long_three_values.csv", db=db).returncode == 0
    )  # a colleague's load
    p = run("ingest", mine, "--json", "--expect-state", preview["state"], db=db)
    out = json.loads(p.stdout)
    assert (p.returncode, out["status"], out["batch_id"], out["inserted"], out["revised"]) == (
        1,
        "stale",
        None,
        0,
        1,
    )
    # Nothing written: the colleague's batch is still the latest (24 published batches before it).
    assert [b["batch_id"] for b in json.loads(run("history", "--json", db=db).stdout)][:2] == [
        25,
        24,
    ]
    p = run("ingest", mine, "--json", "--expect-state", out["state"], db=db)
    assert (p.returncode, json.loads(p.stdout)["revised"]) == (0, 1)
