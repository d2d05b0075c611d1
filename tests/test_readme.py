"""Every command in README.md's ```bash / ```sh blocks runs as written, on a temporary database.

The blocks run in README order, each as one bash script (so a variable set on one line serves the next),
from a scratch folder that mirrors the project (links to its folders, `.venv` linked to this Python's
environment) so nothing is written into the project. A command that starts a server, or needs root, the
network or a USB stick, is not run: it is listed in NOT_RUN with the reason, and the test checks it is still
spelled that way in the README (and that its make target exists).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

NOT_RUN = {
    "make run": "starts the dashboard server, which runs until stopped (tests/test_browser.py starts it)",
    "make test": "the whole suite, as root: it installs Debian packages (a test cannot run itself)",
    "make wheelhouse": "downloads every runtime wheel from PyPI (network)",
    "tar xzf /media/usb/marsad.tgz && cd marsad": "needs the USB stick of the offline install",
    "make run OFFLINE=1": "starts the server from a wheelhouse (tests/test_install.py covers it)",
}


def _blocks() -> list[list[str]]:
    """The command lines of each ```bash / ```sh block (comments and blank lines dropped)."""
    text = README.read_text(encoding="utf-8")
    blocks = []
    for body in re.findall(r"^[ \t]*```(?:bash|sh)\n(.*?)^[ \t]*```", text, re.M | re.S):
        lines = []
        for raw in body.replace("\\\n", " ").splitlines():
            line = raw.strip()
            if line and not line.startswith("#"):
                lines.append(line)
        blocks.append(lines)
    return blocks


def _command(line: str) -> str:
    """The line without its trailing comment (a '#' after two spaces, as the README writes them)."""
    return re.split(r"\s{2,}#", line, maxsplit=1)[0].strip()


def _skipped(command: str) -> bool:
    return command in NOT_RUN


def test_the_readme_has_command_blocks_and_the_commands_not_run_are_still_documented():
    commands = [_command(line) for block in _blocks() for line in block]
    assert len(commands) >= 20
    for command in NOT_RUN:
        assert command in commands, f"README no longer documents {command!r}: update NOT_RUN"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test", "wheelhouse"):
        assert re.search(rf"^{target}:", makefile, re.M), f"make {target} is documented but gone"
    # Every other line names only files that exist (or that an earlier line writes).
    for path in re.findall(r"\bdata/samples/[\w./-]+", " ".join(commands)):
        assert (ROOT / path).is_file(), path


def _scratch(tmp_path: Path) -> Path:
    """A folder that looks like the project: its entries linked, data/ without any database."""
    work = tmp_path / "marsad"
    work.mkdir()
    for entry in ROOT.iterdir():
        if entry.name in (".venv", "data", ".git") or entry.suffix == ".duckdb":
            continue
        (work / entry.name).symlink_to(entry)
    (work / "data").mkdir()
    for entry in (ROOT / "data").iterdir():
        if ".duckdb" not in entry.name:
            (work / "data" / entry.name).symlink_to(entry)
    (work / ".venv").symlink_to(Path(sys.prefix))
    return work


def test_every_readme_command_runs_as_written(tmp_path):
    work = _scratch(tmp_path)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MARSAD_") or k == "MARSAD_TEST_PG_URL"
    }
    env.update(MARSAD_DB_URL=str(tmp_path / "readme.duckdb"), MARSAD_USER="readme")
    ran = 0
    for block in _blocks():
        script = [_command(line) for line in block if not _skipped(_command(line))]
        if not script:
            continue
        ran += len(script)
        body = "\n".join(script)
        proc = subprocess.run(
            [
                "bash",
                "-c",
                "set -eo pipefail\ntrap 'echo \"FAILED: $BASH_COMMAND\" >&2' ERR\n" + body,
            ],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, (
            f"README command failed:\n{proc.stderr[-3000:]}\n{proc.stdout[-2000:]}"
        )
    assert ran >= 20
    # What the commands were meant to leave behind, in the scratch folder and not in the project.
    for name in ("modele.xlsx", "modele.ods", "current.csv", "restored.duckdb", "new.duckdb"):
        assert (work / name).is_file(), name
    assert (work / "backups" / "marsad-2026-12-02" / "manifest.json").is_file()
