"""Hostile and oversized files are refused before they are parsed, with one clear problem each."""

import json
import os
import resource
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from loaders.catalog import load_catalog
from loaders.limits import Limits, check_workbook, limits
from loaders.problems import ERROR_CODES
from loaders.reshape import read_long
from tests.hostile import bomb_xlsx, many_parts_xlsx, rows_xlsx

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


# Runs the command as its only child and reports that child's peak RSS: the test process's own
# RUSAGE_CHILDREN would also count every earlier child of the suite (browsers, LibreOffice, servers).
_PEAK = (
    "import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
    "sys.stderr.write(f'PEAK_KB={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}'); "
    "sys.exit(p.returncode)"
)


def _cli_ingest(path: Path, db: Path, env: dict | None = None) -> tuple[int, dict, float, float]:
    """`python -m loaders ingest --json` in a child capped at 3 GB of address space (so that a reader that
    does parse the bomb dies instead of taking the machine); (exit code, JSON, seconds, peak MB)."""

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 * MB, 3 * 1024 * MB))

    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK, sys.executable, "-m", "loaders", "ingest", str(path)]
        + ["--db", f"duckdb:///{db}", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap,
        env={**os.environ, **(env or {})},
    )
    seconds = time.monotonic() - start
    peak_mb = int(proc.stderr.rsplit("PEAK_KB=", 1)[1]) / 1024
    out = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else {}
    return proc.returncode, out, seconds, peak_mb


def _codes(out: dict) -> list[str]:
    return [p["code"] for p in out.get("problems", [])]


def test_a_sheet_that_expands_to_2_gb_is_refused_in_seconds_without_the_memory(tmp_path):
    bomb = bomb_xlsx(tmp_path / "zip_bomb_2_2_gb.xlsx", 2200)
    assert bomb.stat().st_size < 12 * MB  # the size of the file in the report: ~9 MB
    rc, out, seconds, peak_mb = _cli_ingest(bomb, tmp_path / "m.duckdb")
    assert rc == 1, out
    assert _codes(out) == ["archive-too-large"]
    assert "256 MB" in out["problems"][0]["message"]
    assert seconds < 10
    assert peak_mb < 500


def test_a_sheet_compressed_250_times_is_refused_and_nothing_is_written(tmp_path):
    bomb = bomb_xlsx(tmp_path / "zip_bomb_220_mb_ratio_250.xlsx", 220)
    assert bomb.stat().st_size < 1.5 * MB
    rc, out, seconds, peak_mb = _cli_ingest(bomb, tmp_path / "m.duckdb")
    assert (rc, out["status"], out["batch_id"]) == (1, "rejected", None)
    assert _codes(out) == ["archive-ratio"]
    assert seconds < 10 and peak_mb < 500


def test_an_archive_that_lies_about_a_sheet_size_is_refused(tmp_path):
    # The directory says 1 MB (under every limit, ratio ~4); the data inflates to 300 MB.
    liar = bomb_xlsx(tmp_path / "directory_understates_sheet_size.xlsx", 300, declared_mb=1)
    start = time.monotonic()
    problems = check_workbook(liar)
    assert time.monotonic() - start < 5
    assert [p.code for p in problems] == ["archive-size-mismatch"]
    assert "xl/worksheets/sheet1.xml" in problems[0].message


def test_a_workbook_with_thousands_of_parts_is_refused(tmp_path):
    wb = many_parts_xlsx(tmp_path / "three_thousand_parts.xlsx", 3000)
    problems = read_long(wb, load_catalog(), lang="fr")
    assert [p.code for p in problems.errors] == ["archive-members"]
    assert problems.rows.num_rows == 0
    assert "3010" in problems.errors[0].message and "2000" in problems.errors[0].message


def test_a_sheet_declaring_more_cells_than_allowed_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_MAX_SHEET_CELLS", "1000")
    wb = rows_xlsx(tmp_path / "dimension_over_cell_cap.xlsx", 10, dimension="A1:D1000")
    result = read_long(wb, load_catalog(), lang="en")
    assert [p.code for p in result.errors] == ["too-many-cells"]
    assert "4,000 cells" in result.errors[0].message and "1,000" in result.errors[0].message


def test_a_csv_with_more_cells_than_allowed_is_refused_in_arabic(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_MAX_FILE_CELLS", "100")
    csv = tmp_path / "rows_over_file_cell_cap.csv"
    csv.write_text(
        "indicator,period,region,value\n" + "IA.JOBS,2025-Q1,MA-01,5\n" * 30, encoding="utf-8"
    )
    result = read_long(csv, load_catalog(), lang="ar")
    assert [p.code for p in result.errors] == ["too-many-cells"]
    assert result.rows.num_rows == 0
    assert "120" in result.errors[0].message and "100" in result.errors[0].message
    assert any("\u0600" <= ch <= "\u06ff" for ch in result.errors[0].message)


def test_a_real_200000_row_report_still_loads(tmp_path):
    report = rows_xlsx(tmp_path / "report_200000_rows.xlsx", 200_000)
    assert check_workbook(report) == []
    result = read_long(report, load_catalog())
    assert result.errors == []
    assert result.rows.num_rows == 200_000


def test_limits_come_from_the_environment_and_a_bad_value_keeps_the_default(monkeypatch):
    monkeypatch.setenv("MARSAD_MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("MARSAD_MAX_RATIO", "lots")
    assert limits().upload_mb == 5
    assert limits().ratio == Limits().ratio == 100


def test_streamlit_upload_limit_matches_the_server_side_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == Limits().upload_mb


def test_limit_codes_are_registered_error_codes():
    codes = {
        "file-too-large",
        "archive-too-large",
        "archive-ratio",
        "archive-members",
        "archive-size-mismatch",
        "too-many-cells",
        "worker-memory",
        "worker-timeout",
        "worker-failed",
    }
    assert codes <= ERROR_CODES


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_limit_messages_are_translated(lang):
    from loaders.i18n import gettext

    for msgid in (
        "The file is {size} MB; files up to {limit} MB are accepted",
        "The workbook has {count} internal parts; at most {limit} are accepted",
        "The workbook's part '{part}' expands to {size} MB; at most {limit} MB is accepted",
        "The workbook expands to {size} MB; at most {limit} MB is accepted",
        "The workbook's part '{part}' is larger than its archive says: the file is damaged or made "
        "to exhaust memory",
        "The workbook is compressed {ratio} times (part '{part}'): this is how a file made to "
        "exhaust memory looks; at most {limit} times is accepted",
        "The sheet has {cells} cells (rows × columns); at most {limit} are accepted per sheet",
        "The file has {cells} cells (rows × columns); at most {limit} are accepted per file",
    ):
        assert gettext(msgid, lang) != msgid
