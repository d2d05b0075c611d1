"""Morocco's international ranks by edition: countries ranked, the rank as a percentile, series breaks."""

from __future__ import annotations

import math

import pandas as pd

# The UN E-Government Survey publishes the EGDI and the OSI over the same member states: an EGDI rank
# of an edition the catalog lists for the OSI was out of that edition's number of countries.
SAME_SURVEY = {"DM.EGDI_RANK": "DM.OSI_RANK"}

EDITION_COLUMNS = (
    "index",
    "indicator",
    "edition",
    "countries_ranked",
    "rank",
    "percentile",
    "score",
    "score_scale",
    "series_note",
    "break_before",
    "segment",
    "source",
)


def percentile(rank, countries) -> float:
    """100 x (countries - rank) / (countries - 1): the share of the other ranked countries placed below
    Morocco (1st = 100, last = 0). NaN when the count is unknown or the rank does not fit in it."""
    try:
        r, n = float(rank), float(countries)
    except (TypeError, ValueError):
        return math.nan
    if math.isnan(r) or math.isnan(n) or n < 2 or not 1 <= r <= n:
        return math.nan
    return 100.0 * (n - r) / (n - 1)


def _rank_observations(observations: pd.DataFrame, codes: set[str]) -> pd.DataFrame:
    """Published yearly national ranks of these indicators (DEMO values are no edition of anything)."""
    if observations is None or not len(observations):
        return pd.DataFrame(columns=["indicator", "edition", "rank", "source"])
    o = observations
    keep = (
        o["indicator"].isin(codes)
        & (o["region"].fillna("") == "")
        & ~o["demo"].astype(bool)
        & o["period"].astype(str).str.fullmatch(r"\d{4}")
    )
    o = o[keep]
    return pd.DataFrame(
        {
            "indicator": o["indicator"].to_numpy(),
            "edition": o["period"].astype(int).to_numpy(),
            "rank": o["value"].astype(float).to_numpy(),
            "source": o["source"].fillna("").astype(str).to_numpy(),
        }
    )


def editions_table(
    editions: pd.DataFrame, observations: pd.DataFrame | None, rank_indicators: dict[str, str]
) -> pd.DataFrame:
    """One row per index and edition (EDITION_COLUMNS), oldest first within each index.

    `editions`: the catalog's index_editions.csv rows. `rank_indicators`: code -> index name of the catalog's
    rank indicators; their yearly published observations add the editions the catalog file does not list
    (countries ranked taken from the same survey's edition where SAME_SURVEY says so). An edition with a
    series note (a method change) does not compare with its neighbours, nor do editions on different score
    scales: `break_before` marks the first edition after a break and `segment` numbers the comparable runs.
    """
    cat = editions.rename(columns={"morocco_rank": "rank", "morocco_score": "score"}).copy()
    cat["indicator"] = cat["indicator"].fillna("").astype(str)
    cat["series_note"] = cat["series_note"].fillna("").astype(str)
    have = set(zip(cat["indicator"], cat["edition"].astype(int), strict=True))
    extra = _rank_observations(observations, set(rank_indicators))
    extra = extra[
        [(i, e) not in have for i, e in zip(extra["indicator"], extra["edition"], strict=True)]
    ]
    if len(extra):
        counts = {
            (i, int(e)): n
            for i, e, n in zip(
                cat["indicator"], cat["edition"], cat["countries_ranked"], strict=True
            )
        }
        extra = extra.assign(
            index=extra["indicator"].map(rank_indicators),
            countries_ranked=[
                counts.get((SAME_SURVEY.get(i, ""), int(e)), math.nan)
                for i, e in zip(extra["indicator"], extra["edition"], strict=True)
            ],
            score=math.nan,
            score_scale="",
            series_note="",
        )
        cat = pd.concat([cat, extra], ignore_index=True)
    cat["edition"] = cat["edition"].astype(int)
    cat["countries_ranked"] = pd.to_numeric(cat["countries_ranked"], errors="coerce")
    cat["rank"] = pd.to_numeric(cat["rank"], errors="coerce")
    cat["score"] = pd.to_numeric(cat["score"], errors="coerce")
    cat["score_scale"] = cat["score_scale"].fillna("").astype(str)
    cat = cat.sort_values(["index", "edition"], kind="stable").reset_index(drop=True)
    cat["percentile"] = [
        percentile(r, n) for r, n in zip(cat["rank"], cat["countries_ranked"], strict=True)
    ]
    breaks, segments = [], []
    prev = None
    seg = 0
    for r in cat.itertuples(index=False):
        brk = False
        if prev is not None and prev.index == r.index:
            brk = bool(r.series_note or prev.series_note) or bool(
                r.score_scale and prev.score_scale and r.score_scale != prev.score_scale
            )
        else:
            seg = 0
        seg += brk
        breaks.append(brk)
        segments.append(seg)
        prev = r
    cat["break_before"] = breaks
    cat["segment"] = segments
    return cat[list(EDITION_COLUMNS)]
