"""Regional charts: the offline map of the 12 regions (no web tiles, attribution on it) and the ranking bars."""

from __future__ import annotations

import plotly.graph_objects as go

from loaders.i18n import fmt_number

from .charts import (
    LAGGING_COLOR,
    SERIES_COLOR,
    _base,
    _isnum,
    _vline,
    map_attribution,
    regions_geojson,
)
from .text import texts


def _colorbar(title: str, rtl: bool) -> dict:
    # Outside the map, on the side opposite the attribution.
    return {
        "title": {"text": title, "side": "top"},
        "x": 0 if rtl else 1.0,
        "xanchor": "right" if rtl else "left",
        "xpad": 4,
        "thickness": 14,
        "len": 0.6,
        "y": 0.62,
        "exponentformat": "none",
        "separatethousands": True,
    }


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
    lagging: set[str] = frozenset(),
) -> go.Figure:
    """Choropleth of the 12 regions without any web tiles (MapLibre, white background), attribution inside.

    Regions without a value are drawn grey; `lagging` regions get a thick outline.
    """
    _ = texts(lang)._
    rtl = lang == "ar"
    has = values[value_col].notna()
    fig = go.Figure()
    if (~has).any():
        missing = values[~has]
        fig.add_trace(
            go.Choroplethmap(
                geojson=regions_geojson(),
                featureidkey="id",
                locations=missing["iso"],
                z=[0] * len(missing),
                text=missing[label_col],
                customdata=missing[[hover_col]],
                colorscale=[[0, "#e5e7eb"], [1, "#e5e7eb"]],
                showscale=False,
                marker_line_width=0.8,
                marker_line_color="#ffffff",
                name=_("No report"),
                hovertemplate="<b>%{text}</b><br>%{customdata[0]}<extra></extra>",
            )
        )
    shown = values[has]
    fig.add_trace(
        go.Choroplethmap(
            geojson=regions_geojson(),
            featureidkey="id",
            locations=shown["iso"],
            z=shown[value_col],
            text=shown[label_col],
            customdata=shown[[hover_col]],
            colorscale="Teal",
            reversescale=reverse_scale,
            marker_line_width=[2.5 if iso in lagging else 0.8 for iso in shown["iso"]],
            marker_line_color=[
                LAGGING_COLOR if iso in lagging else "#ffffff" for iso in shown["iso"]
            ],
            colorbar=_colorbar(colorbar_title, rtl),
            hovertemplate="<b>%{text}</b><br>%{customdata[0]}<extra></extra>",
        )
    )
    fig.update_layout(
        map={"style": "white-bg", "center": {"lat": 28.2, "lon": -9.0}, "zoom": 4.05},
        height=560,
    )
    # Attribution on the side opposite the colour bar so neither hides the other.
    fig.add_annotation(
        text=map_attribution(lang),
        name="attribution",
        xref="paper",
        yref="paper",
        x=1 if rtl else 0,
        y=0,
        xanchor="right" if rtl else "left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 10, "color": "#555"},
        bgcolor="rgba(255,255,255,0.7)",
    )
    fig = _base(fig, lang, title=title, demo=demo, watermark_size=30)
    fig.update_layout(margin={"l": 70 if rtl else 10, "r": 10 if rtl else 70})
    return fig


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
    reference: float | None = None,
    reference_label: str | None = None,
    lagging_label: str | None = None,
    other_label: str | None = None,
) -> go.Figure:
    """Regions ranked by value (best at the top for the indicator's direction); lagging regions stand out,
    a dotted line marks the national reference."""
    _ = texts(lang)._
    v = values[values[value_col].notna()].sort_values(value_col)
    order = list(v[label_col])
    is_lag = v["iso"].isin(set(lagging))
    fig = go.Figure()
    for mask, name, color in (
        (~is_lag, other_label or _("Other regions"), SERIES_COLOR),
        (is_lag, lagging_label or _("Lagging region"), LAGGING_COLOR),
    ):
        part = v[mask]
        if part.empty:
            continue
        fig.add_bar(
            x=part[value_col],
            y=part[label_col],
            orientation="h",
            name=name,
            marker_color=color,
            text=part[text_col],
            textposition="outside",
            textangle=0,
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    if reference is not None and _isnum(reference):
        _vline(
            fig,
            reference,
            "reference",
            reference_label or fmt_number(reference, lang),
            {"color": "#111827", "width": 1.5, "dash": "dot"},
            yanchor="bottom",
            font={"size": 12},
        )
    fig.update_layout(
        height=120 + 34 * len(v),
        showlegend=bool(is_lag.any()),
        barmode="overlay",
    )
    fig.update_yaxes(categoryorder="array", categoryarray=order, automargin=True)
    # Room for the value written after each bar; in Arabic bars grow leftwards (axis reversed).
    top = max(
        [float(x) for x in v[value_col]] + ([float(reference)] if _isnum(reference) else []) + [0.0]
    )
    span = [0.0, top * 1.22 if top > 0 else 1.0]
    fig.update_xaxes(
        exponentformat="none",
        separatethousands=True,
        range=span[::-1] if lang == "ar" else span,
        autorange=False,
    )
    fig = _base(fig, lang, title=title, demo=demo, watermark_size=16)
    fig.update_layout(
        margin={"t": 80 if title else 40, "b": 40},
        legend={"yanchor": "top", "y": -0.08},
    )
    return fig
