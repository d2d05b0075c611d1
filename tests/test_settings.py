"""Every MARSAD_* setting is declared once (loaders/settings.py), read through it, and documented in the README."""

import re
from dataclasses import fields
from pathlib import Path

from loaders import settings
from loaders.limits import ENV, Limits, limits
from loaders.store import Store, resolve_url
from loaders.units import JUMP_FACTOR, jump_factor

ROOT = Path(__file__).resolve().parent.parent


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Settings\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_the_readme_settings_table_is_the_declared_list():
    section = _readme_section()
    table = "\n".join(line for line in section.splitlines() if line.startswith("|")) + "\n"
    assert table == settings.markdown_table(), (
        "README.md's Settings table differs from loaders/settings.py: paste the output of "
        "`.venv/bin/python -m loaders.settings` into it"
    )


def test_every_marsad_variable_the_code_names_is_declared():
    named = set()
    files = [*ROOT.glob("*.py"), ROOT / "marsad", ROOT / "Makefile"]
    files += [
        p for d in ("kpis", "loaders", "pages", "tests", "bench") for p in (ROOT / d).rglob("*.py")
    ]
    files += list((ROOT / ".streamlit").glob("*.toml"))
    for path in files:
        if ".venv" in path.parts or path.name == "settings.py":
            continue
        named |= set(re.findall(r"\bMARSAD_[A-Z0-9_]*[A-Z0-9]\b", path.read_text(encoding="utf-8")))
    assert named - set(settings.BY_NAME) == set()
    assert set(settings.BY_NAME) - named == set(), "declared but read nowhere"


def test_the_declared_defaults_are_the_ones_the_code_applies(monkeypatch):
    for name in settings.BY_NAME:
        monkeypatch.delenv(name, raising=False)
    declared = {settings.BY_NAME[ENV[f.name]].default for f in fields(Limits)}
    assert limits() == Limits()
    assert [getattr(limits(), f.name) for f in fields(Limits)] == [
        settings.BY_NAME[ENV[f.name]].default for f in fields(Limits)
    ]
    assert declared
    assert settings.get("MARSAD_JUMP_FACTOR") == JUMP_FACTOR == jump_factor() == 10.0
    assert settings.get("MARSAD_LOCK_WAIT_SECONDS") == Store.LOCK_RETRY_SECONDS == 20.0
    assert Store("duckdb:///:memory:").lock_wait == 20.0
    assert settings.get("MARSAD_STATUS_METHOD") == "trajectory"
    assert settings.get("MARSAD_DEBUG") is False
    assert resolve_url(None).endswith("/data/marsad.duckdb")


def test_values_come_from_the_environment_and_a_bad_one_keeps_the_default(monkeypatch, tmp_path):
    monkeypatch.setenv("MARSAD_MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("MARSAD_MAX_RATIO", "lots")
    monkeypatch.setenv("MARSAD_JUMP_FACTOR", "4.5")
    monkeypatch.setenv("MARSAD_LOCK_WAIT_SECONDS", "0.5")
    monkeypatch.setenv("MARSAD_STATUS_METHOD", "growth-ratio")
    monkeypatch.setenv("MARSAD_DEBUG", "1")
    monkeypatch.setenv("MARSAD_DB_URL", str(tmp_path / "x.duckdb"))
    assert limits().upload_mb == 5
    assert limits().ratio == 100
    assert jump_factor() == 4.5
    assert Store("duckdb:///:memory:").lock_wait == 0.5
    assert settings.get("MARSAD_STATUS_METHOD") == "growth-ratio"
    assert settings.get("MARSAD_DEBUG") is True
    assert resolve_url(None) == f"duckdb:///{tmp_path}/x.duckdb"
    monkeypatch.setenv("MARSAD_STATUS_METHOD", "guess")
    monkeypatch.setenv("MARSAD_DEBUG", "0")
    monkeypatch.setenv("MARSAD_MAX_UPLOAD_MB", "")
    assert settings.get("MARSAD_STATUS_METHOD") == "trajectory"
    assert settings.get("MARSAD_DEBUG") is False
    assert limits().upload_mb == 50
