"""Chart builders: plotly figures for the pages, mirrored for Arabic, DEMO-marked, with sources and map attribution."""

from __future__ import annotations

import datetime as dt
import json
import math
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go

from loaders.i18n import N_, fmt_date, fmt_number, fmt_percent, fmt_period

from .contract import Detail
from .text import texts
from .units import unit_of
from .views import unit_label, value_text

GEOJSON_PATH = Path(__file__).resolve().parent.parent / "data" / "geo" / "morocco_regions.geojson"
MAP_ATTRIBUTION = N_("© OpenStreetMap contributors, ODbL; regions from the morocco-map project")


def map_attribution(lang: str) -> str:
    """The map's licence line in the language (OpenStreetMap, ODbL and morocco-map keep their names)."""
    return texts(lang)._(MAP_ATTRIBUTION)


FONT = "Noto Sans Arabic, Noto Sans, DejaVu Sans, sans-serif"

# One colour per status code, chosen to read on a projector and for red-green colour blindness.
STATUS_COLORS = {
    "achieved": "#1b7837",
    "on-track": "#5aae61",
    "needs-acceleration": "#f1a340",
    "off-track": "#c51b7d",
    "no-data": "#bdbdbd",
    "substantial": "#1b7837",
    "moderate": "#5aae61",
    "limited": "#f1a340",
    "deterioration": "#c51b7d",
    # Trend statuses (no target) share the Overview chart with the trajectory ones: their own hues.
    "improving": "#4393c3",
    "stable": "#7f7f7f",
    "worsening": "#d6604d",
}
SERIES_COLOR, TRAJECTORY_COLOR, PROJECTION_COLOR, TARGET_COLOR = (
    "#0f766e",
    "#6b7280",
    "#2563eb",
    "#b91c1c",
)
DEMO_COLOR, REVISED_COLOR, LAGGING_COLOR = "#b45309", "#7c3aed", "#c51b7d"

# Plotly's own number formatting (axis ticks) with the locale's separators: decimal, then thousands.
SEPARATORS = {"ar": ",.", "fr": ",\u202f", "en": ".,"}


def _vline(fig: go.Figure, x, name: str, label: str, line: dict, **annotation) -> None:
    """A vertical line across the plot with its label at the top (today, a reference value)."""
    fig.add_shape(type="line", name=name, x0=x, x1=x, xref="x", y0=0, y1=1, yref="paper", line=line)
    fig.add_annotation(
        name=name, x=x, xref="x", y=1, yref="paper", text=label, showarrow=False, **annotation
    )


@lru_cache(maxsize=1)
def regions_geojson() -> dict:
    return json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))


def _base(
    fig: go.Figure,
    lang: str,
    *,
    title: str | None = None,
    demo: bool = False,
    watermark_size: int = 40,
) -> go.Figure:
    """Shared look; in Arabic the value axis moves right and the legend reads right to left."""
    _ = texts(lang)._
    rtl = lang == "ar"
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT, "size": 14},
        separators=SEPARATORS.get(lang, ".,"),
        title={"text": title, "x": 1 if rtl else 0, "xanchor": "right" if rtl else "left"}
        if title
        else None,
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "xanchor": "right" if rtl else "left",
            "x": 1 if rtl else 0,
        },
        hoverlabel={"font": {"family": FONT}},
    )
    if rtl:
        fig.update_yaxes(side="right")
    if demo:
        fig.add_annotation(
            text=_("DEMO — illustrative data"),
            name="demo-watermark",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": watermark_size, "color": "rgba(180,83,9,0.18)"},
            textangle=-20,
        )
    return fig


def status_bars(rollup, lang: str, *, labels: dict[str, str], order: list[str]) -> go.Figure:
    """Stacked horizontal bars: how many indicators of each pillar are in each status.

    `rollup`: DataFrame with columns `pillar_label` and one count column per status code in `order`.
    """
    _ = texts(lang)._
    fig = go.Figure()
    for code in order:
        if code not in rollup or not rollup[code].any():
            continue
        fig.add_bar(
            y=rollup["pillar_label"],
            x=rollup[code],
            orientation="h",
            name=labels.get(code, code),
            marker_color=STATUS_COLORS.get(code, "#999"),
            hovertemplate="%{y}<br>" + labels.get(code, code) + ": %{x}<extra></extra>",
        )
    fig.update_layout(barmode="stack", height=80 + 42 * len(rollup))
    fig.update_xaxes(title=_("Indicators"), dtick=1)
    if lang == "ar":
        fig.update_xaxes(autorange="reversed")
    return _base(fig, lang)


