"""On a sealed network the app works and tries to reach nothing: every page opened in headless Chromium,
the real app started as deployed (headless, .streamlit/config.toml), inside a network namespace with no
route when the test runs as root (`unshare -n`), and every connection either side attempts recorded.

The app's own attempts are recorded by a Python audit hook (socket.connect, getaddrinfo, sendto) loaded
through sitecustomize; the browser's by Playwright (every request and web socket of the pages).
Run alone: `python -m tests.test_offline probe DB OUT.json` (what the test runs inside the namespace).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Every page, in Arabic (right-to-left styling, Arabic fonts: the most the browser is asked to load).
PAGES = [
    ("", "ar"),
    ("indicator?code=DM.EXPORTS", "ar"),
    ("regions", "ar"),
    ("methodology", "ar"),
    ("upload", "ar"),
    ("history", "ar"),
    ("present?present=1&slides=scorecard,map:IA.JOBS,peers", "ar"),
]

_HOOK = """
import json, os, sys
_LOG = os.environ.get("MARSAD_CONNECT_LOG")
_EVENTS = {"socket.connect", "socket.connect_ex", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
           "socket.gethostbyname", "socket.gethostbyaddr"}
def _hook(event, args):
    if _LOG and event in _EVENTS:
        target = args[0] if event.startswith("socket.get") else (args[1] if len(args) > 1 else None)
        try:
            with open(_LOG, "a") as f:
                f.write(json.dumps([event, repr(target)]) + "\\n")
        except Exception:
            pass
sys.addaudithook(_hook)
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def probe(db: Path, out: Path, upload: Path | None = None) -> None:
    """Start the app as deployed, open every page in Chromium, write what both sides tried to reach."""
    from tests.browser import browser

    work = out.parent / "probe"
    work.mkdir(exist_ok=True)
    (work / "sitecustomize.py").write_text(_HOOK)
    app_log = work / "app_connects.jsonl"
    app_log.write_text("")
    port = _free_port()
    # As deployed: headless, no --server.address (the config file must keep Streamlit from looking up
    # addresses), the bundled config.toml.
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    cmd += ["--server.port", str(port), "--", "--db", str(db)]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(work), str(ROOT)]),
        "MARSAD_CONNECT_LOG": str(app_log),
    }
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    requests: list[str] = []
    errors: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.3)
        with browser() as b:
            for slug, lang in PAGES:
                sep = "&" if "?" in slug else "?"
                try:
                    page = _open_page_recording(b, f"{base}/{slug}{sep}lang={lang}", requests)
                    if slug == "upload" and upload is not None:
                        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                            str(upload)
                        )
                        page.wait_for_selector(
                            '[data-testid="stAlertContentError"]', timeout=240000
                        )
                        page.wait_for_timeout(1500)
                except Exception as e:  # a page that does not settle offline is a failure to report
                    errors.append(f"{slug or 'overview'} ({lang}): {type(e).__name__}: {e}"[:500])
                    continue

                errors += [
                    t for t in page.locator('[data-testid="stException"]').all_inner_texts() if t
                ]
                page.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    out.write_text(
        json.dumps(
            {
                "base": base,
                "requests": requests,
                "app": [json.loads(line) for line in app_log.read_text().splitlines() if line],
                "errors": errors,
            }
        )
    )


def _open_page_recording(b, url: str, requests: list[str]):
    """tests.browser.open_page, with every request and web socket of the page recorded from the first."""
    page = b.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda w: requests.append(w.url))
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stMain"]', timeout=240000)
    page.wait_for_selector("h1", timeout=240000)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stSkeleton"]')
               && !document.querySelector('[data-testid="stStatusWidget"] button')""",
        timeout=240000,
    )
    page.wait_for_timeout(1500)
    return page


def _sealed() -> list[str]:
    """The command prefix that runs a child in a network namespace with only loopback, when allowed."""
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return []
    ok = subprocess.run(
        ["unshare", "-n", "ip", "link", "set", "lo", "up"], capture_output=True, timeout=10
    )
    return (
        ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sealed"]
        if not ok.returncode
        else []
    )


def _outside(base: str, url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return False
    app = urlsplit(base)
    return (parts.hostname, parts.port) != (app.hostname, app.port)


def _app_outside(event: str, target: str, port: int) -> bool:
    """An attempt by the app to reach anything but loopback (its own port or the browser's)."""
    if event.startswith("socket.get"):
        return target.strip("'\"") not in ("localhost", "127.0.0.1", "::1", "None", "")
    return not (target.startswith(("('127.0.0.1'", "('::1'", "'/", '"/', "b'")))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """DEMO data plus the hostile workbook of tests/test_injection.py (images and links aimed at port 9)."""
    from loaders.catalog import load_catalog
    from loaders.ingest import ingest
    from loaders.seed import add_demo
    from loaders.store import open_store
    from tests.test_injection import FILE, USER, injection_workbook

    tmp = tmp_path_factory.mktemp("offline")
    store = open_store(f"duckdb:///{tmp}/m.duckdb")
    add_demo(store, load_catalog())
    path = injection_workbook(tmp / "injection_markdown_in_every_field.xlsx")
    assert ingest(store, [path], user=USER, display_names=[FILE]).status == "committed"
    store.engine.dispose()
    return tmp / "m.duckdb"


def test_browser_every_page_offline_reaches_nothing_but_the_app(db, tmp_path):
    from tests.test_injection import BAD_CELL

    upload = tmp_path / "upload_cell_with_image.csv"
    upload.write_text(
        f"indicator,period,region,value,source\n{BAD_CELL},2025,National,3,{BAD_CELL}\n"
    )
    out = tmp_path / "probe.json"
    sealed = _sealed()
    cmd = sealed + [
        sys.executable,
        "-m",
        "tests.test_offline",
        "probe",
        str(db),
        str(out),
        str(upload),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text())
    base = data["base"]
    assert any(u.startswith(base) for u in data["requests"])  # the recording works
    assert data["errors"] == []
    outside = sorted({u for u in data["requests"] if _outside(base, u)})
    assert outside == [], f"the browser tried to reach {outside}"
    port = urlsplit(base).port
    app_out = [e for e in data["app"] if _app_outside(e[0], e[1], port)]
    assert app_out == [], f"the app tried to reach {app_out}"


def test_the_config_names_the_server_so_streamlit_looks_nothing_up():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["serverAddress"]
    assert config["browser"]["gatherUsageStats"] is False


if __name__ == "__main__":
    if sys.argv[1] == "probe":
        probe(
            Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]) if len(sys.argv) > 4 else None
        )
