"""Display helpers for the Indicator, Regions and Methodology pages: KPI results as localized, sourced text and tables (no streamlit)."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from loaders.i18n import N_, fmt_date, fmt_number, fmt_percent, fmt_period, name_col, translator

from . import methods as m
from .charts import MAP_ATTRIBUTION
from .disparity import disparity
from .engine import indicator_detail
from .inputs import KpiInputs
from .milestones import milestones_table
from .periods import parse_period, parse_periods, period_t
from .units import is_intensive
from .views import (
    PROGRAMME_LABELS,
    coverage_text,
    flag_labels,
    group_label,
    status_label,
    unit_label,
    value_text,
)

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
CONFIDENCE_LABELS = {
    "official-launch": N_("Official launch figure"),
    "official-agreement": N_("Signed agreement"),
    "official-index": N_("Published international index"),
    "statement": N_("Minister's statement"),
    "press": N_("Press report"),
    "assumption": N_("Assumption to be confirmed"),
}
CONFIDENCE_MEANINGS = {
    "official-launch": N_("Figure announced at the official launch of the strategy."),
    "official-agreement": N_("Figure written in a signed convention."),
    "official-index": N_("Rank or score published by an international index."),
    "statement": N_("Figure given by a minister (speech, parliamentary answer)."),
    "press": N_("Figure reported by the press, by one or several outlets."),
    "assumption": N_(
        "No year or value was published: the dashboard shows it as an assumption "
        "that an administrator must confirm."
    ),
}
KNOT_LABELS = {
    "baseline": N_("Baseline"),
    "milestone": N_("Intermediate milestone"),
    "target": N_("Final target"),
}
MODEL_LABELS = {"linear": N_("straight-line trend"), "log-linear": N_("constant-growth trend")}
# Tone of a status -> colour of its badge on screen.
TONE_BADGE = {"good": "green", "watch": "orange", "bad": "red", "none": "gray"}


def label_of(labels: dict[str, str], code: str, lang: str) -> str:
    """The translated label of a code (the code itself when it has none)."""
    return translator(lang)(labels.get(code, code))


def _isnum(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x)) and x is not pd.NA


def _date(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso[:10]) if iso else None


# Arabic paragraphs run right to left; a signed number or a formula inside one is isolated as
# left-to-right so "-18,8" does not show as "18,8-" and "0,60 ≤ R" keeps its order.
LRI, PDI = "\u2066", "\u2069"


def ltr(text: str, lang: str) -> str:
    return f"{LRI}{text}{PDI}" if lang == "ar" else text


FSI = "\u2068"


def free(text: str, lang: str) -> str:
    """Free text from the data (file names, catalog notes in English) keeps its own direction in Arabic."""
    return f"{FSI}{text}{PDI}" if lang == "ar" and text else text


def comma(lang: str) -> str:
    return "، " if lang == "ar" else ", "


def semicolon(lang: str) -> str:
    return "؛ " if lang == "ar" else "; "


def _num(x, lang: str, d: int | None = None) -> str:
    text = fmt_number(x, lang, decimals=d)
    return ltr(text, lang) if _isnum(x) and x < 0 else text


def _pct(x, lang: str, d: int = 0) -> str:
    text = fmt_percent(x, lang, decimals=d)
    return ltr(text, lang) if _isnum(x) and x < 0 else text


def _signed(value, unit, lang) -> str:
    """A change with its sign and unit ("+340 jobs", "-18,8 MW")."""
    if not _isnum(value):
        return "—"
    sign = "+" if value > 0 else ""
    if unit == "%":
        number = fmt_percent(value / 100, lang, decimals=0 if float(value).is_integer() else 1)
        return ltr(sign + number, lang)
    return f"{ltr(sign + fmt_number(value, lang), lang)} {unit_label(unit, lang)}".strip()


def _signed_pct(ratio, lang, decimals=1) -> str:
    if not _isnum(ratio):
        return "—"
    return ltr(("+" if ratio > 0 else "") + fmt_percent(ratio, lang, decimals=decimals), lang)


# -- choices ----------------------------------------------------------------------------------------


def indicator_options(
    inputs: KpiInputs, lang: str, *, regional_only: bool = False
) -> dict[str, str]:
    """code -> "Pillar — Indicator name" in the language, ordered by programme, pillar, then catalog order."""
    return catalog_indicator_options(
        inputs.indicators, inputs.pillars, lang, regional_only=regional_only
    )


def catalog_indicator_options(
    indicators: pd.DataFrame, pillars: pd.DataFrame, lang: str, *, regional_only: bool = False
) -> dict[str, str]:
    """The same choices from the catalog tables (indicator, pillar) of the store."""
    name = name_col(lang)
    if "position" in pillars:
        pillars = pillars.sort_values("position")
    if "position" in indicators:
        indicators = indicators.sort_values("position")
    pillars = pillars.reset_index(drop=True)
    rank = {(p.programme, p.pillar): i for i, p in enumerate(pillars.itertuples())}
    plabel = {(p.programme, p.pillar): getattr(p, name) for p in pillars.itertuples()}
    ind = indicators.reset_index(drop=True)
    if regional_only:
        ind = ind[ind["by_region"].astype(bool)]
    rows = sorted(
        ind.itertuples(),
        key=lambda i: (rank.get((i.programme, i.pillar), len(rank)), i.Index),
    )
    return {
        i.code: f"{plabel.get((i.programme, i.pillar), i.pillar)} — {getattr(i, name)}"
        for i in rows
    }


def region_options(inputs: KpiInputs, lang: str) -> dict[str, str]:
    """'' (national) then every region ISO code -> its name in the language."""
    _ = translator(lang)
    name = name_col(lang)
    out = {"": _("National")}
    out.update({r.iso: getattr(r, name) for r in inputs.regions.itertuples()})
    return out


def first_with_data(inputs: KpiInputs, codes: list[str], *, regional: bool = False) -> str:
    """The first of `codes` with a reported value (by a region when `regional`), else the first code:
    a page opened without a choice shows figures rather than an empty state when it can."""
    obs = inputs.observations
    if regional:
        obs = obs[obs["region"] != ""]
    have = set(obs["indicator"])
    return next((c for c in codes if c in have), codes[0])


def regional_periods(inputs: KpiInputs, code: str) -> list[str]:
    """Periods with at least one regional report, latest first (years for flows: they compare yearly totals)."""
    info = inputs.indicator(code)
    obs = inputs.observations
    periods = obs.loc[
        (obs["indicator"] == code) & (obs["region"] != ""), "period"
    ].drop_duplicates()
    if info["kind"] == "flow":
        years = sorted({parse_period(p)[0] for p in periods}, reverse=True)
        return [str(y) for y in years]
    return sorted(periods, key=period_t, reverse=True)


# -- indicator page ---------------------------------------------------------------------------------


@dataclass
class Metric:
    label: str
    value: str
    note: str = ""
    help: str | None = None


def projection_reason_text(reason: str | None, lang: str, year=None) -> str:
    """Why no projection is shown, with the numbers of the rule (methods.PROJECTION_*)."""
    _ = translator(lang)
    if not reason or reason not in m.PROJECTION_REASONS:
        return ""
    return _(
        m.PROJECTION_REASONS[reason],
        points=fmt_number(m.PROJECTION_MIN_POINTS, lang),
        years=fmt_number(m.PROJECTION_MIN_SPAN_YEARS, lang),
        year=str(year or m.PROJECTION_HORIZON_YEAR),
        multiple=fmt_number(m.PROJECTION_MAX_MULTIPLE, lang),
    )


def chart_note(detail: dict, lang: str) -> str:
    """What the lines of the trajectory chart mean, only for the lines that are drawn, and why no
    projection is drawn when there is none."""
    _ = translator(lang)
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
        why = projection_reason_text(pr.get("reason"), lang, (pr.get("target_date") or "")[:4])
        if why:
            parts.append(why)
    return " ".join(parts)


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
    sources: list[tuple[str, str | None]]
    notes: str
    milestones: pd.DataFrame
    observations: pd.DataFrame
    chart_note: str
    detail: dict = field(repr=False)


def _provenance(p: dict | None, lang: str, unit: str | None = None) -> str:
    """Where one value came from, as a sentence: DEMO, derived from regions, or batch/file/sheet/row."""
    _ = translator(lang)
    if not p:
        return ""
    if p.get("demo"):
        return _("DEMO value generated by Marsad (illustrative, not an official figure)")
    if p.get("derived"):
        how = _("population-weighted mean") if m.aggregation(unit or "") == "mean" else _("sum")
        return _("derived from {n} regions ({how})", n=int(p.get("n_regions") or 0), how=how)
    parts = []
    if p.get("batch_id") is not None:
        parts.append(_("batch {n}", n=p["batch_id"]))
    if p.get("file"):
        parts.append(_("file {name}", name=free(p["file"], lang)))
    if p.get("sheet"):
        parts.append(_("sheet {name}", name=free(p["sheet"], lang)))
    if p.get("row_number") is not None:
        parts.append(_("row {n}", n=int(p["row_number"])))
    if p.get("loaded_at"):
        parts.append(
            _(
                "loaded on {date} by {user}",
                date=fmt_date(_date(p["loaded_at"]), lang),
                user=free(p.get("user_name") or "—", lang),
            )
        )
    if p.get("source"):
        parts.append(_("source: {source}", source=free(p["source"], lang)))
    if p.get("revised"):
        parts.append(_("revised value"))
    return comma(lang).join(parts)


def _param_text(name: str, value, formula: str, lang: str) -> str:
    _ = translator(lang)
    if name == "due_date":
        return _("due on {date}", date=fmt_date(_date(value), lang))
    if name == "on_track":
        return _("on track from {v} of the expected progress", v=fmt_percent(value, lang))
    if name == "needs_acceleration":
        return _("needs acceleration from {v}", v=fmt_percent(value, lang))
    if name == "wrong_way_lookback_years":
        return _(
            "moving the wrong way is judged against a value at least {v} year(s) older",
            v=fmt_number(value, lang),
        )
    if name == "stable_band":
        return _("stable within ± {v} a year", v=fmt_percent(value, lang, decimals=1))
    # Thresholds on growth (no target) are rates; on the growth ratio they are plain ratios.
    trend = formula.startswith("trend")
    shown = _pct(value, lang, 1) if trend else _num(value, lang, 2)
    if name == "substantial":
        return _("substantial from {v}", v=shown)
    if name == "moderate":
        return _("moderate from {v}", v=shown)
    if name == "limited":
        return _("limited from {v}", v=shown)
    return f"{name} = {value}"


def _knot_text(k: dict, unit: str, lang: str) -> str:
    _ = translator(lang)
    return _(
        "{kind} ({date}: {value})",
        kind=label_of(KNOT_LABELS, k["kind"], lang),
        date=fmt_date(_date(k["date"]), lang),
        value=value_text(k["value"], unit, lang),
    )


def explain_lines(detail: dict, lang: str) -> list[tuple[str, str]]:
    """The explain dict in words, for a minister: (what, how it was obtained)."""
    _ = translator(lang)
    e, s, info = detail["explain"], detail["status"], detail["info"]
    unit = info["unit"]
    milestone = info["kind"] == "milestone"
    out: list[tuple[str, str]] = []

    b = e.get("baseline")
    if b and _isnum(b.get("value")):
        val = value_text(b["value"], unit, lang)
        if b.get("from") == "catalog":
            text = _(
                "{value} in {year}, from the catalog (sources: {source})",
                value=val,
                year=b["year"],
                source=free(b.get("source") or "—", lang),
            )
        elif b.get("from") == "first-observation":
            text = _(
                "{value} in {period}: no baseline was published, so the first observation is used",
                value=val,
                period=fmt_period(b.get("period"), lang),
            )
            prov = _provenance(b, lang, unit)
            text += f" ({prov})" if prov else ""
        else:
            text = _(
                "{value} in {period}, the value observed in the baseline year",
                value=val,
                period=fmt_period(b.get("period"), lang),
            )
        out.append((_("Baseline"), text))
    elif not milestone:
        out.append((_("Baseline"), _("No baseline yet: nothing was reported.")))

    lt = e.get("latest")
    if lt and _isnum(lt.get("value")):
        text = _(
            "{value} in {period}",
            value=value_text(lt["value"], unit, lang, milestone=milestone),
            period=fmt_period(lt.get("period"), lang),
        )
        prov = _provenance(lt, lang, unit)
        out.append((_("Latest value"), f"{text} — {prov}" if prov else text))

    t = e.get("target")
    if t and _isnum(t.get("value")):
        conf = t.get("confidence") or ""
        text = _(
            "{value} by {year}; confidence: {confidence}",
            value=value_text(t["value"], unit, lang, milestone=milestone),
            year=t["year"],
            confidence=label_of(CONFIDENCE_LABELS, conf, lang),
        )
        if conf == "assumption":
            text += " — " + _(
                "ASSUMPTION: no year or value was published; an administrator must confirm it."
            )
        out.append((_("Target"), text))
    elif e.get("regional_target"):
        out.append(
            (
                _("Target"),
                _(
                    "The national target is not split by region: this region is judged on its trend."
                ),
            )
        )
    else:
        out.append(
            (_("Target"), _("No target was published: the indicator is judged on its trend."))
        )

    used = e.get("milestone_used")
    if used:
        out.append(
            (
                _("Milestone used"),
                _(
                    "the expected path runs from {left} to {right}",
                    left=_knot_text(used["left"], unit, lang),
                    right=_knot_text(used["right"], unit, lang),
                ),
            )
        )
    elif e.get("milestones"):
        out.append(
            (
                _("Milestones"),
                comma(lang).join(
                    f"{ms['year']}: {value_text(ms['value'], unit, lang)}" for ms in e["milestones"]
                ),
            )
        )

    p = e.get("progress") or {}
    if _isnum(p.get("value")) and not milestone:
        parts = [
            _(
                "progress {progress} = (latest − baseline) / (target − baseline)",
                progress=fmt_percent(p["value"], lang),
            )
        ]
        if _isnum(p.get("expected")):
            parts.append(
                _(
                    "expected at {period}: {value}, that is {progress} of the way",
                    period=fmt_period(s.get("latest_period"), lang),
                    value=value_text(p.get("expected_value"), unit, lang),
                    progress=fmt_percent(p["expected"], lang),
                )
            )
        now = p.get("expected_now") or {}
        if _isnum(now.get("value")):
            parts.append(
                _(
                    "expected on {date}: {value} ({progress})",
                    date=fmt_date(_date(now.get("date")), lang),
                    value=value_text(now["value"], unit, lang),
                    progress=fmt_percent(now.get("progress"), lang),
                )
            )
        if _isnum(p.get("ratio_to_expected")):
            parts.append(
                _(
                    "ratio to the expected progress: {ratio}",
                    ratio=fmt_number(p["ratio_to_expected"], lang, decimals=2),
                )
            )
        out.append((_("Progress"), semicolon(lang).join(parts)))

    g = e.get("growth") or {}
    if _isnum(g.get("observed")) and not milestone:
        if g.get("observed_basis") == "cagr":
            text = _("observed {rate} a year", rate=_signed_pct(g["observed"], lang))
        else:
            text = _(
                "observed {change} a year",
                change=_signed(g.get("observed_change_per_year"), unit, lang),
            )
        if _isnum(g.get("required_from_latest")) or _isnum(g.get("required_change_per_year")):
            if g.get("required_basis") == "cagr" and _isnum(g.get("required_from_latest")):
                req = _signed_pct(g["required_from_latest"], lang)
            else:
                req = _signed(g.get("required_change_per_year"), unit, lang)
            text += semicolon(lang) + _(
                "required from now to reach the target: {rate} a year", rate=req
            )
        out.append((_("Yearly growth"), text))

    formula = e.get("formula") or ""
    params = comma(lang).join(
        _param_text(k, v, formula, lang) for k, v in (e.get("parameters") or {}).items()
    )
    out.append(
        (
            _("Formula"),
            label_of(m.FORMULA_LABELS, formula, lang) + (f" — {params}" if params else ""),
        )
    )
    out.append(
        (
            _("Status"),
            _(
                "{status}, with the method: {method}",
                status=status_label(e.get("status"), lang),
                method=label_of(m.METHODS, e.get("method") or "", lang),
            ),
        )
    )

    pr = e.get("projection") or {}
    if pr.get("model") and _isnum(pr.get("value")):
        out.append(
            (
                _("Projection"),
                _(
                    "{value} on {date} ({model}, {n} points); trend band {low} to {high}. "
                    "The band shows how far past values strayed from the trend; it is not a probability.",
                    value=value_text(pr["value"], unit, lang),
                    date=fmt_date(_date(pr.get("date")), lang),
                    model=label_of(MODEL_LABELS, pr["model"], lang),
                    n=pr.get("points") or 0,
                    low=value_text(pr.get("low"), unit, lang),
                    high=value_text(pr.get("high"), unit, lang),
                ),
            )
        )
    elif not milestone and lt:
        why = projection_reason_text(pr.get("reason"), lang, (pr.get("date") or "")[:4])
        out.append((_("Projection"), why or _("none")))
    if detail.get("as_of"):
        when = _(
            "as known on {date}: only data loaded by then is used",
            date=fmt_date(_date(detail["as_of"]), lang),
        )
    else:
        when = _(
            "on {date}, with all data loaded so far", date=fmt_date(_date(detail["today"]), lang)
        )
    out.append((_("Computed"), when))
    return out


_HOST_PATH = re.compile(r"^[\w.-]+\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)


def source_links(sources: str | None) -> list[tuple[str, str | None]]:
    """The catalog's `sources` ('host/path; host/path (note)') as (text, url or None)."""
    out = []
    for part in (sources or "").split(";"):
        part = part.strip()
        if not part:
            continue
        url = "https://" + part if _HOST_PATH.match(part) else None
        out.append((part, url))
    return out


