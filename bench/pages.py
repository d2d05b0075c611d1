"""Benchmark of the pages: server run time through AppTest, and time to drawn and idle in headless Chromium.

Usage: .venv/bin/python bench/pages.py [--runs N] [--browser-runs N] [--no-browser]

Server: each page of PAGES (that exists in this tree) run through streamlit's AppTest with app.py, warm
(caches filled by earlier runs), median of N runs, on two DuckDB stores built in a temporary directory:
  real+demo  the real catalog, its published observations and the DEMO series;
  x10        ten copies of the catalog's indicators (320), each with its DEMO series.
Browser: the real app (`streamlit run app.py`) on real+demo, each page opened in a new tab of one headless
Chromium, warm, timed from navigation until every plotly chart has drawn its SVG, every data grid its
canvas, and the app has stayed idle (no run in progress, no skeleton) for SETTLE_MS; against a bare
one-chart Streamlit page served and timed the same way in the same run (the framework's floor).
Last line: RATIOS overview_ms=... overview_x10_ms=... and browser ratios per page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (name, page script, URL path, query). The lead extends this list; a page missing here is skipped.
PAGES = [
    ("overview", "pages/overview.py", "", {}),
    ("indicator", "pages/indicator.py", "indicator", {"code": "IA.JOBS"}),
    ("regions", "pages/regions.py", "regions", {}),
    ("present", "pages/present.py", "present", {"present": "1"}),
]
LANG = "ar"  # the default language, right to left: the most work for the pages
SETTLE_MS = 300  # idle this long = done (the time reported is when idle began)
GOALS = "goals: Overview server < 300 ms warm, < 1000 ms at x10; browser <= 2x the bare page"
BARE_PAGE = """
import plotly.graph_objects as go
import streamlit as st

st.title("Floor")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3, 4], y=[1, 3, 2, 4])))
"""
DONE_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.querySelector('h1, .js-plotly-plot')) return false;  // a slide may have no title
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  if (document.querySelector('[data-testid="stStatusWidget"] button')) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  if (!plots.length || !plots.every(p => p.querySelector('.main-svg'))) return false;
  const grids = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
  return grids.every(g => g.querySelector('canvas'));
}"""


def existing_pages():
    return [p for p in PAGES if (ROOT / p[1]).exists()]


def build_stores(tmp: Path) -> dict[str, Path]:
    """real+demo and x10 DuckDB files (catalog, published observations, DEMO series)."""
    from bench.kpis import make_catalog
    from loaders.catalog import load_catalog
    from loaders.seed import add_demo
    from loaders.store import open_store

    out = {}
    for name, cat_dir in (("real+demo", None), ("x10", make_catalog(tmp / "cat-x10", 10, False))):
        path = tmp / f"{name.replace('+', '_')}.duckdb"
        store = open_store(str(path), cat_dir) if cat_dir else open_store(str(path))
        add_demo(store, load_catalog(cat_dir) if cat_dir else load_catalog())
        store.engine.dispose()
        out[name] = path
    return out


def server_times(db: Path, runs: int) -> dict[str, float]:
    """Median warm AppTest run (ms) per page, app.py included."""
    from streamlit.testing.v1 import AppTest

    out = {}
    argv = sys.argv
    sys.argv = ["app.py", "--db", str(db)]
    try:
        for name, script, _path, query in existing_pages():
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.query_params["lang"] = LANG
            for k, v in query.items():
                at.query_params[k] = v
            at.run()
            if script != PAGES[0][1]:
                at.switch_page(script)
            at.run()
            at.run()  # warm: the data caches and imports are filled
            if at.exception:
                raise RuntimeError(f"{name}: {at.exception[0].value}")
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                at.run()
                times.append((time.perf_counter() - t) * 1000)
            out[name] = statistics.median(times)
    finally:
        sys.argv = argv
    return out


@contextmanager
def bare_app(tmp: Path):
    """The floor: a one-chart Streamlit page served like the app."""
    import subprocess

    from tests.browser import _free_port

    script = tmp / "bare.py"
    script.write_text(BARE_PAGE, encoding="utf-8")
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--browser.serverAddress",
        "127.0.0.1",
    ]
    proc = subprocess.Popen(cmd, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        import urllib.request

        for _ in range(200):
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def time_to_done(context, url: str) -> float:
    """ms from navigation until DONE_JS holds and keeps holding for SETTLE_MS (the start of that spell)."""
    page = context.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        since = None
        while True:
            ok = page.evaluate(DONE_JS)
            now = time.perf_counter()
            if ok:
                since = since or now
                if (now - since) * 1000 >= SETTLE_MS:
                    return (since - t0) * 1000
            else:
                since = None
            if now - t0 > 60:
                raise RuntimeError(f"{url} did not settle in 60 s")
            page.wait_for_timeout(25)
    finally:
        page.close()


def browser_times(app_base: str, bare_base: str, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    urls = {"bare": bare_base + "/"}
    for name, _script, path, query in existing_pages():
        q = "&".join(f"{k}={v}" for k, v in {"lang": LANG, **query}.items())
        urls[name] = f"{app_base}/{path}?{q}"
    out: dict[str, list[float]] = {k: [] for k in urls}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = b.new_context(viewport={"width": 1440, "height": 900})
        try:
            for url in urls.values():  # warm: server caches, browser cache of the static files
                time_to_done(context, url)
            for _ in range(runs):  # interleaved, so load on the machine hits every page alike
                for name, url in urls.items():
                    out[name].append(time_to_done(context, url))
        finally:
            b.close()
    return {k: statistics.median(v) for k, v in out.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--browser-runs", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    os.environ.setdefault("MARSAD_STATUS_METHOD", "trajectory")
    load = os.getloadavg()
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load average {load[0]:.2f} {load[1]:.2f}")
    print("pages:", ", ".join(p[0] for p in existing_pages()), f"(language {LANG})")
    ratios = {}
    with tempfile.TemporaryDirectory(prefix="marsad-bench-pages-") as d:
        tmp = Path(d)
        stores = build_stores(tmp)
        server = {name: server_times(db, args.runs) for name, db in stores.items()}
        for name, _s, _p, _q in existing_pages():
            real, x10 = server["real+demo"][name], server["x10"][name]
            print(
                f"server {name:10s} real+demo {real:7.1f} ms | x10 {x10:7.1f} ms | x10/real {x10 / real:4.1f}"
            )
        ratios["overview_ms"] = server["real+demo"]["overview"]
        ratios["overview_x10_ms"] = server["x10"]["overview"]
        if not args.no_browser:
            from tests.browser import running_app

            with running_app(stores["real+demo"]) as app_base, bare_app(tmp) as bare_base:
                br = browser_times(app_base, bare_base, args.browser_runs)
            print(f"browser bare page (floor) {br['bare']:7.1f} ms")
            for name, _s, _p, _q in existing_pages():
                print(
                    f"browser {name:10s} {br[name]:7.1f} ms | {br[name] / br['bare']:4.2f}x the floor"
                )
                ratios[f"browser_{name}"] = br[name] / br["bare"]
    print(f"median of {args.runs} server runs, {args.browser_runs} browser runs; {GOALS}")
    print(
        "RATIOS "
        + " ".join(f"{k}={v:.2f}" if "browser" in k else f"{k}={v:.1f}" for k, v in ratios.items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
