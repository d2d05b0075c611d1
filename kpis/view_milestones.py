"""The Milestones page's timeline: regulatory events, intermediate milestones, targets and the JAZARI
institutes by region, each done / due / overdue (no streamlit here)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from loaders.i18n import N_, fmt_date, fmt_period, name_col, translator

from . import views
from .periods import period_end
from .sources import data_note
from .text import texts

JAZARI = "IA.JAZARI"
KINDS = {
    "event": N_("Regulatory milestones"),
    "jazari": N_("JAZARI institutes"),
    "milestone": N_("Intermediate milestones"),
    "target": N_("2030 targets"),
}
DEFAULT_KINDS = ("event", "jazari", "milestone")
STATES = {"done": N_("Done"), "due": N_("Due"), "overdue": N_("Overdue")}
STATE_COLOURS = {"done": "#15803d", "due": "#6b7280", "overdue": "#b91c1c"}
STATE_SYMBOLS = {"done": "circle", "due": "circle-open", "overdue": "x"}
TIMELINE_COLUMNS = (
    "kind",
    "indicator",
    "region",
    "label",
    "date",
    "state",
    "detail",
    "source",
    "demo",
)


def jazari_rows(observations: pd.DataFrame, regions: pd.DataFrame, today: dt.date, due_year: int):
    """Each region's JAZARI institutes: one done row per increase of its count (the period it was reported,
    its note and source), and for a region without one a row due by 31 December of the target year."""
    o = observations[
        (observations["indicator"] == JAZARI) & (observations["region"].fillna("") != "")
    ]
    o = o.sort_values(["region", "period"], kind="stable")
    rows = []
    for reg, f in o.groupby("region", sort=False):
        before = 0.0
        for r in f.itertuples(index=False):
            if views._isnum(r.value) and float(r.value) > before:
                rows.append(
                    {
                        "kind": "jazari",
                        "indicator": JAZARI,
                        "region": reg,
                        "date": period_end(r.period).isoformat(),
                        "state": "done",
                        "period": r.period,
                        "count": int(round(float(r.value) - before)),
                        "detail": r.comment if isinstance(r.comment, str) else "",
                        "source": r.source if isinstance(r.source, str) else "",
                        "demo": bool(r.demo),
                    }
                )
                before = float(r.value)
    have = {r["region"] for r in rows}
    due = dt.date(due_year, 12, 31)
    for iso in regions["iso"]:
        if iso not in have:
            rows.append(
                {
                    "kind": "jazari",
                    "indicator": JAZARI,
                    "region": iso,
                    "date": due.isoformat(),
                    "state": "overdue" if today > due else "due",
                    "period": None,
                    "count": 0,
                    "detail": "",
                    "source": "",
                    "demo": False,
                }
            )
    return rows


def timeline(
    milestones: pd.DataFrame,
    observations: pd.DataFrame,
    indicators: pd.DataFrame,
    regions: pd.DataFrame,
    lang: str,
    *,
    today: dt.date,
    kinds=DEFAULT_KINDS,
    states=(),
    region: str = "",
) -> pd.DataFrame:
    """TIMELINE_COLUMNS, by date: the milestones table (kpis/milestones.py) and the JAZARI rows, filtered
    by kind, state and region (a region keeps only its JAZARI rows); labels in the language."""
    _ = translator(lang)
    name = name_col(lang)
    ind = indicators.set_index("code")
    reg_names = dict(zip(regions["iso"], regions[name], strict=True))
    rows = []
    for r in milestones.itertuples(index=False):
        if r.indicator == JAZARI and r.type == "target":
            continue  # the JAZARI network target is shown region by region
        done = r.status == "done"
        value = views.value_text(r.value, r.unit, lang)
        if done:
            detail = _("done in {period}", period=fmt_period(r.done_period, lang))
            if r.type != "event":
                detail = f"{value} · {detail}"
        elif r.type == "event":
            detail = _("due by the end of {year}", year=r.year)
        else:
            detail = _("{value} by {year}", value=value, year=r.year)
        rows.append(
            {
                "kind": r.type,
                "indicator": r.indicator,
                "region": "",
                "label": ind.at[r.indicator, name] if r.indicator in ind.index else r.indicator,
                "date": r.done_date if done and r.done_date else r.due_date,
                "state": r.status,
                "detail": detail,
                "source": "",
                "demo": "demo" in (r.flags or []),
            }
        )
    due_year = int(ind.at[JAZARI, "target_year"]) if JAZARI in ind.index else 2030
    for j in jazari_rows(observations, regions, today, due_year):
        place = reg_names.get(j["region"], j["region"])
        j["label"] = _("JAZARI institute · {region}", region=place)
        if j["state"] == "done":
            note = data_note(j["detail"], lang)
            j["detail"] = " · ".join(x for x in (fmt_period(j["period"], lang), note) if x)
        else:
            j["detail"] = _(
                "none reported; the network is to cover every region by {year}", year=due_year
            )
        rows.append({k: j[k] for k in TIMELINE_COLUMNS})
    t = pd.DataFrame(rows, columns=list(TIMELINE_COLUMNS))
    keep = t["kind"].isin(kinds or KINDS)
    if states:
        keep &= t["state"].isin(states)
    if region:
        keep &= t["region"] == region
    return t[keep].sort_values(["date", "label"], kind="stable").reset_index(drop=True)


def timeline_chart(t: pd.DataFrame, lang: str, *, rtl: bool, today: dt.date) -> go.Figure:
    """Dates across, one line per commitment (grouped by kind, each group by date): a marker per item
    coloured done / due / overdue, its kind in the hover, a dotted line at today."""
    _ = translator(lang)
    fig = go.Figure()
    order = t.assign(k=[list(KINDS).index(k) for k in t["kind"]]).sort_values(
        ["k", "date", "label"], kind="stable"
    )
    rows = [_short(x) for x in dict.fromkeys(order["label"])]
    for state in STATES:
        f = t[t["state"] == state]
        if not len(f):
            continue
        fig.add_trace(
            go.Scatter(
                x=f["date"],
                y=[_short(x) for x in f["label"]],
                mode="markers",
                name=_(STATES[state]),
                marker={
                    "color": STATE_COLOURS[state],
                    "symbol": STATE_SYMBOLS[state],
                    "size": 12,
                    "line": {"width": 2, "color": STATE_COLOURS[state]},
                },
                text=[
                    f"{lab}<br>{_(KINDS[k])}<br>{fmt_date(dt.date.fromisoformat(d), lang, 'medium')}"
                    f" · {det}"
                    for lab, k, d, det in zip(
                        f["label"], f["kind"], f["date"], f["detail"], strict=True
                    )
                ],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    fig.add_vline(x=today.isoformat(), line={"dash": "dot", "color": "#374151"})
    fig.add_annotation(
        x=today.isoformat(), y=1.0, yref="paper", yanchor="bottom", text=_("today"), showarrow=False
    )
    # The first commitment at the top; the labels on the reading side.
    fig.update_yaxes(
        categoryorder="array", categoryarray=rows[::-1], side="right" if rtl else "left"
    )
    fig.update_xaxes(type="date", autorange="reversed" if rtl else True)
    fig.update_layout(
        height=130 + 24 * max(len(rows), 1),
        margin={"l": 20, "r": 20, "t": 30, "b": 30},
        legend={
            "orientation": "h",
            "y": 1.0,
            "yanchor": "bottom",
            "x": 0 if rtl else 1,
            "xanchor": "left" if rtl else "right",
        },
        plot_bgcolor="#fff",
        font={"family": "Noto Sans Arabic, DejaVu Sans, sans-serif"},
    )
    return fig


def _short(label: str, limit: int = 48) -> str:
    """A row label on one line: a long name is cut at a word, with an ellipsis (the hover has it all)."""
    return label if len(label) <= limit else label[:limit].rsplit(" ", 1)[0] + "…"


def timeline_table(t: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The timeline as the page's table, in the language."""
    _ = translator(lang)
    return pd.DataFrame(
        {
            _("Date"): [fmt_date(dt.date.fromisoformat(d), lang, "medium") for d in t["date"]],
            _("Commitment"): t["label"].tolist(),
            _("State"): [_(STATES[s]) for s in t["state"]],
            _("Detail"): [
                d + (" · " + _("DEMO") if demo else "")
                for d, demo in zip(t["detail"], t["demo"], strict=True)
            ],
            _("Source"): [texts(lang).source(s) for s in t["source"]],
        }
    )
