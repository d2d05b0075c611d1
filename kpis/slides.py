"""Presenter slides: the playlist spec (kept in the URL) and each slide's figure, title, source line, DEMO mark
and the data behind its chart (no streamlit here)."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from loaders.i18n import N_, fmt_date, fmt_number, fmt_percent, name_col, translator

from . import charts, charts_regions, views
from .engine import status_table
from .inputs import KpiInputs
from .methods import METHODS, STATUS_BY_METHOD, STATUS_LABELS
from .sources import data_note
from .view_indicator import indicator_view
from .view_regions import regions_view

KINDS = ("scorecard", "pillar", "indicator", "map", "peers")
KIND_LABELS = {
    "scorecard": N_("Scorecard"),
    "pillar": N_("Pillar"),
    "indicator": N_("Indicator trajectory"),
    "map": N_("Regions map"),
    "peers": N_("International ranks"),
}
MAX_SLIDES = 40
_TOKEN = re.compile(r"^(scorecard|peers|(pillar|indicator|map):([A-Za-z0-9_.\-]{1,40}))$")


@dataclass(frozen=True)
class SlideRef:
    """One entry of a playlist: `scorecard`, `pillar:SOV`, `indicator:IA.JOBS`, `map:IA.JOBS`, `peers`."""

    kind: str
    arg: str = ""

    @property
    def token(self) -> str:
        return f"{self.kind}:{self.arg}" if self.arg else self.kind


def parse_spec(spec: str | None) -> tuple[list[SlideRef], list[str]]:
    """The playlist of a URL's `slides=` (comma separated), and the tokens that were not understood."""
    refs, bad = [], []
    for raw in (spec or "").split(","):
        tok = raw.strip()
        if not tok:
            continue
        hit = _TOKEN.match(tok)
        if not hit or len(refs) >= MAX_SLIDES:
            bad.append(tok)
            continue
        refs.append(SlideRef(hit[2] or hit[1], hit[3] or ""))
    return refs, bad


def format_spec(refs: list[SlideRef]) -> str:
    return ",".join(r.token for r in refs)


def check_refs(refs: list[SlideRef], inputs: KpiInputs) -> tuple[list[SlideRef], list[str]]:
    """The refs whose pillar or indicator exists (a map needs a regional indicator), and the others."""
    codes = inputs.indicators.set_index("code")
    pillars = set(inputs.pillars["pillar"])
    ok, bad = [], []
    for r in refs:
        good = (
            r.kind in ("scorecard", "peers")
            or (r.kind == "pillar" and r.arg in pillars)
            or (r.kind == "indicator" and r.arg in codes.index)
            or (r.kind == "map" and r.arg in codes.index and bool(codes.loc[r.arg, "by_region"]))
        )
        (ok if good else bad).append(r if good else r.token)
    return ok, bad


def default_refs(inputs: KpiInputs) -> list[SlideRef]:
    """The scorecard: the roll-up, then one slide per pillar."""
    pil = _ordered(inputs)[1].sort_values("position")
    return [SlideRef("scorecard")] + [SlideRef("pillar", p) for p in pil["pillar"]]


def all_refs(inputs: KpiInputs) -> list[SlideRef]:
    """Every slide the builder offers: scorecard, pillars, each indicator's trajectory, regional maps, peers."""
    ind = inputs.indicators
    return (
        default_refs(inputs)
        + [SlideRef("indicator", code) for code in ind["code"]]
        + [SlideRef("map", code) for code in ind.loc[ind["by_region"].astype(bool), "code"]]
        + [SlideRef("peers")]
    )


def ref_label(ref: SlideRef, inputs: KpiInputs, lang: str) -> str:
    """How the playlist builder names a slide: 'Pillar — Sovereignty and trust'."""
    _ = translator(lang)
    kind = _(KIND_LABELS[ref.kind])
    if ref.kind == "pillar":
        hit = inputs.pillars[inputs.pillars["pillar"] == ref.arg]
        return f"{kind} — {hit.iloc[0][name_col(lang)]}" if len(hit) else ref.token
    if ref.kind in ("indicator", "map"):
        hit = inputs.indicators[inputs.indicators["code"] == ref.arg]
        return f"{kind} — {hit.iloc[0][name_col(lang)]}" if len(hit) else ref.token
    return kind