def indicator_milestones(inputs: KpiInputs, code: str, lang: str, today: dt.date) -> pd.DataFrame:
    """Dated commitments of one indicator (event, intermediate milestones, final target): done, due or overdue."""
    _ = translator(lang)
    info = inputs.indicator(code)
    if not _isnum(info.get("target_value")):
        return pd.DataFrame()
    ms = milestones_table(inputs.only([code]), today=today)
    ms = ms[ms["indicator"] == code]
    milestone = info["kind"] == "milestone"
    rows = []
    for r in ms.itertuples():
        status = label_of(m.MILESTONE_STATUS_LABELS, r.status, lang)
        if r.status == "done" and r.on_time is False:
            status += " · " + _("late")
        flags = flag_labels(r.flags, lang)
        rows.append(
            {
                _("Type"): label_of(m.MILESTONE_TYPE_LABELS, r.type, lang),
                _("Due date"): fmt_date(_date(r.due_date), lang),
                _("Value"): value_text(r.value, r.unit, lang, milestone=milestone),
                _("Status"): status,
                _("Done on"): fmt_period(r.done_period, lang) if r.done_period else "—",
                _("Flags"): semicolon(lang).join(flags) if flags else "",
            }
        )
    return pd.DataFrame(rows)


def observation_table(inputs: KpiInputs, code: str, lang: str, region: str = "") -> pd.DataFrame:
    """Every current value of the indicator (one region, or all rows for the national view), latest
    first, with its provenance: source, file and row, when and by whom it was loaded, DEMO, revised."""
    _ = translator(lang)
    info = inputs.indicator(code)
    milestone = info["kind"] == "milestone"
    obs = inputs.observations
    obs = obs[obs["indicator"] == code]
    if region:
        obs = obs[obs["region"] == region]
    if obs.empty:
        return pd.DataFrame()
    names = region_options(inputs, lang)
    t = parse_periods(obs["period"])["t"]
    reg_rank = {iso: i for i, iso in enumerate(names)}
    obs = obs.assign(_t=t, _r=obs["region"].map(reg_rank)).sort_values(
        ["_t", "_r"], ascending=[False, True], kind="stable"
    )

    def where(r) -> str:
        parts = [str(r.file)] if isinstance(r.file, str) and r.file else []
        if isinstance(r.sheet, str) and r.sheet:
            parts.append(str(r.sheet))
        if _isnum(r.row_number):
            parts.append(_("row {n}", n=int(r.row_number)))
        return " · ".join(parts)

    rows = []
    for r in obs.itertuples():
        loaded = r.loaded_at
        marks = ([_("DEMO")] if r.demo else []) + ([_("revised")] if r.revised else [])
        rows.append(
            {
                _("Period"): fmt_period(r.period, lang),
                _("Region"): names.get(r.region, r.region),
                _("Value"): value_text(r.value, info["unit"], lang, milestone=milestone),
                _("Flags"): " · ".join(marks),
                _("Source"): r.source if isinstance(r.source, str) else "",
                _("File / row"): where(r),
                _("Loaded at"): fmt_date(loaded.to_pydatetime(), lang)
                if isinstance(loaded, pd.Timestamp)
                else "",
                _("Loaded by"): r.user_name if isinstance(r.user_name, str) else "",
            }
        )
    return pd.DataFrame(rows)


