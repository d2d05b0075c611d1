"""The store owns the engines: no other module imports a driver, reaches a driver connection or asks the engine."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What only loaders/store/ may write: the drivers, their connections, engine names and engine tests.
FORBIDDEN = re.compile(
    r"^\s*(import|from)\s+(duckdb|psycopg|psycopg2|duckdb_sqlalchemy)\b"
    r"|driver_connection|is_duckdb|dialect\.name|_duck_sql|current_sql\(|store\.kind\s*(==|!=|in\b)|get_backend_name"
)


def test_no_module_outside_the_store_touches_a_driver_or_branches_on_the_engine():
    files = [
        ROOT / "app.py",
        *[p for d in ("kpis", "loaders", "pages") for p in (ROOT / d).rglob("*.py")],
    ]
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in files
        if "store" not in path.relative_to(ROOT).parts[1:2]
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FORBIDDEN.search(line)
    ]
    assert found == []


def test_the_check_sees_what_it_forbids():
    assert FORBIDDEN.search("import duckdb")
    assert FORBIDDEN.search("    raw = conn.connection.driver_connection")
    assert FORBIDDEN.search("if store.is_duckdb:")
    assert FORBIDDEN.search('if store.kind == "duckdb":')
    assert not FORBIDDEN.search("from .store import scratch")


def test_an_ingest_into_a_duckdb_store_does_not_import_sqlalchemy(tmp_path):
    """The CLI's hot path (open an existing store, check, diff, write one batch) runs on the DuckDB driver."""
    from loaders.store import open_store

    db = tmp_path / "m.duckdb"
    open_store(str(db))
    report = ROOT / "tests" / "fixtures" / "ingest" / "good_long_three_values.csv"
    code = (
        "import contextlib, io, json, sys\n"
        "from loaders.__main__ import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    code = main(['ingest', {str(report)!r}, '--db', {str(db)!r}, '--json'])\n"
        "print(code, json.loads(out.getvalue())['inserted'], 'sqlalchemy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["0", "3", "False"]
