"""The install that travels: from a wheelhouse, with no network at all, `make run OFFLINE=1` starts the app."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Slow (a fresh venv, ~1-2 min): `-m "not install"` leaves it out while working; `make test` runs it.
pytestmark = pytest.mark.install

# Runs inside a network namespace that has only a loopback interface: what a presenter types on a laptop
# with no internet (`sh marsad run` with OFFLINE=1, as `make run OFFLINE=1` does), then what a browser
# would ask the server, then every page-building import through AppTest in the venv just installed.
DRIVER = r"""
import json, os, socket, subprocess, sys, time, urllib.request

project, db, port = sys.argv[1], sys.argv[2], sys.argv[3]
out = {"interfaces": sorted(name for _, name in socket.if_nameindex())}
log = open(os.path.join(project, "run.log"), "wb")
env = {**os.environ, "OFFLINE": "1", "PORT": port, "STREAMLIT_SERVER_HEADLESS": "true",
       "STREAMLIT_SERVER_ADDRESS": "127.0.0.1"}
start = time.monotonic()
app = subprocess.Popen(["sh", "marsad", "run", "--db", db], cwd=project, env=env,
                       stdout=log, stderr=subprocess.STDOUT)
base = f"http://127.0.0.1:{port}"
try:
    while app.poll() is None and time.monotonic() - start < 900:
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                out["health"] = r.status
                break
        except OSError:
            time.sleep(0.5)
    out["seconds_to_health"] = round(time.monotonic() - start, 1)
    if "health" in out:
        with urllib.request.urlopen(base + "/?lang=fr", timeout=10) as r:
            out["page"] = r.status
            out["page_has_app_root"] = b'id="root"' in r.read()
        check = (
            "from streamlit.testing.v1 import AppTest\n"
            "at = AppTest.from_file('app.py', default_timeout=120)\n"
            "at.query_params['lang'] = 'fr'\n"
            "at.run()\n"
            "print([e.value for e in at.exception] or [t.value for t in at.title][:1])\n"
        )
        apptest = subprocess.run([os.path.join(project, ".venv/bin/python"), "-c", check],
                                 cwd=project, capture_output=True, text=True,
                                 env={**env, "MARSAD_DB_URL": db + ".apptest"})
        out["apptest"] = apptest.stdout.strip().splitlines()[-1:] or [apptest.stderr[-2000:]]
finally:
    app.terminate()
    try:
        app.wait(20)
    except subprocess.TimeoutExpired:
        app.kill()
print(json.dumps(out, ensure_ascii=False))
"""

IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "wheelhouse", "__pycache__", "*.duckdb*", ".pytest_cache", ".ruff_cache",
    ".hypothesis", "out", "tmp",
)  # fmt: skip


def _wheelhouse() -> Path:
    """The project's wheelhouse/, built now (`sh marsad wheelhouse`, needs PyPI) unless it is current."""
    wheelhouse = ROOT / "wheelhouse"
    current = wheelhouse / "requirements.txt"
    if current.exists() and current.read_bytes() == (ROOT / "requirements.txt").read_bytes():
        return wheelhouse
    build = subprocess.run(
        ["sh", "marsad", "wheelhouse"], cwd=ROOT, capture_output=True, text=True, timeout=1500
    )
    if build.returncode != 0:
        pytest.fail(
            "could not build the wheelhouse, which needs PyPI (the network) once:\n"
            + (build.stdout + build.stderr)[-3000:],
            pytrace=False,
        )
    return wheelhouse


def _no_network(argv: list[str]) -> list[str]:
    """argv run in a new network namespace where only loopback is up (as root, or in a user namespace)."""
    if not shutil.which("unshare") or not shutil.which("ip"):
        pytest.fail("the offline install test needs `unshare` (util-linux) and `ip` (iproute2)")
    ns = ["unshare", "--net"] if os.geteuid() == 0 else ["unshare", "--net", "--map-root-user"]
    return [*ns, "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *argv]


def test_a_fresh_copy_installs_from_the_wheelhouse_with_no_network_and_serves_the_app(tmp_path):
    project = tmp_path / "marsad"
    shutil.copytree(ROOT, project, ignore=IGNORE)
    (project / "wheelhouse").symlink_to(_wheelhouse())
    # pip sees only the wheelhouse: no index, no find-links or config of this machine.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "MARSAD_"))}
    env.pop("VIRTUAL_ENV", None)
    env["PIP_CONFIG_FILE"] = os.devnull
    port = "8765"  # the namespace has its own ports: nothing else can hold this one
    argv = [sys.executable, "-c", DRIVER, str(project), str(tmp_path / "m.duckdb"), port]
    done = subprocess.run(_no_network(argv), env=env, capture_output=True, text=True, timeout=1200)
    run_log = project / "run.log"
    said = (run_log.read_text(errors="replace") if run_log.exists() else "") + done.stderr
    assert done.returncode == 0, said[-4000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["interfaces"] == ["lo"]  # no way out: the install cannot have used the network
    assert result.get("health") == 200, said[-4000:]
    assert (result["page"], result["page_has_app_root"]) == (200, True)
    assert result["apptest"] == ["['Avancement de la feuille de route']"], result["apptest"]
    print(f"offline install and start: {result['seconds_to_health']} s")  # shown with pytest -s
    shutil.rmtree(project / ".venv")  # ~0.5 GB; the rest of tmp_path is pytest's to clean