def _facts(info: dict, pillar: str, lang: str) -> list[tuple[str, str]]:
    _ = translator(lang)
    return [
        (_("Programme"), label_of(PROGRAMME_LABELS, info["programme"], lang)),
        (_("Pillar"), pillar),
        (_("Unit"), unit_label(info["unit"], lang) or "—"),
        (_("Direction"), label_of(DIRECTION_LABELS, info["direction"], lang)),
        (_("Kind"), label_of(KIND_LABELS, info["kind"], lang)),
        (_("Frequency"), label_of(FREQUENCY_LABELS, info["frequency"], lang)),
    ]


def _big(
    value, unit: str, lang: str, *, milestone: bool = False, signed: bool = False
) -> tuple[str, str]:
    """A metric's big number and, apart, its unit: a unit word makes the big text too wide to fit."""
    if not _isnum(value):
        return "—", ""
    if milestone or unit == "%":
        text = (
            _signed(value, unit, lang)
            if signed
            else value_text(value, unit, lang, milestone=milestone)
        )
        return text, ""
    if signed:
        # A gap or a yearly change: a few significant digits are enough to read it.
        a = abs(value)
        number = fmt_number(value, lang, decimals=0 if a >= 100 else 1 if a >= 1 else 2)
        return ltr(("+" if value > 0 else "") + number, lang), unit_label(unit, lang)
    return fmt_number(value, lang), unit_label(unit, lang)


