"""The Peers page: Morocco's ranks by index and edition as a table and a percentile chart with series
breaks (no streamlit here)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from loaders.i18n import N_, fmt_number, name_col, translator

from .sources import data_note

# Index names as the catalog writes them (English), marked here for translation.
INDEX_LABELS = (
    N_("Oxford Insights Government AI Readiness Index"),
    N_("UN Online Services Index (OSI)"),
    N_("WIPO Global Innovation Index"),
    N_("Tortoise Global AI Index"),
)
PERCENTILE_RULE = N_(
    "Percentile = 100 × (countries ranked − rank) / (countries ranked − 1): the share of the other ranked"
    " countries placed below Morocco (1st = 100, last = 0), so editions with different numbers of countries"
    " compare. Editions separated by a method change (series break) are not joined."
)
COLOURS = ("#1d4ed8", "#b45309", "#15803d", "#7c3aed", "#be123c", "#0f766e")


def rank_indicators(indicators: pd.DataFrame, lang: str) -> dict[str, str]:
    """Catalog indicators in ranks -> their name in the language (the index name for their own editions)."""
    r = indicators[indicators["unit"] == "rank"]
    return dict(zip(r["code"], r[name_col(lang)], strict=True))


def index_label(name: str, lang: str) -> str:
    return translator(lang)(name)


def editions_view(t: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The editions table in the language: index, edition, rank, countries, percentile, score, note, source."""
    _ = translator(lang)

    def num(x, d=0):
        return fmt_number(x, lang, d) if x is not None and not _nan(x) else "—"

    return pd.DataFrame(
        {
            _("Index"): [index_label(x, lang) for x in t["index"]],
            _("Edition"): [str(int(e)) for e in t["edition"]],
            _("Rank"): [num(r) for r in t["rank"]],
            _("Countries ranked"): [num(n) for n in t["countries_ranked"]],
            _("Percentile"): [num(p, 1) for p in t["percentile"]],
            # The whole "4,72 (0-10)" run is left to right: isolated in Arabic, its parts keep their order;
            # it does not wrap in a narrow column (no-break space and hyphen).
            _("Score"): [
                _ltr(f"{num(s, 2)}\u00a0({_nobreak(sc)})", lang) if not _nan(s) else "—"
                for s, sc in zip(t["score"], t["score_scale"], strict=True)
            ],
            _("Series"): [_("break: method changed") if b else "" for b in t["break_before"]],
            _("Note"): [data_note(n, lang) for n in t["series_note"]],
            _("Source"): t["source"].tolist(),
        }
    )


def _ltr(text: str, lang: str) -> str:
    """A scale such as 0-100 kept left to right inside Arabic text (isolated, so it does not read 100-0)."""
    return f"\u2066{text}\u2069" if lang == "ar" else text


def _nobreak(scale: str) -> str:
    return scale.replace("-", "\u2011")


def _nan(x) -> bool:
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def percentile_chart(t: pd.DataFrame, lang: str, *, rtl: bool) -> go.Figure:
    """Percentile by edition, one colour per index; a new line after each series break (no line across
    it) and a dotted mark at the break; editions without a count of countries are left out."""
    _ = translator(lang)
    fig = go.Figure()
    for i, (index, f) in enumerate(t.groupby("index", sort=False)):
        colour = COLOURS[i % len(COLOURS)]
        label = index_label(index, lang)
        for _seg, s in f.groupby("segment", sort=True):
            s = s[~s["percentile"].isna()]
            if not len(s):
                continue
            fig.add_trace(
                go.Scatter(
                    x=s["edition"],
                    y=s["percentile"],
                    mode="lines+markers",
                    name=label,
                    legendgroup=label,
                    showlegend=not any(tr.legendgroup == label for tr in fig.data),
                    line={"color": colour, "width": 2},
                    marker={"size": 9},
                    customdata=list(zip(s["rank"], s["countries_ranked"], strict=True)),
                    hovertemplate=label
                    + "<br>%{x}: %{y:.1f} ("
                    + _("rank")
                    + " %{customdata[0]:.0f}/%{customdata[1]:.0f})<extra></extra>",
                )
            )
        for e in f[f["break_before"]]["edition"]:
            prev = f[f["edition"] < e]["edition"].max()
            fig.add_vline(
                x=(e + prev) / 2 if not _nan(prev) else e - 0.5,
                line={"dash": "dot", "color": colour, "width": 1.5},
            )
            fig.add_annotation(
                x=(e + prev) / 2 if not _nan(prev) else e - 0.5,
                y=1.0,
                yref="paper",
                text=_("series break"),
                showarrow=False,
                font={"color": colour, "size": 11},
                textangle=-90,
                xanchor="right",
            )
    fig.update_yaxes(
        title=_("Percentile (100 = first)"), range=[0, 100], side="right" if rtl else "left"
    )
    fig.update_xaxes(dtick=1, tickformat="d", autorange="reversed" if rtl else True)
    fig.update_layout(
        height=420,
        margin={"l": 30, "r": 30, "t": 30, "b": 30},
        legend={
            "orientation": "h",
            "y": -0.15,
            "x": 1 if rtl else 0,
            "xanchor": "right" if rtl else "left",
        },
        plot_bgcolor="#fff",
        font={"family": "Noto Sans Arabic, DejaVu Sans, sans-serif"},
    )
    return fig
