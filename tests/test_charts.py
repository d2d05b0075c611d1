"""Chart figures checked for what a reader sees: series, path, target, projection band, DEMO and revision
marks, today line, right-to-left axes in Arabic, and the map's offline style and licence attribution."""

import datetime as dt

import pandas as pd
import pytest

from kpis import charts, charts_regions, indicator_detail
from kpis.inputs import inputs_from_records
from loaders.i18n import translator

TODAY = dt.date(2026, 1, 15)


def _names(fig) -> list[str]:
    return [t.name for t in fig.data]


def _trace(fig, name):
    hits = [t for t in fig.data if t.name == name]
    assert hits, f"no trace {name!r} in {_names(fig)}"
    return hits[0]


@pytest.fixture(scope="module")
def jobs_detail():
    """A quarterly level from 100 (2024) to 200 (2030): Q3 2025 is DEMO, Q4 2025 was revised."""
    inputs = inputs_from_records(
        [
            {
                "code": "X",
                "unit": "jobs",
                "kind": "level",
                "frequency": "quarterly",
                "baseline_year": 2024,
                "baseline_value": 100,
                "target_year": 2030,
                "target_value": 200,
            }
        ],
        [
            {"indicator": "X", "period": "2023-Q4", "value": 96},
            {"indicator": "X", "period": "2025-Q1", "value": 110},
            {"indicator": "X", "period": "2025-Q2", "value": 120},
            {"indicator": "X", "period": "2025-Q3", "value": 125, "demo": True},
            {"indicator": "X", "period": "2025-Q4", "value": 140, "versions": 2},
        ],
    )
    return indicator_detail(inputs, "X", today=TODAY)


def test_trajectory_chart_draws_series_path_target_and_projection(jobs_detail):
    _ = translator("en")
    fig = charts.trajectory_chart(jobs_detail, "en")
    reported = _trace(fig, _("Reported value"))
    assert list(reported.x) == ["2023-12-31", "2025-03-31", "2025-06-30", "2025-12-31"]
    assert list(reported.y) == [96, 110, 120, 140]
    # The expected path runs straight from the baseline (31 Dec 2024, 100) to the target (31 Dec 2030, 200).
    path = _trace(fig, _("Expected path to the target"))
    assert (path.x[0], path.y[0]) == ("2024-12-31", 100)
    assert (path.x[-1], path.y[-1]) == ("2030-12-31", 200)
    assert path.line.dash == "dash"
    target = _trace(fig, _("Target"))
    assert (list(target.x), list(target.y)) == (["2030-12-31"], [200])
    assert target.marker.symbol == "star"
    assert list(_trace(fig, _("Baseline")).y) == [100]
    # Five points over two years make a projection; its band is labelled as past scatter, not as a probability.
    band = _trace(fig, "Trend band (past scatter, not a probability)")
    assert band.fill == "toself"
    projected = _trace(fig, _("Projected trend"))
    assert projected.x[-1] == "2030-12-31"
    assert projected.line.dash == "dot"
    # "Today" is a vertical line at the evaluation date, labelled.
    today = [s for s in fig.layout.shapes if s.name == "today"]
    assert today and today[0].x0 == "2026-01-15" == today[0].x1
    assert [a.text for a in fig.layout.annotations if a.name == "today"] == ["Today"]
    # Years are labelled in the middle of their span, and the axis covers the whole of 2030.
    assert fig.layout.xaxis.ticklabelmode == "period"
    assert fig.layout.xaxis.autorangeoptions.include[-1] == "2030-12-31"


def test_demo_and_revised_points_are_marked_and_demo_is_watermarked(jobs_detail):
    fig = charts.trajectory_chart(jobs_detail, "fr")
    _ = translator("fr")
    demo = _trace(fig, _("DEMO value (illustrative)"))
    assert (list(demo.x), list(demo.y)) == (["2025-09-30"], [125])
    assert "open" in demo.marker.symbol[0]
    revised = _trace(fig, _("Revised value"))
    assert list(revised.x) == ["2025-12-31"]
    marks = [a.text for a in fig.layout.annotations if a.name == "demo-watermark"]
    assert marks == ["DÉMO — données illustratives"]
    # Hover text names the period as a French reader writes it.
    assert demo.customdata[0][0] == "T3 2025"