def _note(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _event_metrics(detail: dict, lang: str) -> list[Metric]:
    """An event (a law, a framework): when it is due, and when it was done."""
    _ = translator(lang)
    due = (detail["explain"].get("parameters") or {}).get("due_date")
    done = next(
        (p for p in detail["quarterly"] if _isnum(p.get("value")) and p["value"] >= 1), None
    )
    status = _("Done") if done else _("Overdue") if due and detail["today"] > due else _("Due")
    return [
        Metric(_("Due date"), fmt_date(_date(due), lang) if due else "—", status),
        Metric(
            _("Done on"),
            fmt_period(done["period"], lang) if done else "—",
            _("DEMO") if done and done.get("demo") else "",
        ),
    ]


def _trend_metrics(detail: dict, lang: str) -> list[Metric]:
    """An indicator without a target: its observed yearly growth and where its trend leads."""
    _ = translator(lang)
    g = detail["explain"].get("growth") or {}
    unit = detail["info"]["unit"]
    if g.get("observed_basis") == "cagr":
        growth, u = _signed_pct(g.get("observed"), lang), ""
    else:
        growth, u = _big(g.get("observed_change_per_year"), unit, lang, signed=True)
    down = detail["info"]["direction"] == "down"
    pr = detail["projection"]
    value, pu = _big(pr.get("value"), unit, lang)
    year = (pr.get("target_date") or "")[:4]
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
            _note(
                pu,
                _(
                    "band {low} to {high}",
                    low=_big(pr.get("low"), unit, lang)[0],
                    high=_big(pr.get("high"), unit, lang)[0],
                )
                if _isnum(pr.get("low"))
                else projection_reason_text(pr.get("reason"), lang, year)
                if not _isnum(pr.get("value"))
                else "",
            ),
            help=_(
                "Where the weighted trend of the reported values leads; the band is past scatter, not a probability"
            ),
        ),
    ]


def _metrics(detail: dict, lang: str) -> list[Metric]:
    _ = translator(lang)
    s, e, info = detail["status"], detail["explain"], detail["info"]
    unit = info["unit"]
    milestone = info["kind"] == "milestone"
    latest = e.get("latest") or {}
    out = []
    if _isnum(s.get("latest_value")):
        value, u = _big(s["latest_value"], unit, lang, milestone=milestone)
        note = _note(
            u,
            fmt_period(s.get("latest_period"), lang) if s.get("latest_period") else "",
            _("DEMO") if latest.get("demo") else "",
            coverage_text(s.get("latest_regions"), s.get("regions_total"), lang),
        )
    elif _isnum(s.get("partial_value")):
        # A sum of only some regions: shown with its coverage, not used for progress or status.
        value, u = _big(s["partial_value"], unit, lang)
        note = _note(
            u,
            fmt_period(s.get("partial_period"), lang),
            _(
                "only {coverage}: not used for progress or status",
                coverage=coverage_text(s.get("partial_regions"), s.get("regions_total"), lang),
            ),
        )
    else:
        value, note = _("Not reported yet"), ""
    if "invalid-value" in (s.get("flags") or []):
        note = _note(note, _("a stored value is unusable and was left out"))
    out.append(Metric(_("Latest value"), value, note))
    if not milestone:
        b = e.get("baseline") or {}
        value, u = _big(s.get("baseline_value"), unit, lang)
        when = str(s["baseline_year"]) if _isnum(s.get("baseline_year")) else ""
        if b.get("from") == "first-observation":
            when = _("first observation, {period}", period=fmt_period(b.get("period"), lang))
        out.append(Metric(_("Baseline"), value, _note(u, when)))
    if milestone:
        return out + _event_metrics(detail, lang)
    if not _isnum(s.get("latest_value")):
        # Nothing reported: progress, expected progress and gap would only be dashes.
        out = [x for x in out if x.value != "—"]
        if _isnum(s.get("target_value")):
            value, u = _big(s["target_value"], unit, lang)
            assumption = _("assumption") if s.get("confidence") == "assumption" else ""
            out.append(Metric(_("Target"), value, _note(u, str(s["target_year"]), assumption)))
        return out
    if _isnum(s.get("target_value")):
        value, u = _big(s["target_value"], unit, lang)
        note = _note(
            u,
            str(s["target_year"]) if _isnum(s.get("target_year")) else "",
            _("assumption") if s.get("confidence") == "assumption" else "",
        )
        out.append(Metric(_("Target"), value, note))
    elif e.get("regional_target"):
        out.append(Metric(_("Target"), _("national only"), _("not split by region")))
        return out + _trend_metrics(detail, lang)
    else:
        out.append(Metric(_("Target"), _("none (tracked only)"), ""))
        return out + _trend_metrics(detail, lang)
    progress = s.get("progress")
    pnote = ""
    if _isnum(progress) and not 0 <= progress <= 1:
        pnote = _("uncapped: {value}", value=_pct(progress, lang))
    out.append(
        Metric(
            _("Progress"),
            fmt_percent(s.get("progress_display"), lang) if _isnum(progress) else "—",
            pnote,
            help=_("(latest − baseline) / (target − baseline), shown between 0 and 100 %"),
        )
    )
    exp = s.get("expected_progress")
    out.append(
        Metric(
            _("Expected progress"),
            _pct(exp, lang) if _isnum(exp) else "—",
            _("at {period}", period=fmt_period(s.get("latest_period"), lang))
            if _isnum(exp)
            else "",
            help=_(
                "Where the straight path from the baseline through the milestones to the target "
                "stood at the date of the latest value"
            ),
        )
    )
    gap = s.get("gap")
    value, u = _big(gap, unit, lang, signed=True)
    gnote = ""
    if _isnum(gap):
        ahead = (gap > 0) == (info["direction"] != "down")
        where = (
            _("on the path")
            if gap == 0
            else _("ahead of the path")
            if ahead
            else _("behind the path")
        )
        gnote = _note(u, _signed_pct(s.get("gap_pct"), lang), where)
    out.append(
        Metric(
            _("Gap to the path"),
            value,
            gnote,
            help=_("Latest value minus the value expected on the path at the same date"),
        )
    )
    return out


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
    _ = translator(lang)
    info = inputs.indicator(code)
    region = region if info["by_region"] else ""
    today = today or inputs.as_of or dt.date.today()
    detail = indicator_detail(inputs, code, today=today, method=method, region=region or None)
    s = detail["status"]
    name = info[name_col(lang)]
    pil = inputs.pillars
    hit = pil[(pil["programme"] == info["programme"]) & (pil["pillar"] == info["pillar"])]
    pillar = hit.iloc[0][name_col(lang)] if len(hit) else info["pillar"]
    regions = region_options(inputs, lang)
    has_data = bool(s.get("n_points")) and _isnum(s.get("latest_value"))
    tone = m.STATUS_TONE.get(s.get("status"), "none")
    where = regions.get(region, region)
    empty = ""
    known = []
    if not has_data:
        empty = (
            _("{region} has not reported a value for this indicator yet.", region=where)
            if region
            else _("No value has been reported for this indicator yet.")
        )
        if _isnum(info.get("target_value")):
            known.append(
                _(
                    "Target: {value} by {year} (confidence: {confidence}).",
                    value=value_text(
                        info["target_value"],
                        info["unit"],
                        lang,
                        milestone=info["kind"] == "milestone",
                    ),
                    year=int(info["target_year"]),
                    confidence=label_of(CONFIDENCE_LABELS, info["confidence"], lang),
                )
            )
        if _isnum(info.get("baseline_value")):
            known.append(
                _(
                    "Baseline: {value} ({year})",
                    value=value_text(info["baseline_value"], info["unit"], lang),
                    year=int(info["baseline_year"]),
                )
            )
        known.append(
            _(
                "Reporting frequency: {frequency}. Values arrive through the upload page.",
                frequency=label_of(FREQUENCY_LABELS, info["frequency"], lang),
            )
        )
    flags = [f for f in s.get("flags") or [] if f in m.FLAG_LABELS]
    return IndicatorView(
        code=code,
        region=region,
        name=name,
        region_name=where,
        programme=label_of(PROGRAMME_LABELS, info["programme"], lang),
        pillar=pillar,
        facts=_facts(info, pillar, lang),
        status=s.get("status") or "no-data",
        status_text=status_label(s.get("status"), lang),
        badge_color=TONE_BADGE[tone],
        method_text=_(
            "Method: {method} · counted on the Overview as: {group}",
            method=label_of(m.METHODS, method, lang),
            group=group_label(s.get("status"), lang),
        ),
        metrics=_metrics(detail, lang),
        demo=bool(s.get("demo")),
        has_data=has_data,
        empty_message=empty,
        known=known,
        explain=explain_lines(detail, lang),
        flags=flag_labels(flags, lang),
        sources=source_links(info.get("sources")),
        notes=free(info.get("notes") or "", lang),
        milestones=indicator_milestones(inputs, code, lang, today)
        if not region
        else pd.DataFrame(),
        observations=observation_table(inputs, code, lang, region),
        chart_note=chart_note(detail, lang),
        detail=detail,
    )