@dataclass
class Slide:
    ref: SlideRef
    title: str
    subtitle: str
    figure: go.Figure | None
    source: str
    demo: bool
    data: pd.DataFrame  # the figures behind the chart (CSV / XLSX download)
    tiles: list[tuple[str, str]] = field(default_factory=list)  # big numbers: (label, value)
    note: str = ""

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9_-]+", "-", self.ref.token).strip("-") or "slide"


def show_context(lang: str, as_of: dt.date | None, method: str) -> str:
    """'Figures as known on 30 June 2026 · status method: …' or 'Latest figures · …' (title slide, page)."""
    _ = translator(lang)
    m = _(METHODS.get(method, method))
    if as_of:
        return _(
            "Figures as known on {date} · status method: {method}",
            date=fmt_date(as_of, lang, "long"),
            method=m,
        )
    return _("Latest figures · status method: {method}", method=m)


def build_slides(
    inputs: KpiInputs,
    refs: list[SlideRef],
    lang: str,
    *,
    today: dt.date,
    method: str,
    status: pd.DataFrame | None = None,
) -> list[Slide]:
    if status is None:
        status = status_table(inputs, today=today, method=method)
    return [build_slide(inputs, r, lang, today=today, method=method, status=status) for r in refs]


def build_slide(
    inputs: KpiInputs,
    ref: SlideRef,
    lang: str,
    *,
    today: dt.date,
    method: str,
    status: pd.DataFrame,
) -> Slide:
    """One slide: its figure from the kpis chart builders, its texts in `lang`, its source line."""
    if ref.kind == "scorecard":
        return _scorecard(inputs, status, lang, method)
    if ref.kind == "pillar":
        return _pillar(inputs, status, ref, lang)
    if ref.kind == "indicator":
        return _indicator(inputs, ref, lang, today, method)
    if ref.kind == "map":
        return _map(inputs, ref, lang)
    return _peers(inputs, lang)


