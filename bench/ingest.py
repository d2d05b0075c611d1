"""Ingest benchmark: `python -m loaders ingest` against plain DuckDB / fastexcel reads of the same files."""

# Run from the project root: `.venv/bin/python bench/ingest.py [--rows 1000000] [--xlsx-rows 200000]
# [--big-rows 5000000] [--runs 3] [--keep DIR]`. Everything is generated in a temporary directory:
#
# - a synthetic catalog (the 4 catalog CSV files; the real pillars and regions; enough indicators that every
#   row of the long CSV is a distinct indicator/period/region: 28 quarters (2019-Q1..2025-Q4) x 13 regions
#   or national per indicator), so nothing is a duplicate;
# - a long CSV of --rows rows (region names in French, "National" for national values), an .xlsx of
#   --xlsx-rows rows (xlsxwriter, constant_memory), and a CSV of --big-rows rows for peak memory.
#
# Each measured command runs as its own process (wall time from spawn to exit; peak RSS from wait4). The
# ingest runs against a copy of a store that already holds the synthetic catalog and no observation
# ("fresh": building the catalog tables is setup, not ingest). Times are the median of --runs runs (1 for
# the big file). The last line prints the ratios. `--compare DIR` also times the ingest of another checkout
# of Marsad (e.g. the previous commit, from `git worktree add`) on the same files in the same run.

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PY = sys.executable
QUARTERS = [
    f"{y}-Q{q}" for y in range(2019, 2026) for q in range(1, 5)
]  # 28 quarters, all in the past
SLOTS = len(QUARTERS) * 13  # 12 regions + national
# "wall": seconds from spawn to exit; "cpu": the child's processor time (user + system, all threads), which
# a machine shared with other work changes much less than wall time (`--clock cpu`).
CLOCK = "wall"