# -- regions page -----------------------------------------------------------------------------------


@dataclass
class RegionsView:
    code: str
    name: str
    period: str | None
    period_label: str
    measure_label: str
    frame: pd.DataFrame  # iso, label, measure, value_text, measure_text, hover (one row per region)
    table: pd.DataFrame
    metrics: list[Metric]
    lagging: list[str]  # ISO codes
    lagging_names: list[str]
    missing_names: list[str]
    definition: str
    notes: list[str]
    reference: float | None
    reference_text: str
    demo: bool
    has_data: bool
    reverse_scale: bool
    known: list[str]
    raw: dict = field(repr=False)
    comparison: str = "per-capita"
    comparison_text: str = ""
    coverage: str = ""
    lagging_judged: bool = True


COMPARISON_LABELS = {
    "per-capita": N_("per {scale} inhabitants"),
    "share": N_("share of the national total"),
    "absolute": N_("as reported"),
    "none": N_("not compared"),
}
COMPARISON_WHY = {
    "per-capita": N_(
        "Compared per {scale} inhabitants (2024 census): a count or an amount grows with the population, so "
        "the raw totals would favour the largest regions. A region lags below {ratio} of the national "
        "reference (the national total per {scale} inhabitants)."
    ),
    "share": N_(
        "Compared as each region's share of the total of the regions that reported: it shows where the "
        "capacity sits, not a performance, so no region is called lagging."
    ),
    "absolute-intensive": N_(
        "Compared as reported: a percentage, rank or index is comparable between regions as it is. A region "
        "lags below {ratio} of the population-weighted mean of the regions."
    ),
    "absolute": N_(
        "Compared as reported: a count of one-per-region facilities (an institute, a site) is not scaled by "
        "population, which would make the smallest region look many times ahead; no region is called lagging."
    ),
    "none": N_(
        "Not compared between regions: the catalog marks this indicator's regional values as not comparable. "
        "The values are listed as reported."
    ),
}


def _measure_text(x, comparison: str, unit: str, lang: str) -> str:
    if not _isnum(x):
        return "—"
    if comparison == "share":
        return fmt_percent(x / 100, lang, decimals=1)
    if comparison != "per-capita":
        # The number alone when the unit is a word (the chart title names it), so a bar label
        # such as "1 institutes" is not cut at the plot's edge.
        return value_text(x, unit, lang) if is_intensive(unit) else fmt_number(x, lang)
    if x == 0:
        return fmt_number(0, lang)
    return fmt_number(x, lang, decimals=None if abs(x) >= 10 else 2 if abs(x) >= 0.1 else 3)


def coverage_sentence(n: int, total: int, missing: list[str], lang: str) -> str:
    """'5 of 12 regions reported; missing: A, B' (or every region reported), right-to-left safe."""
    _ = translator(lang)
    if not missing:
        return _("All {total} regions reported.", total=total)
    return _(
        "{n} of {total} regions reported; missing: {names}.",
        n=n,
        total=total,
        names=comma(lang).join(missing),
    )