def test_a_chart_without_demo_points_has_no_watermark():
    inputs = inputs_from_records(
        [{"code": "Y", "unit": "%", "target_year": 2030, "target_value": 80}],
        [
            {"indicator": "Y", "period": "2024", "value": 40},
            {"indicator": "Y", "period": "2025", "value": 50},
        ],
    )
    fig = charts.trajectory_chart(indicator_detail(inputs, "Y", today=TODAY), "en")
    assert not [a for a in fig.layout.annotations if a.name == "demo-watermark"]


def test_arabic_reads_time_right_to_left_with_values_on_the_right(jobs_detail):
    ar = charts.trajectory_chart(jobs_detail, "ar")
    assert ar.layout.xaxis.autorange == "reversed"
    assert ar.layout.yaxis.side == "right"
    assert ar.layout.legend.xanchor == "right"
    assert ar.layout.separators == ",."  # 1.234,5 as in ar_MA
    assert translator("ar")("Reported value") in _names(ar)
    fr = charts.trajectory_chart(jobs_detail, "fr")
    assert fr.layout.xaxis.autorange != "reversed"
    assert fr.layout.yaxis.side != "right"
    assert fr.layout.separators == ",\u202f"


def test_flows_are_drawn_as_yearly_totals_with_the_incomplete_year_marked():
    inputs = inputs_from_records(
        [
            {
                "code": "F",
                "unit": "people/yr",
                "kind": "flow",
                "frequency": "quarterly",
                "baseline_year": 2024,
                "baseline_value": 400,
                "target_year": 2030,
                "target_value": 1000,
            }
        ],
        [
            {"indicator": "F", "period": p, "value": v}
            for p, v in [("2025-Q1", 100), ("2025-Q2", 110), ("2025-Q3", 120), ("2025-Q4", 130)]
            + [("2026-Q1", 140), ("2026-Q2", 150)]
        ],
    )
    detail = indicator_detail(inputs, "F", today=dt.date(2026, 8, 1))
    pts = charts.observed_points(detail)
    # 2025 = 100 + 110 + 120 + 130; 2026 so far = 140 + 150 (two quarters: incomplete).
    assert [(p["period"], p["value"]) for p in pts] == [("2025", 460), ("2026", 290)]
    fig = charts.trajectory_chart(detail, "en")
    assert list(_trace(fig, "Reported value").y) == [460, 290]
    assert list(_trace(fig, "Incomplete year (partial sum)").y) == [290]


def test_an_event_is_a_step_from_not_yet_to_done_with_its_due_date():
    inputs = inputs_from_records(
        [
            {
                "code": "E",
                "unit": "milestone",
                "kind": "milestone",
                "frequency": "event",
                "target_year": 2026,
                "target_value": 1,
            }
        ],
        [
            {"indicator": "E", "period": "2025-Q1", "value": 0},
            {"indicator": "E", "period": "2025-Q3", "value": 1},
        ],
    )
    fig = charts.trajectory_chart(indicator_detail(inputs, "E", today=TODAY), "fr")
    assert list(fig.layout.yaxis.ticktext) == ["Pas encore", "Réalisé"]
    due = _trace(fig, "Échéance")
    assert (list(due.x), list(due.y)) == (["2026-12-31"], [1])
    assert _trace(fig, "Observé").line.shape == "hv"


def test_a_rank_is_drawn_with_the_axis_turned_over():
    inputs = inputs_from_records(
        [{"code": "R", "unit": "rank", "direction": "down", "frequency": "biennial"}],
        [
            {"indicator": "R", "period": "2022", "value": 101},
            {"indicator": "R", "period": "2024", "value": 90},
        ],
    )
    fig = charts.trajectory_chart(indicator_detail(inputs, "R", today=TODAY), "en")
    top, bottom = fig.layout.yaxis.range
    assert top > 101 and bottom < 90 and bottom >= 1  # turned over, around the ranks, never below 1
    assert fig.layout.yaxis.title.text == "rank (lower is better, axis reversed)"


