"""The Regions page's view: one regional indicator compared across the 12 regions, as localized rows, metrics and notes (no streamlit)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from loaders.i18n import N_, name_col

from . import methods as m
from .disparity import disparity
from .inputs import KpiInputs
from .text import Texts, isnum, texts
from .units import is_intensive
from .view_choices import Metric


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


def _measure_text(x, comparison: str, unit: str, t: Texts) -> str:
    if not isnum(x):
        return "—"
    if comparison == "share":
        return t.pct(x / 100, 1)
    if comparison != "per-capita":
        # The number alone when the unit is a word (the chart title names it), so a bar label
        # such as "1 institutes" is not cut at the plot's edge.
        return t.value(x, unit) if is_intensive(unit) else t.num(x)
    if x == 0:
        return t.num(0)
    return t.num(x, None if abs(x) >= 10 else 2 if abs(x) >= 0.1 else 3)


def coverage_sentence(n: int, total: int, missing: list[str], t: Texts) -> str:
    """'5 of 12 regions reported; missing: A, B' (or every region reported), right-to-left safe."""
    if not missing:
        return t.n_("{n} region reported, none missing.", "All {n} regions reported.", total)
    return t.n_(
        "{n} of {total} regions reported; missing: {names}.",
        "{n} of {total} regions reported; missing: {names}.",
        n,
        total=t.num(total),
        names=t.comma.join(missing),
    )


def _measure_label(comparison: str, unit: str, scale: str, t: Texts) -> str:
    if comparison == "per-capita":
        return t._("{unit} per {scale} inhabitants", unit=t.unit(unit), scale=scale)
    if comparison == "share":
        return t._("Share of the national total")
    return t.unit(unit) or t._("Value")


def _hover(r: dict, vtxt: str, mtxt: str, measure_label: str, comparison: str, t: Texts) -> str:
    _ = t._
    bits = [vtxt]
    if comparison in ("per-capita", "share") and isnum(r["measure"]):
        bits.append(f"{measure_label}: {mtxt}")
    if r["lagging"]:
        bits.append(_("lagging"))
    if r["carried"]:
        bits.append(_("last reported {period}", period=t.period(r["period"])))
    if r["incomplete_year"]:
        bits.append(_("incomplete year"))
    if r["demo"]:
        bits.append(_("DEMO"))
    return " · ".join(bits)


def _region_rows(d: dict, unit: str, measure_label: str, t: Texts) -> tuple[list, list]:
    """One chart row (iso, label, measure, texts, hover) and one table row per region."""
    _ = t._
    comparison, name, yes = d["comparison"], name_col(t.lang), _("yes")
    rows, table = [], []
    for r in d["regions"]:
        reported = r.get("reported", r["value"] is not None)
        vtxt = t.value(r["value"], unit) if reported and isnum(r["value"]) else _("No report")
        mtxt = _measure_text(r["measure"], comparison, unit, t)
        rows.append(
            {
                "iso": r["iso"],
                "label": r[name],
                "measure": r["measure"],
                "value_text": vtxt,
                "measure_text": mtxt,
                "hover": _hover(r, vtxt, mtxt, measure_label, comparison, t),
            }
        )
        row = {_("Region"): r[name], _("Value"): vtxt}
        if comparison in ("per-capita", "share"):
            row[measure_label] = mtxt
        if d["lagging_judged"]:
            rel = r["relative_to_reference"]
            row[_("Relative to the national reference")] = t.pct(rel) if isnum(rel) else "—"
        row[_("Period")] = t.period(r["period"]) if r["period"] and reported else "—"
        if d["lagging_judged"]:
            row[_("Lagging")] = yes if r["lagging"] else ""
        row[_("DEMO")] = yes if r["demo"] else ""
        table.append(row)
    return rows, table


def _best_first(frame: pd.DataFrame, tab: pd.DataFrame, d: dict, down: bool) -> pd.DataFrame:
    """The table best first in the indicator's direction; regions with no report last."""
    if not len(frame):
        return tab
    key = (
        frame["measure"]
        if d["comparison"] != "none"
        else pd.Series([r["value"] for r in d["regions"]], dtype=float)
    )
    order = key.sort_values(ascending=down, na_position="last", kind="stable")
    return tab.loc[order.index].reset_index(drop=True)