def regions_view(
    inputs: KpiInputs, code: str, lang: str, *, period: str | None = None
) -> RegionsView:
    """The regional comparison of one indicator at one period (default: the latest reported), by the
    catalog's `comparison` of the indicator (per-capita | share | absolute | none)."""
    _ = translator(lang)
    info = inputs.indicator(code)
    unit = info["unit"]
    d = disparity(inputs.usable(), code, period=period)
    comparison = d["comparison"]
    intensive = comparison == "absolute" and is_intensive(unit)
    scale = fmt_number(d["per_capita_scale"], lang)
    if comparison == "per-capita":
        measure_label = _(
            "{unit} per {scale} inhabitants", unit=unit_label(unit, lang), scale=scale
        )
    elif comparison == "share":
        measure_label = _("Share of the national total")
    else:
        measure_label = unit_label(unit, lang) or _("Value")
    name = name_col(lang)
    lag = set(d["lagging"])
    rows, table = [], []
    yes = _("yes")
    for r in d["regions"]:
        label = r[name]
        reported = r.get("reported", r["value"] is not None)
        vtxt = (
            value_text(r["value"], unit, lang)
            if reported and _isnum(r["value"])
            else _("No report")
        )
        mtxt = _measure_text(r["measure"], comparison, unit, lang)
        bits = [vtxt]
        if comparison in ("per-capita", "share") and _isnum(r["measure"]):
            bits.append(f"{measure_label}: {mtxt}")
        if r["lagging"]:
            bits.append(_("lagging"))
        if r["carried"]:
            bits.append(_("last reported {period}", period=fmt_period(r["period"], lang)))
        if r["incomplete_year"]:
            bits.append(_("incomplete year"))
        if r["demo"]:
            bits.append(_("DEMO"))
        rows.append(
            {
                "iso": r["iso"],
                "label": label,
                "measure": r["measure"],
                "value_text": vtxt,
                "measure_text": mtxt,
                "hover": " · ".join(bits),
            }
        )
        row = {_("Region"): label, _("Value"): vtxt}
        if comparison in ("per-capita", "share"):
            row[measure_label] = mtxt
        if d["lagging_judged"]:
            row[_("Relative to the national reference")] = (
                fmt_percent(r["relative_to_reference"], lang)
                if _isnum(r["relative_to_reference"])
                else "—"
            )
        row[_("Period")] = fmt_period(r["period"], lang) if r["period"] and reported else "—"
        if d["lagging_judged"]:
            row[_("Lagging")] = yes if r["lagging"] else ""
        row[_("DEMO")] = yes if r["demo"] else ""
        table.append(row)
    frame = pd.DataFrame(rows)
    tab = pd.DataFrame(table)
    if len(frame):
        # Best first in the indicator's direction; regions with no report last.
        key = (
            frame["measure"]
            if comparison != "none"
            else pd.Series([r["value"] for r in d["regions"]], dtype=float)
        )
        best_first = key.sort_values(
            ascending=info["direction"] == "down", na_position="last", kind="stable"
        )
        tab = tab.loc[best_first.index].reset_index(drop=True)
    has_data = d["reported"] > 0 or bool(frame["measure"].notna().any()) if len(frame) else False
    ref_text = _measure_text(d["reference"], comparison, unit, lang)
    metrics = []
    total = len(d["regions"])
    missing_names = [r[name] for r in d["regions"] if not r.get("reported", r["value"] is not None)]
    if has_data:
        metrics = [
            Metric(
                _("Regions reported"),
                ltr(f"{d['reported']} / {total}", lang),
                _("missing: {n}", n=len(missing_names)) if missing_names else _("all regions"),
            )
        ]
        if comparison != "none":
            metrics.append(
                Metric(
                    _("Spread between regions"),
                    fmt_percent(d["cv"], lang) if _isnum(d["cv"]) else "—",
                    _("coefficient of variation"),
                    help=_("Standard deviation of the regions' values divided by their mean"),
                )
            )
            metrics.append(
                Metric(
                    _("Highest / lowest"),
                    (fmt_number(d["max_min_ratio"], lang, decimals=1) + " ×")
                    if _isnum(d["max_min_ratio"])
                    else "—",
                    _("ratio of the highest to the lowest region")
                    if _isnum(d["max_min_ratio"])
                    else _("undefined: a region is at 0 or alone"),
                )
            )
        if d["lagging_judged"]:
            metrics += [
                Metric(
                    _("National reference"),
                    ref_text,
                    _("population-weighted mean") if intensive else measure_label,
                ),
                Metric(
                    _("Lagging regions"),
                    ltr(f"{len(lag)} / {len(frame)}", lang),
                    _("below {ratio} of the reference", ratio=fmt_percent(m.LAGGING_RATIO, lang))
                    if info["direction"] != "down"
                    else _(
                        "above the reference divided by {ratio}",
                        ratio=fmt_number(m.LAGGING_RATIO, lang, 2),
                    ),
                ),
            ]
    why_key = "absolute-intensive" if intensive else comparison
    comparison_text = _(
        COMPARISON_WHY[why_key], scale=scale, ratio=fmt_percent(m.LAGGING_RATIO, lang)
    )
    definition = (
        comparison_text
        + " "
        + _(
            "The coefficient of variation is the standard deviation of the compared values divided by their mean."
        )
    )
    notes = [coverage_sentence(d["reported"], total, missing_names, lang)]
    if any(r["carried"] for r in d["regions"]):
        notes.append(
            _(
                "Where a region did not report in this period, its last earlier value is used (its period is shown)."
            )
        )
    if "incomplete-year" in d["flags"]:
        notes.append(
            _("Some yearly totals are incomplete: not every quarter of the year was reported.")
        )
    if info["frequency"] == "event" and info["kind"] == "cumulative":
        notes.append(_("A region that never reported an opening counts as 0."))
    if inputs.invalid()[
        (inputs.observations["indicator"] == code).to_numpy()
        & (inputs.observations["region"] != "").to_numpy()
    ].any():
        notes.append(_("A stored regional value is unusable and was left out."))
    known = []
    if not has_data:
        if _isnum(info.get("target_value")):
            known.append(
                _(
                    "National target: {value} by {year}.",
                    value=value_text(info["target_value"], unit, lang),
                    year=int(info["target_year"]),
                )
            )
        known.append(_("The national target is not split by region."))
    period_label = fmt_period(d["period"], lang) if d["period"] else "—"
    return RegionsView(
        code=code,
        name=info[name],
        period=d["period"],
        period_label=period_label,
        measure_label=measure_label,
        frame=frame,
        table=tab,
        metrics=metrics,
        lagging=sorted(lag),
        lagging_names=[r[name] for r in d["regions"] if r["lagging"]],
        missing_names=missing_names,
        definition=definition,
        notes=notes,
        reference=d["reference"],
        reference_text=_("National reference: {value}", value=ref_text),
        demo="demo" in d["flags"],
        has_data=has_data,
        reverse_scale=info["direction"] == "down",
        known=known,
        raw=d,
        comparison=comparison,
        comparison_text=comparison_text,
        coverage=coverage_sentence(d["reported"], total, missing_names, lang),
        lagging_judged=d["lagging_judged"],
    )


# -- methodology page -------------------------------------------------------------------------------


@dataclass
class DocSection:
    """One part of the methodology: blocks in reading order, each ("text", str), ("bullets", [str]),
    or ("tables", [(title, DataFrame), ...]) where several tables sit side by side."""

    key: str
    title: str
    blocks: list[tuple[str, object]] = field(default_factory=list)

    def text(self, *texts: str) -> DocSection:
        self.blocks += [("text", t) for t in texts]
        return self

    def bullets(self, items: list[str]) -> DocSection:
        self.blocks.append(("bullets", list(items)))
        return self

    def tables(self, *tables: tuple[str, pd.DataFrame]) -> DocSection:
        self.blocks.append(("tables", list(tables)))
        return self


