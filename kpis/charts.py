"""Chart builders: plotly figures for the pages, mirrored for Arabic, DEMO-marked, with sources and map attribution."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go

from loaders.i18n import fmt_number, translator

GEOJSON_PATH = Path(__file__).resolve().parent.parent / "data" / "geo" / "morocco_regions.geojson"
MAP_ATTRIBUTION = "© OpenStreetMap contributors, ODbL; regions from the morocco-map project"
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
    "improving": "#5aae61",
    "stable": "#9e9e9e",
    "worsening": "#c51b7d",
}
SERIES_COLOR, TRAJECTORY_COLOR, PROJECTION_COLOR, TARGET_COLOR = (
    "#0f766e",
    "#6b7280",
    "#2563eb",
    "#b91c1c",
)


@lru_cache(maxsize=1)
def regions_geojson() -> dict:
    return json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))


def _base(fig: go.Figure, lang: str, *, title: str | None = None, demo: bool = False) -> go.Figure:
    """Shared look; in Arabic the value axis moves right and the legend reads right to left."""
    _ = translator(lang)
    rtl = lang == "ar"
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT, "size": 14},
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
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 40, "color": "rgba(180,83,9,0.18)"},
            textangle=-20,
        )
    return fig


def status_bars(rollup, lang: str, *, labels: dict[str, str], order: list[str]) -> go.Figure:
    """Stacked horizontal bars: how many indicators of each pillar are in each status.

    `rollup`: DataFrame with columns `pillar_label` and one count column per status code in `order`.
    """
    _ = translator(lang)
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


def region_map(
    values,
    lang: str,
    *,
    value_col: str,
    label_col: str,
    hover_col: str,
    title: str,
    colorbar_title: str,
    demo: bool = False,
    reverse_scale: bool = False,
) -> go.Figure:
    """Choropleth of the 12 regions without any web tiles (MapLibre, white background), attribution inside."""
    _ = translator(lang)
    fig = go.Figure(
        go.Choroplethmap(
            geojson=regions_geojson(),
            featureidkey="id",
            locations=values["iso"],
            z=values[value_col],
            text=values[label_col],
            customdata=values[[hover_col]],
            colorscale="Teal",
            reversescale=reverse_scale,
            marker_line_width=0.8,
            marker_line_color="#ffffff",
            colorbar={
                "title": {"text": colorbar_title},
                "x": 0 if lang == "ar" else 1.0,
                "xanchor": "left" if lang == "ar" else "right",
                "thickness": 14,
            },
            hovertemplate="<b>%{text}</b><br>%{customdata[0]}<extra></extra>",
        )
    )
    fig.update_layout(
        map={"style": "white-bg", "center": {"lat": 28.4, "lon": -9.2}, "zoom": 4.1},
        height=560,
    )
    # Attribution on the side opposite the colour bar so neither hides the other.
    fig.add_annotation(
        text=MAP_ATTRIBUTION,
        xref="paper",
        yref="paper",
        x=1 if lang == "ar" else 0,
        y=0,
        xanchor="right" if lang == "ar" else "left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 10, "color": "#555"},
        bgcolor="rgba(255,255,255,0.7)",
    )
    return _base(fig, lang, title=title, demo=demo)


def region_bars(
    values,
    lang: str,
    *,
    value_col: str,
    label_col: str,
    text_col: str,
    title: str,
    lagging: set[str] = frozenset(),
    demo: bool = False,
) -> go.Figure:
    """Regions ranked by value; lagging regions stand out."""
    v = values.sort_values(value_col)
    colors = ["#c51b7d" if iso in lagging else SERIES_COLOR for iso in v["iso"]]
    fig = go.Figure(
        go.Bar(
            x=v[value_col],
            y=v[label_col],
            orientation="h",
            marker_color=colors,
            text=v[text_col],
            textposition="auto",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(height=90 + 32 * len(v), showlegend=False)
    if lang == "ar":
        fig.update_xaxes(autorange="reversed")
    return _base(fig, lang, title=title, demo=demo)


def number_labels(values, lang: str) -> list[str]:
    return [fmt_number(v, lang) for v in values]
