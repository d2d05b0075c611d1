"""The Overview badges an indicator whose figure is overdue by the reporting calendar (kpis/calendar.py), in the
page's language, with the due date and the producer in its tooltip."""

import datetime as dt
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kpis.inputs import inputs_from_records
from kpis.view_overview import overdue_badges

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f"))


def _fibre_and_5g():
    # Both quarterly, owed by ANRT 45 days after the quarter (data/catalog/indicators.csv): FTTH reported
    # 2026-Q1, 5G did not. Q1 2026 ends 31 March, so it is due on 15 May and overdue from 16 May.
    return inputs_from_records(
        [
            {"code": "DM.FTTH", "frequency": "quarterly", "unit": "million households"},
            {"code": "DM.5G", "frequency": "quarterly", "unit": "%"},
        ],
        [
            {"indicator": "DM.FTTH", "period": "2025-Q4", "value": 3.0},
            {"indicator": "DM.FTTH", "period": "2026-Q1", "value": 3.2},
            {"indicator": "DM.5G", "period": "2025-Q4", "value": 40.0},
        ],
    )


def test_only_a_figure_past_its_due_date_is_badged():
    inputs = _fibre_and_5g()
    assert overdue_badges(inputs, "en", dt.date(2026, 5, 15)) == {}  # due that day, not late yet
    assert overdue_badges(inputs, "en", dt.date(2026, 5, 16)) == {
        "DM.5G": "National Telecommunications Regulatory Agency (ANRT) owes the figure for Q1 2026, due on May 15, 2026 · 1 day late"
    }
    assert overdue_badges(inputs, "fr", dt.date(2026, 6, 1)) == {
        "DM.5G": "Agence nationale de réglementation des télécommunications (ANRT) doit le chiffre de T1 2026, attendu le 15 mai 2026 · 17 jours de retard"
    }
    ar = overdue_badges(inputs, "ar", dt.date(2026, 5, 17))["DM.5G"].translate(ISOLATES)
    assert (
        ar
        == "على الوكالة الوطنية لتقنين المواصلات (ANRT) تقديم رقم الربع الأول 2026، وكان موعده 15/05/2026 · متأخر يومين"
    )


ANRT_FR = "Agence nationale de réglementation des télécommunications (ANRT)"
MTNRA_FR = "Ministère de la Transition numérique et de la Réforme de l'administration (MTNRA)"
ANRT_EN = "National Telecommunications Regulatory Agency (ANRT)"
MTNRA_EN = "Ministry of Digital Transition and Administrative Reform (MTNRA)"
CAT_OVERDUE = {
    # As known on 1 June 2026, no connectivity figure of 2026-Q1 had been published; the annual ones
    # (trained, talents, reskilled, foreign, graduates) are not due before 2027.
    "fr": [
        ("Couverture 5G de la population", ANRT_FR),
        ("Ménages éligibles à la fibre (FTTH)", ANRT_FR),
        ("Sites administratifs raccordés à la fibre", MTNRA_FR),
        ("Zones blanches couvertes (PNHD 2)", ANRT_FR),
    ],
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_overview_badges_overdue_figures_with_due_date_and_producer(
    tmp_path, monkeypatch, lang
):
    monkeypatch.setattr(sys, "argv", ["app.py", "--db", str(tmp_path / "m.duckdb")])
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.query_params["as_of"] = "2026-06-01"
    at.query_params["pillar"] = "CAT"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    badges = [m for m in at.markdown if "-badge[" in m.value]
    label, due = {
        "fr": (
            "En retard",
            "doit le chiffre de T1 2026, attendu le 15 mai 2026 · 17 jours de retard",
        ),
        "en": ("Overdue", "owes the figure for Q1 2026, due on May 15, 2026 · 17 days late"),
    }[lang]
    if lang == "fr":
        assert [m.value for m in badges] == [
            f":orange-badge[:material/schedule: {label} · {name}]" for name, _p in CAT_OVERDUE["fr"]
        ]
    assert len(badges) == 4
    # The producer by its institution's name in the page's language, its acronym as a tag.
    producers = [p for _n, p in CAT_OVERDUE["fr"]]
    if lang == "en":
        names = {ANRT_FR: ANRT_EN, MTNRA_FR: MTNRA_EN}
        producers = [names[p] for p in producers]
    assert [m.help for m in badges] == [f"{p} {due}" for p in producers]
