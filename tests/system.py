"""The Debian packages the whole suite needs: a test that needs a missing one fails and says how to install it."""

from __future__ import annotations

import glob
import shutil
import subprocess
from functools import cache

import pytest


def _arabic_font() -> bool:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return False
    out = subprocess.run([fc_list], capture_output=True, text=True, check=False).stdout
    return "noto sans arabic" in out.lower()


# Package name -> how to tell it is installed; `./marsad test` checks the same four before the run.
CHECKS = {
    "chromium": lambda: bool(shutil.which("chromium")),
    "fonts-noto-core": _arabic_font,
    "postgresql": lambda: bool(glob.glob("/usr/lib/postgresql/*/bin/postgres")),
    "libreoffice-calc-nogui": lambda: bool(shutil.which("soffice")),
}


@cache
def installed(package: str) -> bool:
    return CHECKS[package]()


def missing_message(packages: list[str]) -> str:
    names = " ".join(packages)
    return (
        f"needs the Debian package(s) {names}, not installed here: run `make test` as root, "
        f"which installs them, or `sudo apt-get install -y --no-install-recommends {names}`"
    )


def require(*packages: str) -> None:
    """Fail the calling test (never skip it) when one of these Debian packages is not installed."""
    gone = [p for p in packages if not installed(p)]
    if gone:
        pytest.fail(missing_message(gone), pytrace=False)