def _regions_frame():
    isos = [f"MA-{i:02d}" for i in range(1, 13)]
    measure = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 110.0, None]
    return pd.DataFrame(
        {
            "iso": isos,
            "label": [f"Region {i}" for i in range(1, 13)],
            "measure": measure,
            "measure_text": [str(m) for m in measure],
            "hover": ["h"] * 12,
        }
    )


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_region_map_is_offline_and_carries_the_odbl_attribution(lang):
    fig = charts_regions.region_map(
        _regions_frame(),
        lang,
        value_col="measure",
        label_col="label",
        hover_col="hover",
        title="t",
        colorbar_title="",
        lagging={"MA-01"},
    )
    assert fig.layout.map.style == "white-bg"  # no web tiles: works on a closed network
    assert not fig.layout.map.layers
    attribution = [a for a in fig.layout.annotations if a.name == "attribution"]
    # In the map's language; the licence and the names stay as they are written.
    assert [a.text for a in attribution] == [charts.map_attribution(lang)]
    assert "ODbL" in attribution[0].text and "OpenStreetMap" in attribution[0].text
    missing, shown = fig.data
    assert list(missing.locations) == ["MA-12"]  # no report: drawn grey, without a colour scale
    assert missing.showscale is False
    assert list(shown.locations) == [f"MA-{i:02d}" for i in range(1, 12)]
    assert shown.marker.line.width[0] == 2.5 and shown.marker.line.width[1] == 0.8  # MA-01 lags
    # The colour bar and the attribution sit on opposite sides, mirrored in Arabic.
    assert (shown.colorbar.x == 0) == (lang == "ar")
    assert (attribution[0].x == 1) == (lang == "ar")


def test_region_bars_rank_regions_mark_laggards_and_reference():
    frame = _regions_frame()
    fig = charts_regions.region_bars(
        frame,
        "ar",
        value_col="measure",
        label_col="label",
        text_col="measure_text",
        title="t",
        lagging={"MA-01", "MA-02"},
        reference=55.0,
        reference_label="ref",
        lagging_label="lagging",
        other_label="others",
    )
    others, lagging = fig.data
    assert list(lagging.y) == ["Region 1", "Region 2"]
    assert len(others.y) == 9  # MA-12 has no value and is not drawn
    # Highest at the top: the category order runs from the lowest value up.
    assert list(fig.layout.yaxis.categoryarray)[-1] == "Region 11"
    assert fig.layout.xaxis.range[0] > fig.layout.xaxis.range[1]  # bars grow leftwards in Arabic
    assert [s.x0 for s in fig.layout.shapes if s.name == "reference"] == [55.0]
    fr = charts_regions.region_bars(
        frame, "fr", value_col="measure", label_col="label", text_col="measure_text", title="t"
    )
    assert fr.layout.xaxis.range[0] < fr.layout.xaxis.range[1]


def test_status_bars_still_stack_statuses_per_pillar():
    rollup = pd.DataFrame({"pillar_label": ["A", "B"], "on-track": [2, 1], "off-track": [0, 3]})
    fig = charts.status_bars(
        rollup, "ar", labels={"on-track": "on", "off-track": "off"}, order=["on-track", "off-track"]
    )
    assert [t.name for t in fig.data] == ["on", "off"]
    assert fig.layout.barmode == "stack"
    assert fig.layout.xaxis.autorange == "reversed"


def test_statuses_shown_together_never_share_a_colour():
    """The Overview stacks trajectory and trend statuses in one chart: a reader tells them apart by colour."""
    from kpis.methods import STATUS_BY_METHOD

    for method in ("trajectory", "growth-ratio"):
        codes = set(STATUS_BY_METHOD[method]) | set(STATUS_BY_METHOD["trend"])
        colours = [charts.STATUS_COLORS[c] for c in codes]
        assert len(set(colours)) == len(colours), method


def test_value_axis_stays_around_the_values_and_the_target():
    """Five institutes in 2026 with a target of 12: the axis must not run to 200,000 (it did, pulled
    by a constant-growth projection of 100,383 institutes), nor below 0."""
    inputs = inputs_from_records(
        [
            {
                "code": "J",
                "unit": "institutes",
                "kind": "cumulative",
                "frequency": "event",
                "target_year": 2030,
                "target_value": 12,
            }
        ],
        [
            {"indicator": "J", "period": p, "value": v}
            for p, v in (("2025-Q2", 1), ("2025-Q3", 2), ("2025-Q4", 3), ("2026-Q1", 5))
        ],
    )
    detail = indicator_detail(inputs, "J", today=TODAY)
    assert (
        detail["projection"]["points"] == [] and detail["projection"]["reason"] == "too-short-span"
    )
    lo, hi = charts.trajectory_chart(detail, "en").layout.yaxis.range
    assert -1 < lo <= 1 and 12 < hi < 14
