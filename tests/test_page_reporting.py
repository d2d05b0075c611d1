"""The Reporting page in each language: counts per status, the chosen producer first, an overdue figure."""

import datetime as dt
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.i18n import translator

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PRODUCERS = {
    "en": (
        "Ministry of Digital Transition and Administrative Reform (MTNRA)",
        "National Telecommunications Regulatory Agency (ANRT)",
    ),
    "fr": (
        "Ministère de la Transition numérique et de la Réforme de l'administration (MTNRA)",
        "Agence nationale de réglementation des télécommunications (ANRT)",
    ),
    "ar": (
        "وزارة الانتقال الرقمي وإصلاح الإدارة (\u2066MTNRA\u2069)",
        "الوكالة الوطنية لتقنين المواصلات (\u2066ANRT\u2069)",
    ),
}


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_reporting_page_lists_producers_with_the_chosen_one_first(tmp_path, monkeypatch, lang):
    _ = translator(lang)
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(tmp_path / "c.duckdb")])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    # Figures as known on 2 December 2026: nothing of 2026 published yet in the shipped catalog.
    at.session_state["as_of"] = dt.date(2026, 12, 2)
    at.switch_page("pages/reporting.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == _("Reporting calendar")
    # 10 quarterly indicators due 45 days after each quarter, none reported: all overdue since 15 May.
    assert [m.value for m in at.metric] == ["10", "0", "0", "13"]
    # Each producer under its institution's name in the language, its code as a short tag.
    mtnra, anrt = PRODUCERS[lang]
    assert at.subheader[0].value == _("{producer}: {n} overdue", producer=mtnra, n=4)
    at.selectbox(key="reporting_producer").set_value("ANRT").run()
    assert at.subheader[0].value == _("{producer}: {n} overdue", producer=anrt, n=3)
    heads = [h.value for h in at.subheader]
    office = {"ar": "مكتب الصرف", "fr": "Office des Changes"}.get(lang)
    assert office is None or any(h.startswith(office) for h in heads)
