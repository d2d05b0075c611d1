"""One pillar: its indicators as a sortable table and as small multiples (no streamlit here)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from loaders.i18n import N_, translator

from . import view_overview as vo
from . import views
from .text import isnum, texts

SORTS = {
    "position": N_("Roadmap order"),
    "status": N_("Status, worst first"),
    "progress": N_("Progress, lowest first"),
    "gap": N_("Behind the expected path, most first"),
    "name": N_("Name"),
}
COL_GAP = N_("Gap to the expected path (points)")
TONE_RANK = {"bad": 0, "watch": 1, "trend": 2, "none": 3, "good": 4}
TONE_COLOURS = {
    "good": "#15803d",
    "watch": "#b45309",
    "bad": "#b91c1c",
    "trend": "#1d4ed8",
    "none": "#6b7280",
}
COLUMNS_PER_ROW = 3
ROW_GAP_PX = 95
MARGIN = {"l": 40, "r": 40, "t": 50, "b": 20}


def pillar_table(grid: vo.Grid, status: pd.DataFrame, lang: str, sort: str) -> pd.DataFrame:
    """The Overview's grid of one pillar with the gap in points, sorted; the order survives in the URL."""
    _ = translator(lang)
    nat = status[status["region"].fillna("") == ""].set_index("indicator")
    t = grid.table.copy()
    gaps, tones = [], []
    for code in grid.codes:
        s = nat.loc[code] if code in nat.index else None
        p, e = (s["progress"], s["expected_now_progress"]) if s is not None else (None, None)
        ok = isnum(p) and isnum(e)
        gaps.append(round(100 * (float(p) - float(e)), 1) if ok else None)
        tones.append(views.status_group(s["status"]) if s is not None else "none")
    # The gap replaces the expected-progress bar: the grid must fit the page without scrolling.
    # Shown as text in the page's number format ("-7,9 pts", isolated in Arabic); sorted by the numbers.
    shown = [texts(lang).signed_points(g) for g in gaps]
    t.insert(t.columns.get_loc(_(vo.COL_EXPECTED)) + 1, _(COL_GAP), shown)
    t = t.drop(columns=_(vo.COL_EXPECTED))
    key = {
        "status": [TONE_RANK[x] for x in tones],
        "progress": [v if v is not None else math.inf for v in t[_(views.COL_PROGRESS)]],
        "gap": [g if g is not None else math.inf for g in gaps],
        "name": t[_(views.COL_INDICATOR)].tolist(),
    }.get(sort)
    if key is not None:
        t = t.assign(_k=key).sort_values("_k", kind="stable").drop(columns="_k")
    return t.reset_index(drop=True)


def small_multiples(
    grid: vo.Grid, status: pd.DataFrame, spark: dict, lang: str, *, rtl: bool, height_per_row=250
) -> go.Figure:
    """One small chart per indicator of the pillar: its assessed values, and its target as a dashed line;
    each panel on its own scale, coloured by status."""
    _ = translator(lang)
    nat = status[status["region"].fillna("") == ""].set_index("indicator")
    codes = grid.codes
    names = grid.table[_(views.COL_INDICATOR)].tolist()
    n = max(len(codes), 1)
    rows = math.ceil(n / COLUMNS_PER_ROW)
    height = max(rows * height_per_row, 260)
    # Subplot titles go in grid order (rows from the top, columns from the left): place each name where
    # its panel is drawn (mirrored in right-to-left languages).
    titles = [""] * (rows * COLUMNS_PER_ROW)
    for i, label in enumerate(names):
        r, col = divmod(i, COLUMNS_PER_ROW)
        titles[r * COLUMNS_PER_ROW + (COLUMNS_PER_ROW - 1 - col if rtl else col)] = _short(label)
    fig = make_subplots(
        rows=rows,
        cols=COLUMNS_PER_ROW,
        subplot_titles=titles,
        # A row's year ticks and the next row's titles both sit in the gap: keep it ~95 px whatever the height.
        vertical_spacing=min(
            ROW_GAP_PX / (height - MARGIN["t"] - MARGIN["b"]), 1 / max(rows - 1, 1)
        ),
        horizontal_spacing=0.06,
    )
    for i, code in enumerate(codes):
        r, col = divmod(i, COLUMNS_PER_ROW)
        if rtl:
            col = COLUMNS_PER_ROW - 1 - col  # the first panel at the top right
        s = nat.loc[code] if code in nat.index else None
        tone = views.status_group(s["status"]) if s is not None else "none"
        ts, ys = spark.get((code, ""), ([], []))
        fig.add_trace(
            go.Scatter(
                x=ts,
                y=ys,
                mode="lines+markers",
                line={"color": TONE_COLOURS[tone], "width": 2},
                marker={"size": 4},
                name=names[i],
                hovertemplate="%{x:.2f}: %{y}<extra></extra>",
                showlegend=False,
            ),
            row=r + 1,
            col=col + 1,
        )
        if s is not None and isnum(s["target_value"]):
            fig.add_hline(
                y=float(s["target_value"]),
                line={"dash": "dash", "color": "#374151", "width": 1},
                row=r + 1,
                col=col + 1,
            )
        if not ys:
            fig.add_annotation(
                text=_("Not reported yet"),
                showarrow=False,
                xref="x domain",
                yref="y domain",
                x=0.5,
                y=0.5,
                row=r + 1,
                col=col + 1,
                font={"color": "#6b7280"},
                bgcolor="#fff",  # readable over the dashed target line drawn through the middle
            )
            # No values: the axis has no years to show (plotly would number it 0 to 5).
            fig.update_xaxes(showticklabels=False, row=r + 1, col=col + 1)
    fig.update_xaxes(nticks=3, tickformat="d", autorange="reversed" if rtl else True)
    fig.update_yaxes(side="right" if rtl else "left", nticks=4)
    fig.update_annotations(font_size=12)
    fig.update_layout(
        height=height,
        margin=MARGIN,
        plot_bgcolor="#fff",
        font={"family": "Noto Sans Arabic, DejaVu Sans, sans-serif"},
    )
    return fig


def _short(name: str, limit: int = 44) -> str:
    """A panel title on one line: long indicator names are cut at a word with an ellipsis."""
    if len(name) <= limit:
        return name
    cut = name[:limit].rsplit(" ", 1)[0]
    return cut + "…"
