"""Benchmark of the KPI engine: full status for the real catalog and a 10x catalog, with and without the DB read.

Usage: .venv/bin/python bench/kpis.py [--runs N]

Builds, in a temporary directory, DuckDB stores with synthetic observations: 28 quarters (2019-Q1 to
2025-Q4) for every indicator, for each of the 12 regions where the indicator is regional, nationally
otherwise. Catalogs:
  real      the real catalog as it is (data/catalog);
  real-reg  the real 32 indicators with every non-event indicator regional (32 x 12 x 28 workload);
  x10       10 copies of real-reg (320 indicators).
Times (median of N runs): load_inputs (DB read), status_table national, status_table with regions,
and the two together. Last line: RATIOS kpis_32_ms=... kpis_320_ms=... scale=...
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kpis.engine import status_table  # noqa: E402
from kpis.inputs import load_inputs  # noqa: E402
from loaders.catalog import CATALOG_DIR, load_catalog  # noqa: E402
from loaders.store import OBS_ARROW_SCHEMA, open_store  # noqa: E402

TODAY = dt.date(2026, 3, 1)
QUARTERS = [(y, q) for y in range(2019, 2026) for q in range(1, 5)]  # 28 quarters


def make_catalog(dest: Path, copies: int, all_regional: bool) -> Path:
    dest.mkdir(parents=True)
    for name in (
        "pillars.csv",
        "regions.csv",
        "observations_public.csv",
        "units.csv",
        "sources.csv",
    ):
        shutil.copy(CATALOG_DIR / name, dest / name)
    with (CATALOG_DIR / "indicators.csv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    out = []
    for k in range(copies):
        for r in rows:
            r = dict(r)
            if k:
                r["code"] = f"{r['code']}_C{k}"
            if all_regional and r["kind"] != "milestone":
                r["by_region"] = "yes"
            out.append(r)
    with (dest / "indicators.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(out)
    return dest


def synthetic_rows(catalog, batch_id: int) -> pa.Table:
    cols = {n: [] for n in OBS_ARROW_SCHEMA.names}
    isos = [r.iso for r in catalog.regions]
    for ind in catalog.indicators:
        rng = np.random.default_rng(zlib.crc32(ind.code.encode()))
        regions = isos if ind.by_region else [""]
        base = ind.baseline_value or (ind.target_value or 100.0) * 0.3 or 1.0
        slope = rng.uniform(-0.01, 0.06)
        for reg in regions:
            share = 1.0 if ind.unit == "%" or not reg else rng.uniform(0.02, 0.15)
            done_at = int(rng.integers(8, 28))
            for i, (y, q) in enumerate(QUARTERS):
                if ind.kind == "milestone":
                    v = 1.0 if i >= done_at else 0.0
                else:
                    v = base * share * (1 + slope) ** (i / 4) * (1 + rng.normal(0, 0.02))
                    if ind.unit == "%":
                        v = min(v, 100.0)
                cols["batch_id"].append(batch_id)
                cols["indicator"].append(ind.code)
                cols["period"].append(f"{y}-Q{q}")
                cols["region"].append(reg)
                cols["value"].append(round(v, 3))
                cols["unit"].append(ind.unit)
                cols["comment"].append(None)
                cols["source"].append("bench")
                cols["file"].append("bench.csv")
                cols["sheet"].append(None)
                cols["row_number"].append(len(cols["value"]) + 1)
                cols["demo"].append(False)
    return pa.table(cols, schema=OBS_ARROW_SCHEMA)


def build_store(tmp: Path, name: str, catalog_dir: Path):
    store = open_store(str(tmp / f"{name}.duckdb"), catalog_dir)
    catalog = load_catalog(catalog_dir)
    with store.begin() as conn:
        b = store.new_batch(
            conn,
            user="bench",
            origin="upload",
            files="bench.csv",
            demo=False,
            created_at=dt.datetime(2026, 1, 15),
        )
        n = store.bulk_insert_observations(conn, synthetic_rows(catalog, b))
    return store, n, len(catalog.indicators)


def timed(fn, runs: int) -> tuple[float, float]:
    """(median, min) in ms. The median is the figure; the min shows the cost without other load."""
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory(prefix="marsad-bench-kpis-") as d:
        tmp = Path(d)
        setups = {
            "real": CATALOG_DIR,
            "real-reg": make_catalog(tmp / "cat-real-reg", 1, True),
            "x10": make_catalog(tmp / "cat-x10", 10, True),
        }
        for name, cat in setups.items():
            store, n_rows, n_ind = build_store(tmp, name, cat)
            inputs = load_inputs(store)
            t_load = timed(lambda s=store: load_inputs(s), args.runs)
            t_nat = timed(lambda i=inputs: status_table(i, today=TODAY), args.runs)
            t_reg = timed(lambda i=inputs: status_table(i, today=TODAY, by_region=True), args.runs)
            t_all = timed(
                lambda s=store: status_table(load_inputs(s), today=TODAY, by_region=True), args.runs
            )
            n_out = len(status_table(inputs, today=TODAY, by_region=True))
            results[name] = t_reg[0]
            print(
                f"{name:9s} indicators={n_ind:4d} observations={n_rows:7d} status_rows={n_out:5d} | "
                + " | ".join(
                    f"{label} {med:6.1f} ms (min {low:6.1f})"
                    for label, (med, low) in (
                        ("load_inputs", t_load),
                        ("status national", t_nat),
                        ("status with regions", t_reg),
                        ("load+status", t_all),
                    )
                )
            )
            store.engine.dispose()
    scale = results["x10"] / results["real-reg"]
    print(
        f"median of {args.runs} runs (min = fastest run); goal: real catalog < 100 ms, "
        "scale (x10 / real) <= ~10 (linear)"
    )
    print(
        f"RATIOS kpis_32_ms={results['real-reg']:.1f} kpis_320_ms={results['x10']:.1f} scale={scale:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