def method_note_params(lang: str) -> dict[str, dict[str, str]]:
    """The placeholders of methods.METHOD_NOTES, formatted for the language from the same constants."""

    def pct(x, d=0):
        return fmt_percent(x, lang, decimals=d)

    return {
        "trajectory": {
            "on_track": pct(m.TRAJECTORY_ON_TRACK),
            "needs": pct(m.TRAJECTORY_NEEDS_ACCELERATION),
        },
        "growth": {
            "high": fmt_number(m.GROWTH_RATIO_SUBSTANTIAL, lang, 2),
            "mid": fmt_number(m.GROWTH_RATIO_MODERATE, lang, 2),
        },
        "no_target": {"high": pct(m.NO_TARGET_SUBSTANTIAL, 1), "mid": pct(m.NO_TARGET_MODERATE, 1)},
        "projection": {
            "half_life": fmt_number(m.PROJECTION_HALF_LIFE_YEARS, lang),
            "points": fmt_number(m.PROJECTION_MIN_POINTS, lang),
            "years": fmt_number(m.PROJECTION_MIN_SPAN_YEARS, lang),
            "level": fmt_number(m.PROJECTION_LOG_MIN_LEVEL, lang),
            "multiple": fmt_number(m.PROJECTION_MAX_MULTIPLE, lang),
        },
        "stale": {"grace": fmt_number(m.STALE_GRACE_MONTHS, lang)},
        "disparity": {"scale": fmt_number(m.PER_CAPITA_SCALE, lang), "ratio": pct(m.LAGGING_RATIO)},
    }


def method_note(key: str, lang: str) -> str:
    """One rule of methods.METHOD_NOTES in the language, its numbers formatted for the locale."""
    _ = translator(lang)
    params = method_note_params(lang)
    for k, msgid, _p in m.METHOD_NOTES:
        if k == key:
            return _(msgid, **params.get(k, {}))
    raise KeyError(key)


def _status_table(lang: str, rules: list[tuple[str, str]]) -> pd.DataFrame:
    _ = translator(lang)
    return pd.DataFrame(
        [{_("Status"): status_label(code, lang), _("Rule"): rule} for code, rule in rules]
    )