# -- one indicator over time -------------------------------------------------------------------------


def _isnum(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def observed_points(detail: Detail) -> list[dict]:
    """The points the chart plots: yearly totals for flows (a flow's quarters are parts of a year),
    the reported periods otherwise. Each keeps its DEMO / derived / revised / incomplete marks."""
    flow = detail["info"]["kind"] == "flow"
    pts = detail["yearly"] if flow else detail["quarterly"]
    return [p for p in pts if _isnum(p.get("value"))]


def _point_note(p: dict, lang: str) -> str:
    _ = texts(lang)._
    notes = []
    if p.get("demo"):
        notes.append(_("DEMO"))
    if p.get("derived"):
        n = int(p.get("n_regions") or 0)
        notes.append(texts(lang).n_("derived from {n} region", "derived from {n} regions", n))
    if p.get("revised"):
        notes.append(_("revised"))
    if p.get("incomplete"):
        notes.append(_("incomplete year: {n} of 4 quarters", n=int(p.get("n_quarters") or 0)))
    if p.get("source") and not p.get("demo"):
        notes.append(str(p["source"]))
    return " · ".join(notes)


def _marker_trace(fig, pts, lang, *, name, symbol, color, size=9, line=None, unit, milestone):
    if not pts:
        return
    fig.add_scatter(
        x=[p["date"] for p in pts],
        y=[p["value"] for p in pts],
        mode="markers",
        name=name,
        marker={"symbol": symbol, "color": color, "size": size, "line": line or {"width": 0}},
        customdata=[
            [
                fmt_period(p["period"], lang),
                value_text(p["value"], unit, lang, milestone=milestone),
                _point_note(p, lang),
            ]
            for p in pts
        ],
        hovertemplate="<b>%{customdata[0]}</b>: %{customdata[1]}<br>%{customdata[2]}<extra></extra>",
    )


def _path_traces(fig: go.Figure, detail: Detail, lang: str) -> None:
    """The expected path baseline -> milestones -> target, its knots, and an event's due date."""
    _ = texts(lang)._
    unit = detail["info"]["unit"]
    milestone = detail["info"]["kind"] == "milestone"
    # Expected path (drawn first so observed points sit on top).
    line = detail["trajectory"]["line"]
    if line:
        fig.add_scatter(
            x=[p["date"] for p in line],
            y=[p["value"] for p in line],
            mode="lines",
            name=_("Expected path to the target"),
            line={"color": TRAJECTORY_COLOR, "dash": "dash", "width": 2},
            hoverinfo="skip",
        )
    knots = detail["trajectory"]["knots"]
    for kind_code, name, symbol, color in (
        ("baseline", _("Baseline"), "square", TRAJECTORY_COLOR),
        ("milestone", _("Intermediate milestone"), "diamond", TRAJECTORY_COLOR),
        ("target", _("Target"), "star", TARGET_COLOR),
    ):
        ks = [k for k in knots if k["kind"] == kind_code]
        if not ks:
            continue
        fig.add_scatter(
            x=[k["date"] for k in ks],
            y=[k["value"] for k in ks],
            mode="markers",
            name=name,
            marker={"symbol": symbol, "size": 16 if kind_code == "target" else 11, "color": color},
            customdata=[
                [fmt_date(_iso(k["date"]), lang), value_text(k["value"], unit, lang)] for k in ks
            ],
            hovertemplate=name + " · %{customdata[0]}: %{customdata[1]}<extra></extra>",
        )
    target_value = detail["status"].get("target_value")
    if milestone and _isnum(target_value) and not knots:
        due = detail["projection"].get("target_date") or detail["explain"]["parameters"].get(
            "due_date"
        )
        if due:
            fig.add_scatter(
                x=[due],
                y=[target_value],
                mode="markers",
                name=_("Due date"),
                marker={"symbol": "star", "size": 16, "color": TARGET_COLOR},
                customdata=[[fmt_date(_iso(due), lang)]],
                hovertemplate=_("Due date") + ": %{customdata[0]}<extra></extra>",
            )


def _projection_traces(fig: go.Figure, detail: Detail, lang: str) -> None:
    _ = texts(lang)._
    unit = detail["info"]["unit"]
    # Projection with its band (a spread of past deviations, not a probability).
    proj = detail["projection"]["points"]
    if proj:
        band = [p for p in proj if _isnum(p["low"]) and _isnum(p["high"])]
        if band:
            xs = [p["date"] for p in band]
            fig.add_scatter(
                x=xs + xs[::-1],
                y=[p["high"] for p in band] + [p["low"] for p in band][::-1],
                fill="toself",
                mode="lines",
                line={"width": 0},
                fillcolor="rgba(37,99,235,0.14)",
                name=_("Trend band (past scatter, not a probability)"),
                hoverinfo="skip",
            )
        fig.add_scatter(
            x=[p["date"] for p in proj],
            y=[p["value"] for p in proj],
            mode="lines",
            name=_("Projected trend"),
            line={"color": PROJECTION_COLOR, "dash": "dot", "width": 2},
            customdata=[
                [
                    fmt_date(_iso(p["date"]), lang),
                    value_text(p["value"], unit, lang),
                    value_text(p["low"], unit, lang),
                    value_text(p["high"], unit, lang),
                ]
                for p in proj
            ],
            hovertemplate=_("Projected trend")
            + " · %{customdata[0]}: %{customdata[1]} (%{customdata[2]} – %{customdata[3]})"
            + "<extra></extra>",
        )


def _observed_traces(
    fig: go.Figure, pts: list[dict], lang: str, unit: str, milestone: bool
) -> None:
    _ = texts(lang)._
    # Observed series: one line through every point, then the points by what they are.
    if pts:
        fig.add_scatter(
            x=[p["date"] for p in pts],
            y=[p["value"] for p in pts],
            mode="lines",
            name=_("Observed"),
            line={"color": SERIES_COLOR, "width": 2.5, "shape": "hv" if milestone else "linear"},
            showlegend=False,
            hoverinfo="skip",
        )
        real = [p for p in pts if not p.get("demo")]
        reported = [p for p in real if not p.get("derived")]
        derived = [p for p in real if p.get("derived")]
        demo = [p for p in pts if p.get("demo")]
        common = {"lang": lang, "unit": unit, "milestone": milestone}
        _marker_trace(
            fig, reported, name=_("Reported value"), symbol="circle", color=SERIES_COLOR, **common
        )
        _marker_trace(
            fig,
            derived,
            name=_("Derived from the regions"),
            symbol="diamond",
            color=SERIES_COLOR,
            size=10,
            **common,
        )
        _marker_trace(
            fig,
            demo,
            name=_("DEMO value (illustrative)"),
            symbol=["diamond-open" if p.get("derived") else "circle-open" for p in demo],
            color=DEMO_COLOR,
            size=10,
            line={"width": 2, "color": DEMO_COLOR},
            **common,
        )
        _marker_trace(
            fig,
            [p for p in pts if p.get("revised")],
            name=_("Revised value"),
            symbol="circle-open",
            color=REVISED_COLOR,
            size=18,
            line={"width": 2, "color": REVISED_COLOR},
            **common,
        )
        _marker_trace(
            fig,
            [p for p in pts if p.get("incomplete")],
            name=_("Incomplete year (partial sum)"),
            symbol="square-open",
            color=TRAJECTORY_COLOR,
            size=18,
            line={"width": 2, "color": TRAJECTORY_COLOR},
            **common,
        )


def _today_line(fig: go.Figure, detail: Detail, lang: str) -> None:
    _ = texts(lang)._
    # "Today" (or the as-of date): where the expected value is read now.
    today = detail.get("today")
    if today:
        label = (
            _("As known on {date}", date=fmt_date(_iso(today), lang))
            if detail.get("as_of")
            else _("Today")
        )
        _vline(
            fig,
            today,
            "today",
            label,
            {"color": "#374151", "width": 1, "dash": "dashdot"},
            yanchor="top",
            # On the past side of the line (left, or right when time runs right to left), where an
            # improving series leaves room at the top.
            xanchor="left" if lang == "ar" else "right",
            xshift=-4 if lang != "ar" else 4,
            font={"size": 12, "color": "#374151"},
            bgcolor="rgba(255,255,255,0.8)",
        )


def _trajectory_axes(fig: go.Figure, detail: Detail, lang: str) -> None:
    """Whole years on the time axis (reversed in Arabic); the value axis inside the unit's range."""
    _ = texts(lang)._
    info = detail["info"]
    unit, milestone, today = info["unit"], info["kind"] == "milestone", detail.get("today")
    rtl = lang == "ar"
    ytitle = unit_label(unit, lang)
    # Periods are dated at their end (a year on 31 December). Each year's label sits in the middle of
    # that year's span, so Q1-Q4 2025 and the yearly value of 2025 all fall within "2025", and a 2030
    # target closes the "2030" span. The axis spans whole years.
    years = _years(fig, today)
    fig.update_xaxes(
        type="date",
        tickformat="%Y",
        tick0="2000-01-01",
        dtick="M12" if len(years) <= 14 else "M24",
        ticklabelmode="period",
        showgrid=True,
    )
    if years:
        fig.update_xaxes(autorangeoptions={"include": [f"{years[0]}-01-01", f"{years[-1]}-12-31"]})
    if rtl:
        fig.update_xaxes(autorange="reversed")
    fig.update_yaxes(
        title=ytitle if not milestone else None, exponentformat="none", separatethousands=True
    )
    span = value_range(detail)
    if milestone:
        fig.update_yaxes(tickvals=[0, 1], ticktext=[_("Not yet"), _("Done")], range=[-0.15, 1.25])
    elif info["direction"] == "down":
        # Ranks: 1 is best, so the axis is turned over and progress still goes up on screen.
        fig.update_yaxes(title=_("{unit} (lower is better, axis reversed)", unit=ytitle))
        if span:
            fig.update_yaxes(range=span[::-1], autorange=False)
        else:
            fig.update_yaxes(autorange="reversed")
    elif span:
        fig.update_yaxes(range=span, autorange=False)


def trajectory_chart(detail: Detail, lang: str, *, height: int = 470) -> go.Figure:
    """Observed series, expected path baseline -> milestones -> target, target marker, projected trend
    with its band, and a "today" line. DEMO, derived, revised and incomplete-year points are marked.

    `detail`: the dict of `kpis.indicator_detail`. In Arabic time runs right to left (reversed axis).
    """
    info = detail["info"]
    pts = observed_points(detail)
    fig = go.Figure()
    _path_traces(fig, detail, lang)  # drawn first so observed points sit on top
    _projection_traces(fig, detail, lang)
    _observed_traces(fig, pts, lang, info["unit"], info["kind"] == "milestone")
    _today_line(fig, detail, lang)
    _trajectory_axes(fig, detail, lang)
    fig.update_layout(
        height=height,
        hovermode="closest",
        legend={"traceorder": "reversed" if lang == "ar" else "normal"},
    )
    fig = _base(fig, lang, demo=any(p.get("demo") for p in pts))
    fig.update_layout(margin={"t": 90})
    return fig


def value_range(detail: Detail) -> list[float] | None:
    """The value axis: around the observed values, the baseline, milestones and target, and the
    projection band (already inside the unit's range and the plausible multiple), with a margin,
    held inside the unit's range. None when nothing is drawn. A stray value can never stretch it:
    unusable values are left out upstream and non-finite ones are ignored here."""
    info = detail["info"]
    vals = [p["value"] for p in observed_points(detail)]
    vals += [k["value"] for k in detail["trajectory"]["knots"]]
    vals.append(detail["status"].get("target_value"))
    for p in detail["projection"]["points"]:
        vals += [p.get("value"), p.get("low"), p.get("high")]
    vals = [float(v) for v in vals if _isnum(v) and math.isfinite(float(v))]
    if not vals:
        return None
    lo, hi = min(vals), max(vals)
    pad = (hi - lo) * 0.08 or max(abs(hi) * 0.1, 1.0)
    lo, hi = lo - pad, hi + pad
    u = unit_of(info["unit"])
    if u.min is not None and lo < u.min:
        # A count's axis starts at 0, a rank's at 1, a percentage's at 0: never below what can exist.
        lo = u.min - (pad * 0.2 if u.kind != "rank" else 0.5)
    if u.max is not None and hi > u.max:
        hi = u.max + pad * 0.2
    return [lo, hi]


def _iso(s: str) -> dt.date:
    return dt.date.fromisoformat(s[:10])


def _years(fig: go.Figure, today: str | None) -> list[int]:
    """Every year from the first to the last date drawn on the time axis."""
    dates = [str(x)[:10] for tr in fig.data for x in (tr.x or ()) if x is not None]
    if today:
        dates.append(today)
    if not dates:
        return []
    first, last = min(dates), max(dates)
    return list(range(int(first[:4]), int(last[:4]) + 1))


# -- regions ----------------------------------------------------------------------------------------


def number_labels(values, lang: str) -> list[str]:
    return [fmt_number(v, lang) for v in values]


def percent_labels(values, lang: str) -> list[str]:
    return [fmt_percent(v, lang) for v in values]
