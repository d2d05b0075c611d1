"""Uploads from the page are read in a worker with a memory cap and a timeout: the server survives any file."""

import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from loaders.limits import Limits
from loaders.sandbox import ingest_in_worker
from loaders.store import open_store
from tests.hostile import bomb_xlsx, rows_xlsx

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).resolve().parent / "fixtures" / "ingest"
# The archive checks switched off: what is left to stop a bomb is the worker's own memory cap.
NO_ARCHIVE_CHECKS = {
    "MARSAD_MAX_RATIO": "1000000",
    "MARSAD_MAX_MEMBER_MB": "1000000",
    "MARSAD_MAX_UNZIPPED_MB": "1000000",
    "MARSAD_MAX_SHEET_CELLS": "1000000000",
    "MARSAD_MAX_FILE_CELLS": "1000000000",
}


def test_a_bomb_past_the_archive_checks_only_exhausts_the_worker(tmp_path, monkeypatch):
    for k, v in NO_ARCHIVE_CHECKS.items():
        monkeypatch.setenv(k, v)
    store = open_store(f"duckdb:///{tmp_path}/m.duckdb")
    lim = Limits(worker_mb=1200)
    good = (FIX / "good_long_three_values.csv").read_bytes()
    assert ingest_in_worker(store, [("good.csv", good)], user="a", dry_run=True, lim=lim).rows == 3
    bomb = bomb_xlsx(tmp_path / "zip_bomb_220_mb.xlsx", 220).read_bytes()
    result = ingest_in_worker(store, [("zip_bomb_220_mb.xlsx", bomb)], user="a", lim=lim)
    assert result.status == "rejected"
    assert [p.code for p in result.problems] == ["worker-memory"]
    assert "1200 MB" in result.message
    assert len(store.read_table("batch")) == 24  # the published figures only: nothing written


def test_a_worker_over_its_time_is_stopped_with_a_clear_problem(tmp_path):
    store = open_store(f"duckdb:///{tmp_path}/m.duckdb")
    report = rows_xlsx(tmp_path / "report_200000_rows.xlsx", 200_000).read_bytes()
    result = ingest_in_worker(
        store, [("report.xlsx", report)], user="a", lang="fr", lim=Limits(worker_seconds=1)
    )
    assert [p.code for p in result.problems] == ["worker-timeout"]
    assert "1 s" in result.message and "rien n'a été écrit" in result.message


def test_the_upload_page_refuses_a_file_over_the_upload_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["pages/upload.py", "--db", str(tmp_path / "m.duckdb")])
    monkeypatch.setenv("MARSAD_MAX_UPLOAD_MB", "1")
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    big = b"indicator,period,region,value\n" + b"IA.JOBS,2025-Q1,MA-01,5\n" * 60_000  # 1.4 MB
    at.file_uploader(key="upload_files").set_value([("big.csv", big, "text/csv")])
    at.run()
    assert not at.exception
    assert at.error
    (problems,) = [d.value for d in at.dataframe]
    assert problems["Problem"].tolist() == ["File too large"]
    assert problems["Message"].tolist() == ["The file is 1.4 MB; files up to 1 MB are accepted"]