def make_catalog(directory: Path, rows: int) -> int:
    """Synthetic catalog with enough indicators for `rows` distinct keys; returns the indicator count."""
    from loaders.catalog import CATALOG_DIR

    directory.mkdir(parents=True, exist_ok=True)
    for name in ("pillars.csv", "regions.csv", "units.csv"):
        shutil.copy(CATALOG_DIR / name, directory / name)
    n = -(-rows // SLOTS)
    header = (
        "code,programme,pillar,name_fr,name_en,name_ar,unit,direction,kind,frequency,by_region,"
        "baseline_year,baseline_value,milestones,target_year,target_value,confidence,sources,notes"
    )
    with (directory / "indicators.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        f.write(header + "\n")
        for i in range(n):
            w.writerow(
                [
                    f"BX.I{i:05d}",
                    "IA2030",
                    "IMP",
                    f"Indicateur synthétique {i}",
                    f"Synthetic indicator {i}",
                    f"مؤشر اصطناعي {i}",
                    "MW",  # the values have decimals: a unit of whole numbers would reject them
                    "up",
                    "level",
                    "quarterly",
                    "yes",
                    "",
                    "",
                    "",
                    "2030",
                    "1000",
                    "assumption",
                    "synthetic (bench)",
                    "",
                ]
            )
    (directory / "observations_public.csv").write_text(
        "indicator,period,region,value,source,note\n", encoding="utf-8"
    )
    return n


ROWS_SQL = """
    SELECT 'BX.I' || lpad(CAST(i // $slots AS VARCHAR), 5, '0') AS indicator,
           $quarters[(i % $slots) // 13 + 1] AS period,
           $regions[i % 13 + 1] AS region,
           -- 1,000 to 1,099.9: varied digits, but no quarter-to-quarter jump a real report would not have
           round(1000 + ((i * 7919) % 1000) / 10.0, 1) AS value
    FROM range($rows) t(i)
"""


def _rows(con, rows: int):
    """Row i -> indicator i // SLOTS, quarter, region (name in French or 'National'), a value."""
    from loaders.catalog import load_catalog

    regions = ["National"] + [r.name_fr for r in load_catalog().regions]
    params = {"slots": SLOTS, "quarters": QUARTERS, "regions": regions, "rows": rows}
    return con.sql(ROWS_SQL, params=params)


def make_csv(path: Path, rows: int) -> None:
    import duckdb

    con = duckdb.connect()
    _rows(con, rows).write_csv(str(path), header=True, sep=",")
    con.close()


def make_xlsx(path: Path, rows: int) -> None:
    import duckdb
    import xlsxwriter

    con = duckdb.connect()
    data = _rows(con, rows).fetchall()
    con.close()
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("data")
    ws.write_row(0, 0, ["indicator", "period", "region", "value"])
    for r, row in enumerate(data, start=1):
        ws.write_row(r, 0, row)
    wb.close()


def make_store(db: Path, catalog_dir: Path, cwd: Path = ROOT) -> None:
    """A fresh store of the synthetic catalog, made by the checkout at `cwd` (its own schema version)."""
    code = (
        "from loaders.store import open_store; "
        f"open_store({str(db)!r}, catalog_dir=__import__('pathlib').Path({str(catalog_dir)!r}))"
    )
    run([PY, "-c", code], cwd=cwd)


def run(
    cmd: list[str], *, expect_json: bool = False, cwd: Path = ROOT
) -> tuple[float, float, dict | None]:
    """Wall seconds, peak RSS (MB) of one child process, and its JSON output when asked."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        _pid, status, usage = os.wait4(
            p.pid, 0
        )  # this child's own peak RSS, not the sum of all children
        elapsed = time.perf_counter() - t0
        if CLOCK == "cpu":
            elapsed = usage.ru_utime + usage.ru_stime
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if p.returncode != 0:
            raise SystemExit(
                f"command failed ({p.returncode}): {' '.join(cmd)}\n{err.read().decode()[-3000:]}"
            )
        data = json.loads(out.read()) if expect_json else None
    return elapsed, usage.ru_maxrss / 1024, data


def ingest_cmd(path: Path, db: Path) -> list[str]:
    return [PY, "-m", "loaders", "ingest", str(path), "--db", str(db), "--json", "--user", "bench"]


def measure_ingest(
    path: Path, template_db: Path, work: Path, runs: int, rows: int, cwd: Path = ROOT
) -> tuple[float, float]:
    times, rss = [], []
    for k in range(runs):
        db = work / f"run{k}.duckdb"
        for suffix in ("", ".wal"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        shutil.copy(template_db, db)
        t, m, data = run(ingest_cmd(path, db), expect_json=True, cwd=cwd)
        if data["status"] != "committed" or data["inserted"] != rows or data["problems"]:
            raise SystemExit(
                f"unexpected ingest result: { {k: data[k] for k in ('status', 'inserted')} } "
                f"{data['problems'][:3]}"
            )
        times.append(t)
        rss.append(m)
        db.unlink()
    return statistics.median(times), max(rss)


def measure_duckdb_ctas(path: Path, work: Path, runs: int) -> float:
    times = []
    for k in range(runs):
        db = work / f"ctas{k}.duckdb"
        db.unlink(missing_ok=True)
        code = (
            f"import duckdb; c = duckdb.connect({str(db)!r}); "
            f'c.execute("CREATE TABLE t AS SELECT * FROM read_csv({str(path)!r})"); c.close()'
        )
        times.append(run([PY, "-c", code])[0])
        db.unlink()
    return statistics.median(times)


def measure_fastexcel(path: Path, runs: int) -> float:
    code = (
        f"import fastexcel; r = fastexcel.read_excel({str(path)!r}); "
        "t = r.load_sheet(0).to_arrow(); assert t.num_rows > 0"
    )
    return statistics.median(run([PY, "-c", code])[0] for _ in range(runs))


def _args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the long CSV")
    ap.add_argument("--xlsx-rows", type=int, default=200_000, help="rows of the .xlsx")
    ap.add_argument(
        "--big-rows", type=int, default=5_000_000, help="rows of the CSV for peak memory (0: skip)"
    )
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    ap.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="time measured: wall (default) or the processes' CPU time (a busy shared machine)",
    )
    ap.add_argument(
        "--compare", type=Path, help="another checkout of Marsad to time on the same files"
    )
    return ap.parse_args(argv)


def _setup(args, work: Path) -> dict:
    """The files and template stores (one per checkout: each makes its own schema version)."""
    t0 = time.perf_counter()
    sizes = {"csv": args.rows, "xlsx": args.xlsx_rows, "big": args.big_rows}
    stores: dict = {}
    for name, rows in sizes.items():
        if rows <= 0:
            continue
        cat = work / f"catalog_{name}"
        n = make_catalog(cat, rows)
        for who, cwd in (("new", ROOT), ("old", args.compare)):
            if cwd is None or (who == "old" and name == "big"):
                continue
            stores[name, who] = work / f"template_{name}_{who}.duckdb"
            stores[name, who].unlink(missing_ok=True)
            make_store(stores[name, who], cat, cwd=cwd)
        print(f"setup {name}: {n} synthetic indicators for {rows:,} rows", flush=True)
    files = {"csv": work / "long.csv", "xlsx": work / "long.xlsx", "big": work / "big.csv"}
    files["small"] = work / "small.csv"
    make_csv(files["csv"], args.rows)
    make_csv(files["small"], 3)
    if args.xlsx_rows > 0:
        make_xlsx(files["xlsx"], args.xlsx_rows)
    if args.big_rows > 0:
        make_csv(files["big"], args.big_rows)
    print(
        f"setup done in {time.perf_counter() - t0:.1f} s "
        f"(csv {files['csv'].stat().st_size / 1e6:.0f} MB)",
        flush=True,
    )
    return {"stores": stores, "files": files}


def _compare(args, work: Path, s: dict, kind: str, store: str, rows: int, base: float) -> None:
    """The other checkout's ingest of the same file, on a store of its own schema."""
    if not args.compare:
        return
    other, _rss = measure_ingest(
        s["files"][kind], s["stores"][store, "old"], work, args.runs, rows, cwd=args.compare
    )
    ratio = f" -> {other / base:.2f}x" if base else ""
    print(f"{rows:,}-row {kind} with {args.compare}: ingest {other:.2f} s{ratio}", flush=True)


def main(argv: list[str] | None = None) -> None:
    args = _args(argv)
    global CLOCK
    CLOCK = args.clock
    work = args.keep or Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        s = _setup(args, work)
        files, stores = s["files"], s["stores"]
        # A 3-row report: what starting the command costs (imports, opening the store).
        small, _rss = measure_ingest(files["small"], stores["csv", "new"], work, args.runs, 3)
        print(f"3-row CSV: ingest {small:.2f} s", flush=True)
        _compare(args, work, s, "small", "csv", 3, 0.0)
        ing_csv, rss_csv = measure_ingest(
            files["csv"], stores["csv", "new"], work, args.runs, args.rows
        )
        ctas = measure_duckdb_ctas(files["csv"], work, args.runs)
        r_csv = ing_csv / ctas
        _compare(args, work, s, "csv", "csv", args.rows, ctas)
        print(
            f"{args.rows:,}-row CSV: ingest {ing_csv:.2f} s (peak {rss_csv:.0f} MB) vs DuckDB CTAS "
            f"{ctas:.2f} s -> {r_csv:.2f}x (goal <= 2)",
            flush=True,
        )
        r_xlsx = float("nan")
        if args.xlsx_rows > 0:
            ing_x, rss_x = measure_ingest(
                files["xlsx"], stores["xlsx", "new"], work, args.runs, args.xlsx_rows
            )
            fx = measure_fastexcel(files["xlsx"], args.runs)
            r_xlsx = ing_x / fx
            _compare(args, work, s, "xlsx", "xlsx", args.xlsx_rows, fx)
            print(
                f"{args.xlsx_rows:,}-row xlsx: ingest {ing_x:.2f} s (peak {rss_x:.0f} MB) vs fastexcel "
                f"{fx:.2f} s -> {r_xlsx:.2f}x (goal <= 1.5)",
                flush=True,
            )
        rss_big = float("nan")
        if args.big_rows > 0:
            t_big, rss_big = measure_ingest(
                files["big"], stores["big", "new"], work, 1, args.big_rows
            )
            print(
                f"{args.big_rows:,}-row CSV: ingest {t_big:.2f} s, peak RSS {rss_big:.0f} MB (goal < 2048)",
                flush=True,
            )
        print(
            f"RATIOS ({CLOCK} time) csv_vs_duckdb={r_csv:.2f} xlsx_vs_fastexcel={r_xlsx:.2f} "
            f"peak_rss_{args.big_rows // 1_000_000}M_MB={rss_big:.0f}"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