def methodology_sections(
    lang: str, indicators: pd.DataFrame | None = None, method: str | None = None
) -> list[DocSection]:
    """The methodology in words and tables; every number is read from kpis.methods, not re-typed."""
    _ = translator(lang)

    def pct(x, d=0):
        return _pct(x, lang, d)

    def num(x, d=None):
        return _num(x, lang, d)

    def ratio(x):
        return num(x, 2)

    def growth(x):
        return pct(x, 1)

    def rule(text):
        return ltr(text, lang)

    out = []
    no_data = _("No value yet, or nothing to measure progress from.")

    s = DocSection("status", _("Statuses and how they are judged"))
    s.text(
        _(
            "Each indicator gets one status. The method is chosen in the sidebar (in use now: {method}); "
            "the indicator page shows the method and formula behind every status.",
            method=label_of(m.METHODS, method or m.DEFAULT_METHOD, lang),
        ),
        method_note("trajectory", lang),
    )
    s.tables(
        (
            label_of(m.METHODS, "trajectory", lang),
            _status_table(
                lang,
                [
                    (
                        "achieved",
                        _("The latest value has reached the target, in the indicator's direction."),
                    ),
                    (
                        "on-track",
                        _(
                            "Progress is at least {v} of the progress expected at the date of the latest value.",
                            v=pct(m.TRAJECTORY_ON_TRACK),
                        ),
                    ),
                    (
                        "needs-acceleration",
                        _(
                            "Progress is from {low} to less than {high} of the expected progress.",
                            low=pct(m.TRAJECTORY_NEEDS_ACCELERATION),
                            high=pct(m.TRAJECTORY_ON_TRACK),
                        ),
                    ),
                    (
                        "off-track",
                        _(
                            "Progress is below {v} of the expected progress, or the value moved away from the "
                            "target compared with a value at least {years} year(s) older.",
                            v=pct(m.TRAJECTORY_NEEDS_ACCELERATION),
                            years=num(m.WRONG_WAY_LOOKBACK_YEARS),
                        ),
                    ),
                    ("no-data", no_data),
                ],
            ),
        )
    )

    def bands(fmt, thresholds, at_least, between, below):
        """The four growth-ratio statuses from three thresholds (high, middle, low), highest first."""
        hi, mid, lo = (fmt(t) for t in thresholds)
        return [
            ("substantial", rule(at_least.format(v=hi))),
            ("moderate", rule(between.format(low=mid, high=hi))),
            ("limited", rule(between.format(low=lo, high=mid))),
            ("deterioration", rule(below.format(v=lo))),
        ]

    s.text(
        method_note("growth", lang),
        _(
            "R = observed yearly growth since the baseline ÷ yearly growth required to reach the target on time."
        ),
    )
    s.tables(
        (
            label_of(m.METHODS, "growth-ratio", lang),
            _status_table(
                lang,
                [
                    *bands(
                        ratio,
                        (
                            m.GROWTH_RATIO_SUBSTANTIAL,
                            m.GROWTH_RATIO_MODERATE,
                            m.GROWTH_RATIO_LIMITED,
                        ),
                        _("R ≥ {v}"),
                        _("{low} ≤ R < {high}"),
                        _("R < {v}"),
                    ),
                    ("no-data", no_data),
                ],
            ),
        )
    )
    s.text(method_note("no_target", lang))
    s.tables(
        (
            _(
                "Without a target, growth-ratio method (g = observed yearly growth, in the good direction)"
            ),
            _status_table(
                lang,
                bands(
                    growth,
                    (m.NO_TARGET_SUBSTANTIAL, m.NO_TARGET_MODERATE, m.NO_TARGET_LIMITED),
                    _("g ≥ {v}"),
                    _("{low} ≤ g < {high}"),
                    _("g < {v}"),
                ),
            ),
        ),
        (
            _("Without a target, trajectory method"),
            _status_table(
                lang,
                [
                    ("improving", rule(_("g > +{v}", v=growth(m.TREND_STABLE_BAND)))),
                    ("stable", rule(_("−{v} ≤ g ≤ +{v}", v=growth(m.TREND_STABLE_BAND)))),
                    ("worsening", rule(_("g < −{v}", v=growth(m.TREND_STABLE_BAND)))),
                ],
            ),
        ),
    )
    event_state = {
        "done": _("Done"),
        "pending": _("Not yet done, not yet due"),
        "overdue": _("Not done after its due date"),
    }
    s.text(_("Events (a law adopted, a framework published…) are judged on their due date:"))
    s.tables(
        (
            "",
            pd.DataFrame(
                [
                    {
                        _("Event"): event_state[k],
                        label_of(m.METHODS, "trajectory", lang): status_label(
                            m.EVENT_TRAJECTORY_STATUS[k], lang
                        ),
                        label_of(m.METHODS, "growth-ratio", lang): status_label(
                            m.EVENT_GROWTH_STATUS[k], lang
                        ),
                        _("Score"): num(m.EVENT_SCORES[k], 1),
                    }
                    for k in ("done", "pending", "overdue")
                ]
            ),
        )
    )
    s.text(
        _(
            "The Overview counts the statuses in these groups, the same on every page and in the command "
            "line (status_group in `python -m kpis status --json`). An indicator without a target is never "
            "counted as on track: it is judged on its trend only."
        )
    )
    s.tables(
        (
            _("Status groups"),
            pd.DataFrame(
                [
                    {
                        _("Group"): _(m.STATUS_GROUP_LABELS[g]),
                        _("Statuses"): comma(lang).join(
                            status_label(c, lang) for c, gg in m.STATUS_GROUP.items() if gg == g
                        ),
                    }
                    for g in m.STATUS_GROUP_ORDER
                ]
            ),
        )
    )
    out.append(s)

    s = DocSection("score", _("Scores and pillar roll-up"))
    s.text(
        method_note("score", lang),
        _(
            "The score is read on a broken line through the points below, clamped between {low} and {high}.",
            low=num(m.SCORE_MIN, 0),
            high=num(m.SCORE_MAX, 0),
        ),
    )
    s.tables(
        (
            _("With a target: growth ratio R → score"),
            pd.DataFrame([{"R": ratio(x), _("Score"): num(y, 1)} for x, y in m.SCORE_TARGET_KNOTS]),
        ),
        (
            _("Without a target: yearly growth g → score"),
            pd.DataFrame(
                [{"g": growth(x), _("Score"): num(y, 1)} for x, y in m.SCORE_NO_TARGET_KNOTS]
            ),
        ),
    )
    out.append(s)

    s = DocSection("series", _("Series, roll-up and national values"))
    s.text(
        *[method_note(k, lang) for k in ("periods", "rollup", "national", "baseline", "progress")]
    )
    out.append(s)

    s = DocSection("projection", _("Expected path and projection"))
    s.text(
        method_note("projection", lang),
        _(
            "Indicators without a target are projected to {year}, the end of the roadmap. On the indicator "
            "page the projected trend is a dotted line with its shaded band.",
            year=str(m.PROJECTION_HORIZON_YEAR),
        ),
    )
    param, value = _("Parameter"), _("Value")
    s.tables(
        (
            _("Projection parameters"),
            pd.DataFrame(
                [
                    {
                        param: _("Half-life of a point's weight"),
                        value: _("{n} years", n=num(m.PROJECTION_HALF_LIFE_YEARS)),
                    },
                    {param: _("Minimum number of points"), value: num(m.PROJECTION_MIN_POINTS)},
                    {
                        param: _("Minimum span of the points"),
                        value: _("{n} years", n=num(m.PROJECTION_MIN_SPAN_YEARS)),
                    },
                    {
                        param: _("Constant growth only from a level of"),
                        value: num(m.PROJECTION_LOG_MIN_LEVEL),
                    },
                    {
                        param: _("Largest projection shown"),
                        value: _(
                            "{k} × the larger of the target and the latest value",
                            k=num(m.PROJECTION_MAX_MULTIPLE),
                        ),
                    },
                    {
                        param: _("Band width"),
                        value: _("± {k} residual standard error", k=num(m.PROJECTION_BAND_K)),
                    },
                    {param: _("Horizon without a target"), value: str(m.PROJECTION_HORIZON_YEAR)},
                ]
            ),
        ),
        (
            _("When a value becomes stale"),
            pd.DataFrame(
                [
                    {
                        _("Frequency"): label_of(FREQUENCY_LABELS, f, lang),
                        _("Stale after"): _("{n} months", n=num(months + m.STALE_GRACE_MONTHS))
                        if months
                        else _("never (events)"),
                    }
                    for f, months in m.FREQUENCY_MONTHS.items()
                ]
            ),
        ),
    )
    s.text(method_note("stale", lang))
    out.append(s)

    s = DocSection("disparity", _("Regional disparity"))
    s.text(method_note("disparity", lang))
    scale_txt = num(m.PER_CAPITA_SCALE)
    s.tables(
        (
            _("How each indicator's regions are compared (catalog column comparison)"),
            pd.DataFrame(
                [
                    {
                        _("Comparison"): _(
                            COMPARISON_LABELS[k.replace("-intensive", "")], scale=scale_txt
                        ),
                        _("Rule"): _(
                            COMPARISON_WHY[k], scale=scale_txt, ratio=pct(m.LAGGING_RATIO)
                        ),
                    }
                    for k in ("per-capita", "share", "absolute-intensive", "absolute", "none")
                ]
            ),
        )
    )
    s.bullets(
        [
            _(
                "Per-capita scale: per {scale} inhabitants, 2024 census (HCP, RGPH 2024).",
                scale=num(m.PER_CAPITA_SCALE),
            ),
            _(
                "Coefficient of variation: standard deviation of the regions' values divided by their mean "
                "(0 = all equal)."
            ),
            _(
                "Highest / lowest: the best region's value divided by the weakest one's; undefined when a "
                "region is at 0."
            ),
            _(
                "Lagging region: below {ratio} of the national reference (above the reference divided by "
                "{ratio_n} when lower is better).",
                ratio=pct(m.LAGGING_RATIO),
                ratio_n=num(m.LAGGING_RATIO, 2),
            ),
            _(
                "Flows are compared on yearly totals, levels on each region's latest value at the chosen period."
            ),
        ]
    )
    out.append(s)

    s = DocSection("as_of", _("Figures as known on a date, and revisions"))
    s.text(
        method_note("as_of", lang),
        _(
            "Loaded data is never overwritten: a correction is a new version in a later batch and becomes the "
            "current value, while the earlier one stays stored. Undoing a batch brings the previous values back "
            "exactly. A value with more than one version is marked as revised. Real values win over DEMO "
            "values for the same period."
        ),
    )
    out.append(s)

    s = DocSection("flags", _("Flags"))
    s.text(
        _("Every figure carries the flags that apply to it; they are shown in words next to it.")
    )
    s.bullets([_(label) for label in m.FLAG_LABELS.values()])
    out.append(s)

    s = DocSection("confidence", _("How sure the catalog's targets are"))
    s.text(
        _(
            "Each target in the catalog (data/catalog/indicators.csv) has a confidence level and names the "
            "public pages it was read from. The strategy documents themselves were not available."
        )
    )
    counts = indicators["confidence"].value_counts().to_dict() if indicators is not None else {}
    rows = []
    for code, label in CONFIDENCE_LABELS.items():
        row = {_("Confidence"): _(label), _("Meaning"): label_of(CONFIDENCE_MEANINGS, code, lang)}
        if indicators is not None:
            row[_("Indicators")] = num(int(counts.get(code, 0)))
        rows.append(row)
    s.tables(("", pd.DataFrame(rows)))
    out.append(s)

    s = DocSection("pitfalls", _("Known pitfalls in the sources"))
    s.bullets(
        [
            _(
                "The “113th → 50th” e-government target is the UN Online Services Index, not the overall "
                "e-government index rank (EGDI: 101st in 2022, 90th in 2024)."
            ),
            _(
                "Several 2023 draft figures (300,000 jobs, 170 bn MAD) conflict with the launch figures used here."
            ),
            _(
                "The 5G licence obligations (45 % coverage by 2026, 85 % by 2030) are stricter than the "
                "strategy's 70 % by 2030."
            ),
            _(
                "Region names are spelled many ways in real files (accents, “L'Oriental”/“Oriental”/“الشرق”, the "
                "prefix “جهة”, hamza variants): everything is keyed on the ISO code. The former 16-region names "
                "are a different division and are never mapped silently onto the 12 regions."
            ),
        ]
    )
    out.append(s)

    s = DocSection("map", _("Map and licence"))
    s.text(
        _(
            "The region map is drawn without any web tiles, from a shipped outline of the 12 regions (2015 "
            "division), derived from the morocco-map project, itself built from OpenStreetMap data, under the "
            "Open Database License (ODbL 1.0)."
        ),
        _("Attribution shown on the map and under it: {text}", text=MAP_ATTRIBUTION),
    )
    out.append(s)
    return out
