"""The Indicator page's view: one indicator (national or one region) as localized metrics, texts and tables (no streamlit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from loaders.i18n import N_, fmt_number, name_col

from . import methods as m
from . import sources as src
from .contract import Detail
from .engine import indicator_detail
from .inputs import KpiInputs
from .milestones import milestones_table
from .periods import parse_periods
from .text import Texts, is_zero, isnum, texts
from .view_choices import Metric, region_options
from .view_explain import CONFIDENCE_LABELS, explain_lines, projection_reason_text
from .views import PROGRAMME_LABELS, coverage_text, group_label

DIRECTION_LABELS = {"up": N_("Higher is better"), "down": N_("Lower is better")}
KIND_LABELS = {
    "level": N_("Level (latest value counts)"),
    "flow": N_("Flow (summed over each year)"),
    "cumulative": N_("Cumulative total"),
    "milestone": N_("Milestone (done or not)"),
}
FREQUENCY_LABELS = {
    "quarterly": N_("Quarterly"),
    "annual": N_("Yearly"),
    "biennial": N_("Every two years"),
    "event": N_("When it happens"),
}
# Tone of a status -> colour of its badge on screen.
TONE_BADGE = {"good": "green", "watch": "orange", "bad": "red", "none": "gray"}


@dataclass
class IndicatorView:
    code: str
    region: str
    name: str
    region_name: str
    programme: str
    pillar: str
    facts: list[tuple[str, str]]
    status: str
    status_text: str
    badge_color: str
    method_text: str
    metrics: list[Metric]
    demo: bool
    has_data: bool
    empty_message: str
    known: list[str]
    explain: list[tuple[str, str]]
    flags: list[str]
    sources: list[tuple[str, str | None]]  # the catalog's, behind the target and baseline
    notes: str
    milestones: pd.DataFrame
    observations: pd.DataFrame
    chart_note: str
    detail: Detail = field(repr=False)
    # The sources of the values shown (each observation's own), as (institution, link or None).
    value_sources: list[tuple[str, str | None]] = field(default_factory=list)


def chart_note(detail: Detail, t: Texts) -> str:
    """What the lines of the trajectory chart mean, only for the lines that are drawn, and why no
    projection is drawn when there is none."""
    _ = t._
    parts = []
    if detail["trajectory"]["line"]:
        parts.append(
            _("Dashed: the expected path from the baseline through the milestones to the target.")
        )
    if detail["projection"]["points"]:
        parts.append(
            _(
                "Dotted: the projected trend; its shaded band shows how far past values strayed from "
                "the trend, not a probability."
            )
        )
    else:
        pr = detail["projection"]
        why = projection_reason_text(pr.get("reason"), t, (pr.get("target_date") or "")[:4])
        if why:
            parts.append(why)
    return " ".join(parts)


def value_sources(inputs: KpiInputs, code: str, region: str, lang: str) -> list:
    """The distinct sources of the current values of the indicator (DEMO values have none), newest
    first, as (institution in the language, link or None)."""
    obs = inputs.observations
    obs = obs[(obs["indicator"] == code) & ~obs["demo"].astype(bool)]
    if region:
        obs = obs[obs["region"] == region]
    out: list[tuple[str, str | None]] = []
    for text in obs.sort_values("period", ascending=False)["source"]:
        if isinstance(text, str):
            out += [e for e in src.entries(text, lang) if e not in out]
    return out


def indicator_milestones(inputs: KpiInputs, code: str, t: Texts, today: dt.date) -> pd.DataFrame:
    """Dated commitments of one indicator (event, intermediate milestones, final target): done, due or overdue."""
    _ = t._
    info = inputs.indicator(code)
    if not isnum(info.get("target_value")):
        return pd.DataFrame()
    ms = milestones_table(inputs.only([code]), today=today)
    ms = ms[ms["indicator"] == code]
    milestone = info["kind"] == "milestone"
    rows = []
    for r in ms.itertuples():
        status = t.label(m.MILESTONE_STATUS_LABELS, r.status)
        if r.status == "done" and r.on_time is False:
            status += " · " + _("late")
        flags = t.flags(r.flags)
        rows.append(
            {
                _("Type"): t.label(m.MILESTONE_TYPE_LABELS, r.type),
                _("Due date"): t.date(r.due_date),
                _("Value"): t.value(r.value, r.unit, milestone=milestone),
                _("Status"): status,
                _("Done on"): t.period(r.done_period) if r.done_period else "—",
                _("Flags"): t.semicolon.join(flags) if flags else "",
            }
        )
    return pd.DataFrame(rows)


def _where(r, t: Texts) -> str:
    parts = [t.file(r.file)] if isinstance(r.file, str) and r.file else []
    if isinstance(r.sheet, str) and r.sheet:
        parts.append(t.free(str(r.sheet)))
    if isnum(r.row_number):
        parts.append(t._("row {n}", n=int(r.row_number)))
    return " · ".join(parts)


def observation_table(inputs: KpiInputs, code: str, t: Texts, region: str = "") -> pd.DataFrame:
    """Every current value of the indicator (one region, or all rows for the national view), latest
    first, with its provenance: source, file and row, when and by whom it was loaded, DEMO, revised."""
    _ = t._
    info = inputs.indicator(code)
    milestone = info["kind"] == "milestone"
    obs = inputs.observations
    obs = obs[obs["indicator"] == code]
    if region:
        obs = obs[obs["region"] == region]
    if obs.empty:
        return pd.DataFrame()
    names = region_options(inputs, t.lang)
    reg_rank = {iso: i for i, iso in enumerate(names)}
    obs = obs.assign(_t=parse_periods(obs["period"])["t"], _r=obs["region"].map(reg_rank))
    obs = obs.sort_values(["_t", "_r"], ascending=[False, True], kind="stable")
    rows = []
    for r in obs.itertuples():
        loaded = r.loaded_at
        marks = ([_("DEMO")] if r.demo else []) + ([_("revised")] if r.revised else [])
        rows.append(
            {
                _("Period"): t.period(r.period),
                _("Region"): names.get(r.region, r.region),
                _("Value"): t.value(r.value, info["unit"], milestone=milestone),
                _("Flags"): " · ".join(marks),
                _("Source"): t.free(src.names(r.source, t.lang))
                if isinstance(r.source, str)
                else "",
                _("File / row"): _where(r, t),
                _("Loaded at"): t.date(loaded) if isinstance(loaded, pd.Timestamp) else "",
                _("Loaded by"): t.user(r.user_name) if isinstance(r.user_name, str) else "",
            }
        )
    return pd.DataFrame(rows)


def _facts(info: dict, pillar: str, t: Texts) -> list[tuple[str, str]]:
    _ = t._
    return [
        (_("Programme"), t.label(PROGRAMME_LABELS, info["programme"])),
        (_("Pillar"), pillar),
        (_("Unit"), t.unit(info["unit"]) or "—"),
        (_("Direction"), t.label(DIRECTION_LABELS, info["direction"])),
        (_("Kind"), t.label(KIND_LABELS, info["kind"])),
        (_("Frequency"), t.label(FREQUENCY_LABELS, info["frequency"])),
    ]


def _big(
    value, unit: str, t: Texts, *, milestone: bool = False, signed: bool = False
) -> tuple[str, str]:
    """A metric's big number and, apart, its unit: a unit word makes the big text too wide to fit."""
    if not isnum(value):
        return "—", ""
    if milestone or unit == "%":
        text = t.signed(value, unit) if signed else t.value(value, unit, milestone=milestone)
        return text, ""
    if signed:
        # A gap or a yearly change: a few significant digits are enough to read it.
        a = abs(value)
        number = fmt_number(value, t.lang, decimals=0 if a >= 100 else 1 if a >= 1 else 2)
        sign = "+" if value > 0 and not is_zero(number) else ""
        return t.ltr(sign + number), t.unit(unit, value)
    return t.num(value), t.unit(unit, value)