def _ordered(inputs: KpiInputs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indicators and pillars with a `position` (the inputs keep catalog order without the column)."""
    ind, pil = inputs.indicators, inputs.pillars
    if "position" not in ind:
        ind = ind.assign(position=range(len(ind)))
    if "position" not in pil:
        pil = pil.assign(position=range(len(pil)))
    return ind, pil


def _national(status: pd.DataFrame) -> pd.DataFrame:
    return status[status["region"].fillna("") == ""]


def _status_order(method: str) -> list[str]:
    order = [c for c in STATUS_BY_METHOD[method] + STATUS_BY_METHOD["trend"] if c != "no-data"]
    return list(dict.fromkeys(order + ["no-data"]))


def _scorecard(inputs: KpiInputs, status: pd.DataFrame, lang: str, method: str) -> Slide:
    _ = translator(lang)
    counts = views.pillar_status_counts(status, _ordered(inputs)[1], lang)
    labels = {k: _(v) for k, v in STATUS_LABELS.items()}
    order = _status_order(method)
    fig = charts.status_bars(counts, lang, labels=labels, order=order)
    data = counts.drop(columns=["programme", "pillar"]).rename(
        columns={"pillar_label": _("Pillar")}
    )
    data = data.rename(columns={c: labels.get(c, c) for c in data.columns})
    heads = views.headline_counts(status)
    nat = _national(status)
    tiles = [(_("Indicators"), fmt_number(len(nat), lang))] + [
        (_(views.TONE_LABELS[t]), fmt_number(heads[t], lang)) for t in views.TONE_ORDER
    ]
    return Slide(
        SlideRef("scorecard"),
        _("Roadmap progress"),
        _("Maroc IA 2030 and Maroc Digital 2030: indicators by status, pillar by pillar"),
        fig,
        _(
            "Source: figures published by the ministries and agencies, and the reports loaded in"
            " Marsad; targets from the roadmap catalog; status method: {method}",
            method=_(METHODS.get(method, method)),
        ),
        bool(nat["demo"].any()),
        data,
        tiles,
    )


def _pillar(inputs: KpiInputs, status: pd.DataFrame, ref: SlideRef, lang: str) -> Slide:
    _ = translator(lang)
    ind, pil = _ordered(inputs)
    secs = [s for s in views.overview_sections(status, ind, pil, lang) if s.pillar == ref.arg]
    sec = secs[0]
    nat = _national(status).set_index("indicator")
    rows = nat.reindex(sec.codes)
    names = list(sec.table[_(views.COL_INDICATOR)])
    fig = progress_bars(rows, names, lang, title=None)
    sources = sorted({s for s in sec.table[_(views.COL_SOURCE)] if s})
    return Slide(
        ref,
        sec.pillar_label,
        _(
            "{programme} · progress of each indicator towards its target",
            programme=sec.programme_label,
        ),
        fig,
        _("Sources: {sources}", sources="; ".join(sources)) if sources else "",
        bool(rows["demo"].fillna(False).astype(bool).any()),
        sec.table,
    )


def progress_bars(rows: pd.DataFrame, names: list[str], lang: str, *, title: str | None):
    """Each indicator's progress towards its target (0–100 %), coloured by status, with the progress
    expected today as a tick; indicators without a target get no bar and say so."""
    _ = translator(lang)
    prog = [_pct_or_none(p) for p in rows["progress_display"]]
    expected = [_pct_or_none(p) for p in rows["expected_now_progress"]]
    labels = [_wrap(n) for n in names]
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=[p if p is not None else 0 for p in prog],
        orientation="h",
        marker_color=[
            charts.STATUS_COLORS.get(s, "#999") for s in rows["status"].fillna("no-data")
        ],
        text=[
            fmt_percent(p / 100, lang) if p is not None else _("no target or no value")
            for p in prog
        ],
        textposition="outside",
        cliponaxis=False,
        name=_("Progress"),
        hovertemplate="%{y}: %{text}<extra></extra>",
    )
    ex = [(lab, e) for lab, e in zip(labels, expected, strict=True) if e is not None]
    if ex:
        fig.add_scatter(
            y=[lab for lab, _e in ex],
            x=[e for _lab, e in ex],
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 26, "line": {"width": 3, "color": "#111"}},
            name=_("Expected today"),
            hoverinfo="skip",
        )
    fig.update_layout(height=120 + 70 * len(labels), showlegend=bool(ex))
    span = [0, 125]
    fig.update_xaxes(range=span[::-1] if lang == "ar" else span, title=_("Progress (%)"))
    fig.update_yaxes(autorange="reversed", automargin=True)
    return charts._base(fig, lang, title=title, demo=bool(rows["demo"].fillna(False).any()))


def _pct_or_none(x) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else max(0.0, min(v * 100, 120.0))


def _wrap(text: str, width: int = 38) -> str:
    """A long indicator name on two or three lines (plotly breaks only at <br>)."""
    words, lines, cur = str(text).split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "<br>".join(lines[:3])


def _latest_source(detail: dict, info: dict, lang: str) -> str:
    _ = translator(lang)
    latest = (detail.get("explain") or {}).get("latest") or {}
    catalog_src = "; ".join(
        s.strip() for s in str(info.get("sources") or "").split(";") if s.strip()
    )
    if latest.get("demo"):
        first = _("DEMO value generated by Marsad (illustrative, not an official figure)")
    elif latest.get("derived"):
        first = _("sum or mean of {n} regional reports", n=int(latest.get("n_regions") or 0))
    elif latest.get("source") or latest.get("file"):
        first = str(latest.get("source") or latest.get("file"))
    else:
        first = ""
    parts = [_("Source: {source}", source=first)] if first else []
    if catalog_src:
        parts.append(_("catalog: {sources}", sources=catalog_src))
    return " · ".join(parts)


def _indicator(inputs: KpiInputs, ref: SlideRef, lang: str, today: dt.date, method: str) -> Slide:
    _ = translator(lang)
    v = indicator_view(inputs, ref.arg, lang, today=today, method=method)
    info = inputs.indicator(ref.arg)
    fig = charts.trajectory_chart(v.detail, lang) if v.has_data else None
    tiles = [(m.label, m.value) for m in v.metrics[:3]]
    return Slide(
        ref,
        v.name,
        f"{v.pillar} · {v.status_text}",
        fig,
        _latest_source(v.detail, info, lang),
        v.demo,
        v.observations,
        tiles,
        "" if v.has_data else v.empty_message,
    )


def _map(inputs: KpiInputs, ref: SlideRef, lang: str) -> Slide:
    _ = translator(lang)
    v = regions_view(inputs, ref.arg, lang)
    fig = None
    if v.has_data:
        fig = charts_regions.region_map(
            v.frame,
            lang,
            value_col="measure",
            label_col="label",
            hover_col="hover",
            title=None,
            colorbar_title="",
            demo=v.demo,
            reverse_scale=v.reverse_scale,
            lagging=set(v.lagging),
        )
    return Slide(
        ref,
        v.name,
        f"{v.period_label} · {v.measure_label} · {v.coverage}" if v.has_data else v.coverage,
        fig,
        _(
            "Source: regional reports loaded in Marsad; population: 2024 census (HCP); map: {attribution}",
            attribution=charts.MAP_ATTRIBUTION,
        ),
        v.demo,
        v.table,
        note="" if v.has_data else _("No region has reported this indicator yet."),
    )


@lru_cache(maxsize=1)
def _editions() -> pd.DataFrame:
    from loaders.catalog import load_catalog

    return pd.DataFrame([e.model_dump() for e in load_catalog().index_editions])


def peers_table(lang: str) -> pd.DataFrame:
    """Morocco's rank by index and edition, with the share of ranked countries behind it (so editions
    of different sizes compare) and the method changes."""
    _ = translator(lang)
    ed = _editions().sort_values(["index", "edition"])
    behind = (ed["countries_ranked"] - ed["morocco_rank"]) / ed["countries_ranked"]
    return pd.DataFrame(
        {
            _("Index"): [_(x) for x in ed["index"]],  # index names are msgids (data/locales)
            _("Edition"): ed["edition"],
            _("Rank"): ed["morocco_rank"],
            _("Countries ranked"): ed["countries_ranked"],
            _("Countries behind Morocco (%)"): (behind * 100).round(1),
            _("Series note"): [data_note(n, lang) for n in ed["series_note"].fillna("")],
            _("Source"): ed["source"],
        }
    )


def _site(source: str) -> str:
    """The publication's site of a source ('maghress.com/hespress/436604' -> 'maghress.com'): the slide's
    line stays short; the full addresses are in the data download."""
    return str(source).split("/")[0].split(" ")[0]


def _peers(inputs: KpiInputs, lang: str) -> Slide:
    _ = translator(lang)
    ed = _editions().sort_values(["index", "edition"])
    fig = go.Figure()
    for name, grp in ed.groupby("index", sort=False):
        behind = (grp["countries_ranked"] - grp["morocco_rank"]) / grp["countries_ranked"] * 100
        breaks = grp["series_note"].fillna("").astype(bool)
        fig.add_scatter(
            x=grp["edition"],
            y=behind,
            mode="lines+markers",
            name=_wrap(_(name), 48),
            marker={
                "size": [16 if b else 10 for b in breaks],
                "symbol": ["x" if b else "circle" for b in breaks],
            },
            customdata=[
                [fmt_number(r, lang), fmt_number(n, lang)]
                for r, n in zip(grp["morocco_rank"], grp["countries_ranked"], strict=True)
            ],
            hovertemplate=_("Rank {rank} of {n}", rank="%{customdata[0]}", n="%{customdata[1]}")
            + "<extra></extra>",
        )
    fig.update_layout(height=520, legend={"orientation": "h", "y": -0.15, "yanchor": "top"})
    fig.update_yaxes(range=[0, 100], title=_("Countries behind Morocco (%)"))
    fig.update_xaxes(dtick=1, title=_("Edition"))
    if lang == "ar":
        fig.update_xaxes(autorange="reversed")
    fig = charts._base(fig, lang)
    fig.update_layout(legend={"orientation": "h", "y": -0.2, "yanchor": "top"})
    return Slide(
        SlideRef("peers"),
        _("Morocco in the international indices"),
        _("Share of the ranked countries behind Morocco, edition by edition (✕: method changed)"),
        fig,
        _("Sources: {sources}", sources="; ".join(dict.fromkeys(_site(x) for x in ed["source"]))),
        False,
        peers_table(lang),
    )


def for_screen(fig: go.Figure, *, height: int | None, font_size: int = 17) -> go.Figure:
    """The same figure, larger type for a projector (a copy: the cached figure is left as it is);
    `height=None`: as tall as the box it is drawn in."""
    out = go.Figure(fig)
    out.layout.height = height
    out.update_layout(
        autosize=True,
        font={"size": font_size, "color": "#000000"},
        hoverlabel={"font": {"size": font_size}},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
    )
    out.update_layout(legend={"font": {"size": font_size - 2, "color": "#000"}})
    axis = {
        "gridcolor": "#c8c8c8",
        "linecolor": "#000",
        "tickfont": {"size": font_size, "color": "#000"},
        "title": {"font": {"size": font_size - 1, "color": "#000"}},
    }
    out.update_xaxes(**axis)
    out.update_yaxes(**axis)
    if out.layout.map.zoom is not None and height is None:
        out.update_layout(map={"zoom": out.layout.map.zoom + 0.45})  # a whole window for the map
    return out
