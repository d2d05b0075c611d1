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


def test_the_duckdb_ingest_path_imports_neither_sqlalchemy_nor_pydantic_for_the_store(tmp_path):
    """Opening a DuckDB store and reading current values through the native handle needs no SQLAlchemy."""
    db = tmp_path / "m.duckdb"
    code = (
        "import sys\n"
        "from loaders.store import Store\n"
        f"s = Store('duckdb:///{db}')\n"
        "import duckdb; duckdb.connect(s.path).execute('CREATE TABLE meta (key VARCHAR, value VARCHAR)').close()\n"
        "print(s.meta_value('catalog_dir'), 'sqlalchemy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["None", "False"]