def _note(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _event_metrics(detail: Detail, t: Texts) -> list[Metric]:
    """An event (a law, a framework): when it is due, and when it was done."""
    _ = t._
    due = (detail["explain"].get("parameters") or {}).get("due_date")
    done = next((p for p in detail["quarterly"] if isnum(p.get("value")) and p["value"] >= 1), None)
    status = _("Done") if done else _("Overdue") if due and detail["today"] > due else _("Due")
    return [
        Metric(_("Due date"), t.date(due) if due else "—", status),
        Metric(
            _("Done on"),
            t.period(done["period"]) if done else "—",
            _("DEMO") if done and done.get("demo") else "",
        ),
    ]


def _trend_metrics(detail: Detail, t: Texts) -> list[Metric]:
    """An indicator without a target: its observed yearly growth and where its trend leads."""
    _ = t._
    g = detail["explain"].get("growth") or {}
    unit = detail["info"]["unit"]
    if g.get("observed_basis") == "cagr":
        growth, u = t.signed_pct(g.get("observed")), ""
    else:
        growth, u = _big(g.get("observed_change_per_year"), unit, t, signed=True)
    down = detail["info"]["direction"] == "down"
    pr = detail["projection"]
    value, pu = _big(pr.get("value"), unit, t)
    year = (pr.get("target_date") or "")[:4]
    if isnum(pr.get("low")):
        band = _(
            "band {low} to {high}",
            low=_big(pr["low"], unit, t)[0],
            high=_big(pr.get("high"), unit, t)[0],
        )
    elif not isnum(pr.get("value")):
        band = projection_reason_text(pr.get("reason"), t, year)
    else:
        band = ""
    return [
        Metric(
            _("Yearly growth"),
            growth,
            _note(u, _("lower is better") if down else ""),
            help=_("Observed change per year since the baseline"),
        ),
        Metric(
            _("Trend for {year}", year=year) if year else _("Projection"),
            value,
            _note(pu, band),
            help=_(
                "Where the weighted trend of the reported values leads; the band is past scatter, not a probability"
            ),
        ),
    ]


def _latest_metric(detail: Detail, t: Texts) -> Metric:
    _ = t._
    s, unit = detail["status"], detail["info"]["unit"]
    milestone = detail["info"]["kind"] == "milestone"
    latest = detail["explain"].get("latest") or {}
    if isnum(s.get("latest_value")):
        value, u = _big(s["latest_value"], unit, t, milestone=milestone)
        note = _note(
            u,
            t.period(s.get("latest_period")) if s.get("latest_period") else "",
            _("DEMO") if latest.get("demo") else "",
            coverage_text(s.get("latest_regions"), s.get("regions_total"), t.lang),
        )
    elif isnum(s.get("partial_value")):
        # A sum of only some regions: shown with its coverage, not used for progress or status.
        value, u = _big(s["partial_value"], unit, t)
        note = _note(
            u,
            t.period(s.get("partial_period")),
            _(
                "only {coverage}: not used for progress or status",
                coverage=coverage_text(s.get("partial_regions"), s.get("regions_total"), t.lang),
            ),
        )
    else:
        value, note = _("Not reported yet"), ""
    if "invalid-value" in (s.get("flags") or []):
        note = _note(note, _("a stored value is unusable and was left out"))
    return Metric(_("Latest value"), value, note)


def _target_metric(s: dict, unit: str, t: Texts) -> Metric:
    value, u = _big(s["target_value"], unit, t)
    year = str(s["target_year"]) if isnum(s.get("target_year")) else ""
    assumption = t._("assumption") if s.get("confidence") == "assumption" else ""
    return Metric(t._("Target"), value, _note(u, year, assumption))


def _path_metrics(detail: Detail, t: Texts) -> list[Metric]:
    """Progress, expected progress and the gap to the expected path (an indicator with a target)."""
    _ = t._
    s, unit = detail["status"], detail["info"]["unit"]
    progress = s.get("progress")
    pnote = ""
    if isnum(progress) and not 0 <= progress <= 1:
        pnote = _("uncapped: {value}", value=t.pct(progress))
    exp = s.get("expected_progress")
    gap = s.get("gap")
    value, u = _big(gap, unit, t, signed=True)
    gnote = ""
    if isnum(gap):
        ahead = (gap > 0) == (detail["info"]["direction"] != "down")
        where = (
            _("on the path")
            if gap == 0
            else _("ahead of the path")
            if ahead
            else _("behind the path")
        )
        gnote = _note(u, t.signed_pct(s.get("gap_pct")), where)
    return [
        Metric(
            _("Progress"),
            t.pct(s.get("progress_display")) if isnum(progress) else "—",
            pnote,
            help=_("(latest − baseline) / (target − baseline), shown between 0 and 100 %"),
        ),
        Metric(
            _("Expected progress"),
            t.pct(exp) if isnum(exp) else "—",
            _("at {period}", period=t.period(s.get("latest_period"))) if isnum(exp) else "",
            help=_(
                "Where the straight path from the baseline through the milestones to the target "
                "stood at the date of the latest value"
            ),
        ),
        Metric(
            _("Gap to the path"),
            value,
            gnote,
            help=_("Latest value minus the value expected on the path at the same date"),
        ),
    ]


def _metrics(detail: Detail, t: Texts) -> list[Metric]:
    _ = t._
    s, e, info = detail["status"], detail["explain"], detail["info"]
    unit = info["unit"]
    out = [_latest_metric(detail, t)]
    if info["kind"] == "milestone":
        return out + _event_metrics(detail, t)
    b = e.get("baseline") or {}
    value, u = _big(s.get("baseline_value"), unit, t)
    when = str(s["baseline_year"]) if isnum(s.get("baseline_year")) else ""
    if b.get("from") == "first-observation":
        when = _("first observation, {period}", period=t.period(b.get("period")))
    out.append(Metric(_("Baseline"), value, _note(u, when)))
    if not isnum(s.get("latest_value")):
        # Nothing reported: progress, expected progress and gap would only be dashes.
        out = [x for x in out if x.value != "—"]
        return out + ([_target_metric(s, unit, t)] if isnum(s.get("target_value")) else [])
    if isnum(s.get("target_value")):
        return out + [_target_metric(s, unit, t)] + _path_metrics(detail, t)
    if e.get("regional_target"):
        out.append(Metric(_("Target"), _("national only"), _("not split by region")))
    else:
        out.append(Metric(_("Target"), _("none (tracked only)"), ""))
    return out + _trend_metrics(detail, t)


def _known(info: dict, t: Texts) -> list[str]:
    """What is known of an indicator with no reported value: its target, baseline and frequency."""
    _ = t._
    known = []
    if isnum(info.get("target_value")):
        known.append(
            _(
                "Target: {value} by {year} (confidence: {confidence}).",
                value=t.value(
                    info["target_value"], info["unit"], milestone=info["kind"] == "milestone"
                ),
                year=int(info["target_year"]),
                confidence=t.label(CONFIDENCE_LABELS, info["confidence"]),
            )
        )
    if isnum(info.get("baseline_value")):
        known.append(
            _(
                "Baseline: {value} ({year})",
                value=t.value(info["baseline_value"], info["unit"]),
                year=int(info["baseline_year"]),
            )
        )
    known.append(
        _(
            "Reporting frequency: {frequency}. Values arrive through the upload page.",
            frequency=t.label(FREQUENCY_LABELS, info["frequency"]),
        )
    )
    return known


def indicator_view(
    inputs: KpiInputs,
    code: str,
    lang: str,
    *,
    region: str = "",
    today: dt.date | None = None,
    method: str = m.DEFAULT_METHOD,
) -> IndicatorView:
    """Everything the indicator page shows, computed once: texts, metrics, explain, tables and the detail."""
    t = texts(lang)
    _ = t._
    info = inputs.indicator(code)
    region = region if info["by_region"] else ""
    today = today or inputs.as_of or dt.date.today()
    detail = indicator_detail(inputs, code, today=today, method=method, region=region or None)
    s = detail["status"]
    pil = inputs.pillars
    hit = pil[(pil["programme"] == info["programme"]) & (pil["pillar"] == info["pillar"])]
    pillar = hit.iloc[0][name_col(t.lang)] if len(hit) else info["pillar"]
    where = region_options(inputs, t.lang).get(region, region)
    has_data = bool(s.get("n_points")) and isnum(s.get("latest_value"))
    if has_data:
        empty = ""
    elif region:
        empty = _("{region} has not reported a value for this indicator yet.", region=where)
    else:
        empty = _("No value has been reported for this indicator yet.")
    return IndicatorView(
        code=code,
        region=region,
        name=info[name_col(t.lang)],
        region_name=where,
        programme=t.label(PROGRAMME_LABELS, info["programme"]),
        pillar=pillar,
        facts=_facts(info, pillar, t),
        status=s.get("status") or "no-data",
        status_text=t.status(s.get("status")),
        badge_color=TONE_BADGE[m.STATUS_TONE.get(s.get("status"), "none")],
        method_text=_(
            "Method: {method} · counted on the Overview as: {group}",
            method=t.label(m.METHODS, method),
            group=group_label(s.get("status"), t.lang),
        ),
        metrics=_metrics(detail, t),
        demo=bool(s.get("demo")),
        has_data=has_data,
        empty_message=empty,
        known=[] if has_data else _known(info, t),
        explain=explain_lines(detail, t),
        flags=t.flags(s.get("flags")),
        sources=src.indicator_sources(code, info.get("sources"), t.lang),
        notes=t.free(
            src.catalog_note(code, info.get("notes"), t.lang, info.get(f"notes_{t.lang}"))
        ),
        milestones=pd.DataFrame() if region else indicator_milestones(inputs, code, t, today),
        observations=observation_table(inputs, code, t, region),
        chart_note=chart_note(detail, t),
        detail=detail,
        value_sources=value_sources(inputs, code, region, t.lang),
    )