def _region_metrics(d: dict, info: dict, measure_label: str, ref_text: str, t: Texts) -> list:
    _ = t._
    total = len(d["regions"])
    n_missing = sum(not r.get("reported", r["value"] is not None) for r in d["regions"])
    intensive = d["comparison"] == "absolute" and is_intensive(info["unit"])
    metrics = [
        Metric(
            _("Regions reported"),
            _("{n} of {total}", n=t.num(d["reported"]), total=t.num(total)),
            t.n_("{n} region missing", "{n} regions missing", n_missing)
            if n_missing
            else _("all regions"),
        )
    ]
    if d["comparison"] != "none":
        ratio = d["max_min_ratio"]
        metrics += [
            Metric(
                _("Spread between regions"),
                t.pct(d["cv"]) if isnum(d["cv"]) else "—",
                _("coefficient of variation"),
                help=_("Standard deviation of the regions' values divided by their mean"),
            ),
            Metric(
                _("Highest / lowest"),
                (t.num(ratio, 1) + " ×") if isnum(ratio) else "—",
                _("ratio of the highest to the lowest region")
                if isnum(ratio)
                else _("undefined: a region is at 0 or alone"),
            ),
        ]
    if d["lagging_judged"]:
        below = (
            _("below {ratio} of the reference", ratio=t.pct(m.LAGGING_RATIO))
            if info["direction"] != "down"
            else _("above the reference divided by {ratio}", ratio=t.num(m.LAGGING_RATIO, 2))
        )
        metrics += [
            Metric(
                _("National reference"),
                ref_text,
                _("population-weighted mean") if intensive else measure_label,
            ),
            Metric(
                _("Lagging regions"),
                _("{n} of {total}", n=t.num(len(d["lagging"])), total=t.num(total)),
                below,
            ),
        ]
    return metrics


def _region_notes(inputs: KpiInputs, code: str, info: dict, d: dict, coverage: str, t: Texts):
    _ = t._
    notes = [coverage]
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
    obs = inputs.observations
    mine = (obs["indicator"] == code).to_numpy() & (obs["region"] != "").to_numpy()
    if inputs.invalid()[mine].any():
        notes.append(_("A stored regional value is unusable and was left out."))
    return notes


def regions_view(
    inputs: KpiInputs, code: str, lang: str, *, period: str | None = None
) -> RegionsView:
    """The regional comparison of one indicator at one period (default: the latest reported), by the
    catalog's `comparison` of the indicator (per-capita | share | absolute | none)."""
    t = texts(lang)
    _ = t._
    info = inputs.indicator(code)
    unit, name = info["unit"], name_col(t.lang)
    d = disparity(inputs.usable(), code, period=period)
    comparison = d["comparison"]
    scale = t.num(d["per_capita_scale"])
    measure_label = _measure_label(comparison, unit, scale, t)
    rows, table = _region_rows(d, unit, measure_label, t)
    frame = pd.DataFrame(rows)
    tab = _best_first(frame, pd.DataFrame(table), d, info["direction"] == "down")
    has_data = d["reported"] > 0 or bool(frame["measure"].notna().any()) if len(frame) else False
    ref_text = _measure_text(d["reference"], comparison, unit, t)
    missing_names = [r[name] for r in d["regions"] if not r.get("reported", r["value"] is not None)]
    coverage = coverage_sentence(d["reported"], len(d["regions"]), missing_names, t)
    why = "absolute-intensive" if comparison == "absolute" and is_intensive(unit) else comparison
    comparison_text = _(COMPARISON_WHY[why], scale=scale, ratio=t.pct(m.LAGGING_RATIO))
    cv = _(
        "The coefficient of variation is the standard deviation of the compared values divided by their mean."
    )
    known = []
    if not has_data:
        if isnum(info.get("target_value")):
            known.append(
                _(
                    "National target: {value} by {year}.",
                    value=t.value(info["target_value"], unit),
                    year=int(info["target_year"]),
                )
            )
        known.append(_("The national target is not split by region."))
    return RegionsView(
        code=code,
        name=info[name],
        period=d["period"],
        period_label=t.period(d["period"]) if d["period"] else "—",
        measure_label=measure_label,
        frame=frame,
        table=tab,
        metrics=_region_metrics(d, info, measure_label, ref_text, t) if has_data else [],
        lagging=sorted(set(d["lagging"])),
        lagging_names=[r[name] for r in d["regions"] if r["lagging"]],
        missing_names=missing_names,
        definition=comparison_text + " " + cv,
        notes=_region_notes(inputs, code, info, d, coverage, t),
        reference=d["reference"],
        reference_text=_("National reference: {value}", value=ref_text),
        demo="demo" in d["flags"],
        has_data=has_data,
        reverse_scale=info["direction"] == "down",
        known=known,
        raw=d,
        comparison=comparison,
        comparison_text=comparison_text,
        coverage=coverage,
        lagging_judged=d["lagging_judged"],
    )
