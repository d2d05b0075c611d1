"""International ranks by edition: the percentile formula and series breaks, on hand-computed figures."""

import math

import pandas as pd

from kpis.peers import editions_table, percentile


def test_percentile_is_the_share_of_other_countries_ranked_below():
    assert percentile(1, 193) == 100.0
    assert percentile(193, 193) == 0.0
    # GARI 2024: 101st of 188 -> 100 x 87 / 187 = 46.524...
    assert round(percentile(101, 188), 3) == 46.524
    # GARI 2022: 87th of 181 -> 100 x 94 / 180 = 52.222...
    assert round(percentile(87, 181), 3) == 52.222
    assert math.isnan(percentile(87, None))
    assert math.isnan(percentile(200, 193))  # a rank outside the count is not a position


def _editions():
    return pd.DataFrame(
        [
            ("GARI", 2019, 194, 80, 4.717, "0-10", "Earlier method", "a", "IA.READINESS"),
            ("GARI", 2022, 181, 87, 41.31, "0-100", "", "b", "IA.READINESS"),
            ("GARI", 2023, 193, 88, 43.34, "0-100", "", "c", "IA.READINESS"),
            ("GARI", 2025, None, 87, None, "0-100", "changed its question", "d", "IA.READINESS"),
            ("OSI", 2024, 193, 100, 0.5618, "0-1", "", "e", "DM.OSI_RANK"),
        ],
        columns=[
            "index",
            "edition",
            "countries_ranked",
            "morocco_rank",
            "morocco_score",
            "score_scale",
            "series_note",
            "source",
            "indicator",
        ],
    )


def test_breaks_around_a_method_change_and_percentiles_per_edition():
    obs = pd.DataFrame(
        [
            ("DM.EGDI_RANK", "2024", "", 90.0, False, "yabiladi"),
            ("DM.EGDI_RANK", "2022", "", 101.0, False, "yabiladi"),
            ("DM.EGDI_RANK", "2026-Q1", "", 80.0, True, "demo"),  # DEMO is no edition
            ("IA.READINESS", "2023", "", 88.0, False, "dup"),  # the catalog row wins
        ],
        columns=["indicator", "period", "region", "value", "demo", "source"],
    )
    t = editions_table(_editions(), obs, {"DM.EGDI_RANK": "EGDI", "IA.READINESS": "GARI"})
    gari = t[t["index"] == "GARI"]
    assert gari["edition"].tolist() == [2019, 2022, 2023, 2025]
    # 2019 (old method) | 2022, 2023 | 2025 (new question): two breaks, three comparable runs.
    assert gari["break_before"].tolist() == [False, True, False, True]
    assert gari["segment"].tolist() == [0, 1, 1, 2]
    assert [round(p, 1) for p in gari["percentile"][:3]] == [
        59.1,
        52.2,
        54.7,
    ]  # 114/193, 94/180, 105/192
    assert math.isnan(gari["percentile"].iloc[3])  # 2025: count not published
    egdi = t[t["index"] == "EGDI"]
    assert egdi["edition"].tolist() == [2022, 2024]
    # 2024 shares the OSI edition's 193 countries: 100 x 103 / 192 = 53.6; 2022 has no OSI row here.
    assert round(egdi["percentile"].iloc[1], 1) == 53.6
    assert math.isnan(egdi["countries_ranked"].iloc[0])
    assert not t["break_before"][t["index"] != "GARI"].any()


def test_the_presenter_peers_slide_names_each_index_in_the_page_language():
    from kpis.slides import peers_table

    ar = set(peers_table("ar").iloc[:, 0])
    assert "مؤشر جاهزية الحكومات للذكاء الاصطناعي (أكسفورد إنسايتس)" in ar
    assert not any("Index" in x for x in ar)
    fr = set(peers_table("fr").iloc[:, 0])
    assert "Indice mondial de l'IA (Tortoise)" in fr
