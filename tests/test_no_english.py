"""No English sentence from the source catalog (the English msgids, the catalog's English names and notes)
on any page rendered in French or Arabic, with the DEMO data on so every part of every page shows."""

import re
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpis.text import SYSTEM_SOURCES, SYSTEM_USERS
from loaders.catalog import load_catalog
from loaders.i18n import _messages
from tests.test_boundaries import _msgids

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [
    ("pages/overview.py", {}),
    ("pages/indicator.py", {"code": "IA.JOBS"}),
    ("pages/indicator.py", {"code": "DM.EGDI_RANK"}),
    ("pages/regions.py", {"code": "IA.JAZARI"}),
    ("pages/methodology.py", {}),
    ("pages/upload.py", {}),
    ("pages/history.py", {}),
    ("pages/milestones.py", {}),
    ("pages/peers.py", {}),
    ("pages/reporting.py", {}),
]
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f"))


def _text(at) -> str:
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "metric",
        "expander",
        "button",
        "selectbox",
        "radio",
        "toggle",
        "checkbox",
    ):
        for el in getattr(at, kind, []):
            for attr in ("value", "label", "help", "body", "options"):
                v = (
                    getattr(el, attr, None)
                    if hasattr(type(el), attr) or hasattr(el, attr)
                    else None
                )
                if isinstance(v, str):
                    parts.append(v)
                elif isinstance(v, (list, tuple)):
                    parts += [str(x) for x in v]
    for el in list(at.table) + list(at.dataframe):
        df = el.value
        df = df.data if hasattr(df, "data") else df
        parts += [str(c) for c in df.columns]
        parts += [str(x) for x in df.to_numpy().ravel()]
    return "\n".join(parts).translate(ISOLATES)


def _english_sentences(lang: str) -> list[str]:
    """English text that a French or Arabic page must not show: every translated msgid of at least four
    words (shorter ones, such as "DEMO" or "MW", may be the same word in both), the catalog's English
    indicator and pillar names and its English notes."""
    table = _messages(lang)
    found = [
        m
        for m in _msgids()
        if len(re.findall(r"[A-Za-z]{2,}", re.sub(r"\{\w+\}", "", m))) >= 4 and table.get(m, m) != m
    ]
    c = load_catalog()
    found += [i.name_en for i in c.indicators] + [p.name_en for p in c.pillars]
    found += [i.notes for i in c.indicators if i.notes]
    # Notes of published values and of index editions; the English names of the institutions.
    found += [o.note for _row, o in c.observations if o.note]
    found += [e.series_note for e in c.index_editions if e.series_note]
    found += [s.name_en for s in c.sources if s.name_en != s.name(lang)]
    # Placeholders split a msgid into fixed pieces; each piece of four words or more must not appear.
    pieces = []
    for s in found:
        pieces += [p.strip(" .,;:()") for p in re.split(r"\{\w+\}", s)]
    # Marsad's own user names and DEMO source, whatever their length.
    system = [*SYSTEM_USERS, *SYSTEM_SOURCES]
    return sorted({p for p in pieces if len(re.findall(r"[A-Za-z]{2,}", p)) >= 4} | set(system))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_no_page_shows_an_english_sentence(tmp_path, monkeypatch, lang):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(tmp_path / "m.duckdb"), "--demo"])
    english = _english_sentences(lang)
    assert len(english) > 100
    seen = []
    for page, params in PAGES:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        for k, v in params.items():
            at.query_params[k] = v
        at.switch_page(page).run()
        assert not at.exception, (page, [e.message for e in at.exception])
        text = _text(at)
        assert len(text) > 200, page
        seen += [f"{page} {params}: {s!r}" for s in english if s in text]
    assert seen == []


def test_the_scan_finds_english_on_an_english_page(tmp_path, monkeypatch):
    """The control: the same scan on the English pages finds the catalog's sentences, so a French or
    Arabic page that showed one would be caught."""
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(tmp_path / "m.duckdb")])
    english = _english_sentences("fr")
    hits = {}
    for page, params in (PAGES[1], PAGES[4]):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = "en"
        for k, v in params.items():
            at.query_params[k] = v
        at.switch_page(page).run()
        text = _text(at)
        hits[page] = [s for s in english if s in text]
    assert len(hits["pages/methodology.py"]) > 20
    assert "Direct and indirect AI-related jobs" in hits["pages/indicator.py"]
    assert (
        "No baseline published; the 50,000 covers direct and indirect jobs"
        in hits["pages/indicator.py"]
    )
