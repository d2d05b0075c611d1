"""The CLI loads into the DuckDB file the dashboard is serving: both succeed and the page shows the new batch."""

import subprocess
import sys
from pathlib import Path

from tests.browser import browser, open_page, running_app

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"


def test_browser_cli_load_while_the_dashboard_serves_the_same_file(tmp_path):
    db = tmp_path / "m.duckdb"
    with running_app(db) as base, browser() as b:
        page = open_page(b, base + "/history?lang=ar")
        assert "good_long_three_values.csv" not in page.inner_text("body")
        # The CLI loads while the page is being re-run (each run reads the file). Arabic: the history is an
        # HTML table, whose text the page carries (the English data grid draws on a canvas).
        cli = subprocess.Popen(
            [sys.executable, "-m", "loaders", "ingest", str(FIX / "good_long_three_values.csv")]
            + ["--db", str(db), "--user", "cli"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while cli.poll() is None:
            page.reload()
            page.wait_for_selector("h1", timeout=120000)
        out, err = cli.communicate()
        assert cli.returncode == 0, err
        assert "Batch 25 loaded: 3 new" in out
        page.close()
        page = open_page(b, base + "/history?lang=ar")
        body = page.inner_text("body")
        assert "good_long_three_values.csv" in body
        assert page.get_by_test_id("stException").count() == 0
        page.close()
