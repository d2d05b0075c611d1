"""The formulas of kpis/methods.py against values computed by hand."""

import math

import numpy as np
import pytest

from kpis import methods as m


def test_progress_of_a_rank_where_lower_is_better():
    # UN OSI rank: 113 (2022) -> 50 (2030). Rank 90 in 2024: 23 of the 63 places to gain.
    assert m.progress(90, 113, 50) == pytest.approx(23 / 63)
    assert m.progress(120, 113, 50) == pytest.approx(-7 / 63)  # lost places: negative
    assert m.progress(40, 113, 50) == pytest.approx(73 / 63)  # beyond the target: stored uncapped


def test_progress_is_undefined_when_target_equals_baseline():
    assert math.isnan(m.progress(5, 10, 10))


def test_compound_growth_needs_positive_values():
    assert m.cagr(100, 121, 2) == pytest.approx(0.10)
    assert math.isnan(m.cagr(0, 5, 2))
    assert math.isnan(m.cagr(-4, 5, 2))
    assert math.isnan(m.cagr(100, 121, 0))


def test_midpoint_rate_handles_a_zero_base():
    # (10 - 0) / 2 years = 5 per year, against the mean level (0 + 10) / 2 = 5: 100 % a year.
    assert m.midpoint_rate(0, 10, 2) == pytest.approx(1.0)
    assert m.midpoint_rate(0, 0, 3) == 0.0
    rate, is_cagr = m.growth(0, 10, 2)
    assert rate == pytest.approx(1.0) and not is_cagr
    rate, is_cagr = m.growth(100, 121, 2)
    assert rate == pytest.approx(0.10) and is_cagr


def test_growth_ratio_with_compound_rates():
    r, is_cagr = m.growth_ratio(113, 90, 50, 2, 8)
    assert is_cagr
    assert r == pytest.approx(((90 / 113) ** (1 / 2) - 1) / ((50 / 113) ** (1 / 8) - 1))


def test_growth_ratio_zero_base_falls_back_to_yearly_changes_not_to_0001():
    # 5G coverage: 0 % (2025) -> 70 % (2030); 10 % one year later. Observed 10/yr, required 70/5 = 14/yr.
    r, is_cagr = m.growth_ratio(0, 10, 70, 1, 5)
    assert not is_cagr
    assert r == pytest.approx(10 / 14)
    assert m.classify_growth_ratio(r)[0] == "moderate"
    # Replacing 0 by 0.001 would have called this "substantial" (ratio in the thousands).


def test_growth_ratio_negative_base():
    # A balance of -20 (2020) to reach 0 by 2030 (10 years); -10 two years in: 5/yr against 2/yr.
    r, is_cagr = m.growth_ratio(-20, -10, 0, 2, 10)
    assert not is_cagr
    assert r == pytest.approx(2.5)


def test_scores_follow_the_open_sdg_transformation():
    assert m.score_with_target([-3, -0.6, 0, 0.6, 0.95, 1.3, 2]).tolist() == pytest.approx(
        [-5, -5, -2.5, 0, 2.5, 5, 5]
    )
    assert m.score_without_target(
        [-0.05, -0.02, 0, 0.005, 0.01, 0.015, 0.02, 0.1]
    ).tolist() == pytest.approx([-5, -5, -2.5, 0, 1.25, 2.5, 5, 5])
    assert math.isnan(m.score_with_target(np.nan))


def test_thresholds():
    assert m.classify_growth_ratio([0.95, 0.949, 0.6, 0.59, 0.0, -0.01, np.nan]).tolist() == [
        "substantial",
        "moderate",
        "moderate",
        "limited",
        "limited",
        "deterioration",
        "no-data",
    ]
    assert m.classify_no_target([0.015, 0.01, 0.005, 0.001, 0.0, -0.001]).tolist() == [
        "substantial",
        "moderate",
        "moderate",
        "limited",
        "limited",
        "deterioration",
    ]
    assert m.classify_trend([0.006, 0.004, -0.004, -0.006]).tolist() == [
        "improving",
        "stable",
        "stable",
        "worsening",
    ]
    got = m.classify_trajectory(
        [1.2, 1.2, 0.95, 0.6, 0.59, np.nan, 0.3],
        [False, False, False, False, False, False, True],
        [True, False, False, False, False, False, False],
    )
    assert got.tolist() == [
        "off-track",
        "on-track",
        "on-track",
        "needs-acceleration",
        "off-track",
        "no-data",
        "achieved",
    ]


def test_how_regions_make_a_national_value():
    assert m.aggregation("%") == "mean"
    assert m.aggregation("rank") is None
    assert m.aggregation("index 0-1") is None
    assert m.aggregation("jobs") == "sum"
    assert m.aggregation("bn MAD") == "sum"


def test_codes_have_labels_and_method_notes_have_their_placeholders():
    assert set(m.STATUS_CODES) == set(m.STATUS_TONE)
    for codes in m.STATUS_BY_METHOD.values():
        assert set(codes) <= set(m.STATUS_CODES)
    for _key, msgid, params in m.METHOD_NOTES:
        msgid.format(**params)  # every placeholder has a value


def test_units_come_from_the_catalog_with_their_own_decimals_and_labels():
    from kpis import units
    from kpis.views import unit_label, value_text
    from loaders.catalog import load_catalog

    cat = load_catalog()
    # Every unit's label in every language is units.csv's, not a copy in the engine.
    for u in cat.units:
        for lang in ("fr", "ar", "en"):
            assert unit_label(u.code, lang) == u.label(lang)
    assert units.aggregation("%") == "mean" and units.aggregation("rank") is None
    # Each unit with its own decimals: millions of households 2, an index 4.
    assert value_text(12.347, "million households", "en") == "12.35 million households"
    assert value_text(0.68412, "index 0-1", "fr") == "0,6841 indice 0-1"
    assert value_text(90, "rank", "ar") == "90 الترتيب"
    # The % upper bound and a rank's lower bound are units.csv's.
    assert units.bounds("%") == (0.0, 100.0) and units.bounds("rank")[0] == 1.0
