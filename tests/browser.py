"""Run the real app on a local port and drive it with headless Chromium (tests and README screenshots).

As a script: `python tests/browser.py OUTDIR [PAGE ...] [--demo] [--no-full]` saves screenshots of every page
(or the PAGEs named, see ALL_PAGES) in Arabic, French and English at 1440×900 and 1920×1080, and of the whole
page at each width. `python tests/browser.py --readme` redraws the README's pictures in data/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # tests/system.py checks it is there
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(db_path: Path, *, demo: bool = False):
    """Yield the base URL of `streamlit run app.py -- --db db_path` on a free loopback port."""
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--",
        "--db",
        str(db_path),
    ]
    if demo:
        cmd.append("--demo")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(
                "streamlit did not start:\n" + proc.stdout.read1(20000).decode(errors="replace")
            )
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    from tests.system import require

    require("chromium", "fonts-noto-core")

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def open_page(b, url: str, *, width: int = 1400, height: int = 1000, wait_for: str | None = "h1"):
    page = b.new_page(viewport={"width": width, "height": height})
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stMain"]', timeout=30000)
    # Streamlit streams elements in after load; wait until it stops running.
    if wait_for:
        page.wait_for_selector(wait_for, timeout=30000)
    # Done when no element is still a loading skeleton and the run indicator has gone.
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stSkeleton"]')
               && !document.querySelector('[data-testid="stStatusWidget"] button')""",
        timeout=30000,
    )
    page.wait_for_timeout(1500)
    return page


# Every page of the navigation, each opened on something to show (the first entry is the app's root).
ALL_PAGES = {
    "overview": "",
    "indicator": "indicator?code=IA.JOBS",
    "regions": "regions?code=IA.JOBS",
    "pillar": "pillar",
    "milestones": "milestones",
    "peers": "peers",
    "methodology": "methodology",
    "present": "present",
    "upload": "upload",
    "history": "history",
    "review": "review",
    "reporting": "reporting",
    "targets": "targets",
    "audit": "audit",
    "translations": "translations",
}
SIZES = ((1440, 900), (1920, 1080))
# Streamlit scrolls inside its own containers: the whole page is their tallest content.
CONTENT_HEIGHT_JS = """() => Math.max(...['stMain', 'stAppScrollToBottomContainer', 'stSidebarContent']
  .map(t => document.querySelector(`[data-testid="${t}"]`)?.scrollHeight || 0))"""


def screenshots(
    outdir: Path,
    demo: bool,
    pages: dict[str, str] | None = None,
    sizes=SIZES,
    langs=("ar", "fr", "en"),
    full: bool = True,
) -> list[Path]:
    """Each page in each language at each window size ({name}_{lang}_{w}x{h}.png), and with `full` the
    whole page at that width ({name}_{lang}_{w}_full.png), on a new database (with the DEMO data if `demo`)."""
    import tempfile

    outdir.mkdir(parents=True, exist_ok=True)
    saved = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_app(Path(tmp) / "m.duckdb", demo=demo) as base,
        browser() as b,
    ):
        open_page(b, base + "/?lang=ar").close()  # the first request goes through app.py
        for name, path in (pages or ALL_PAGES).items():
            for lang in langs:
                url = f"{base}/{path}{'&' if '?' in path else '?'}lang={lang}"
                w, h = sizes[0]
                page = open_page(b, url, width=w, height=h, wait_for="[data-testid=stMain] h1")
                for i, (w, h) in enumerate(sizes):
                    if i:
                        page.set_viewport_size({"width": w, "height": h})
                        page.wait_for_timeout(1500)
                    saved.append(outdir / f"{name}_{lang}_{w}x{h}.png")
                    page.screenshot(path=str(saved[-1]))
                    if full:
                        tall = min(max(page.evaluate(CONTENT_HEIGHT_JS), h), 8000)
                        page.set_viewport_size({"width": w, "height": tall})
                        page.wait_for_timeout(1500)
                        saved.append(outdir / f"{name}_{lang}_{w}_full.png")
                        page.screenshot(path=str(saved[-1]))
                        page.set_viewport_size({"width": w, "height": h})
                page.close()
    return saved


# The README's pictures: (file, path, language, window). The PDF briefing is drawn by briefing_png.
README_SHOTS = [
    ("overview_ar.png", "", "ar", (1440, 900)),
    ("indicator_fr.png", "indicator?code=IA.JOBS", "fr", (1440, 900)),
    ("regions_ar.png", "regions?code=IA.JOBS", "ar", (1440, 900)),
    ("present_ar.png", "present?present=1&slides=scorecard,indicator:IA.JOBS", "ar", (1920, 1080)),
]


def small_png(path: Path, colours: int = 128) -> None:
    """Write the screenshot again with a palette (a fifth of the size; flat colours, text stays sharp)."""
    from PIL import Image

    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colours, method=Image.Quantize.MEDIANCUT, dither=0)
    small.save(path, optimize=True)


def briefing_png(store_url: str, out: Path, lang: str = "ar") -> None:
    """The first page of the PDF briefing (the scorecard and IA.JOBS), drawn by Chromium as it prints."""
    from kpis.export.pack import briefing_html_for
    from kpis.inputs import load_inputs
    from kpis.slides import parse_spec
    from loaders.store import open_store

    refs, _bad = parse_spec("scorecard,indicator:IA.JOBS")
    page_html = briefing_html_for(load_inputs(open_store(store_url)), refs, lang)
    with browser() as b:
        page = b.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
        page.emulate_media(media="print")
        page.set_content(page_html, wait_until="load")
        page.screenshot(path=str(out))
        page.close()
    small_png(out)


def readme_screenshots(outdir: Path) -> list[Path]:
    """The README's pictures, from the current app with the DEMO data on a new database."""
    import tempfile

    outdir.mkdir(parents=True, exist_ok=True)
    saved = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "m.duckdb"
        with running_app(db, demo=True) as base, browser() as b:
            open_page(b, base + "/?lang=ar").close()  # the first request goes through app.py
            for name, path, lang, (w, h) in README_SHOTS:
                url = f"{base}/{path}{'&' if '?' in path else '?'}lang={lang}"
                wait = ".js-plotly-plot .main-svg" if "present=1" in path else "h1"
                page = open_page(b, url, width=w, height=h, wait_for=wait)
                saved.append(outdir / name)
                page.screenshot(path=str(saved[-1]))
                page.close()
                small_png(saved[-1])
        saved.append(outdir / "briefing_ar.png")
        briefing_png(str(db), saved[-1])
    return saved


if __name__ == "__main__":
    # `python tests/browser.py` puts tests/, not the project, on the path.
    sys.path.insert(0, str(ROOT))
    if "--readme" in sys.argv:  # `python tests/browser.py --readme`: data/screenshots/ redrawn
        for p in readme_screenshots(ROOT / "data" / "screenshots"):
            print(p, p.stat().st_size, flush=True)
        sys.exit(0)
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots/tmp")
    names = [a for a in sys.argv[2:] if not a.startswith("--")]
    chosen = {n: ALL_PAGES[n] for n in names} if names else None
    for p in screenshots(out, "--demo" in sys.argv, chosen, full="--no-full" not in sys.argv):
        print(p, flush=True)
